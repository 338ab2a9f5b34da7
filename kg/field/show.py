"""Everything the knowledge base knows about one entity, and counts by class."""

from __future__ import annotations

from kg.engine.names import Entity, Names
from kg.engine.templates import run
from kg.model.table import Table
from kg.model.text import sorted_list


class Description:
    def __init__(self, entity: Entity, summary: dict, tables: list[Table], doubts: list[str],
                 inferences: list[str] | None = None):
        self.entity, self.summary, self.tables, self.doubts = entity, summary, tables, doubts
        self.inferences = inferences or []


MEASUREMENT_COLUMNS = ["material", "quantity", "display", "origin", "metal", "conditions", "cell",
                       "baseline", "baselineOf", "reference", "where"]
CLAIM_COLUMNS = ["system", "effect", "mechanism", "metal", "evidence", "conditions", "comparedWith", "reference", "where"]
FINDING_COLUMNS = ["about", "statement", "evidence", "conditions", "comparedWith", "reference", "where"]


def _where(row) -> str:
    parts = []
    if row.get("section"):
        parts.append(f"§{row['section']}")
    if row.get("figures"):
        parts.append(", ".join(sorted(row["figures"].split(", "))))
    return " ".join(parts)




def describe(kb, name: str) -> Description:
    entity = Names(kb).resolve(name)
    bindings = {"entity": entity.iri}
    _, summary_rows = run(kb, "entity_summary", **bindings)
    summary = dict(summary_rows[0]) if summary_rows else {"label": entity.label}
    summary["synonyms"] = sorted_list(summary.get("synonyms"), ", ")
    _, facts = run(kb, "entity_facts", **bindings)
    fact_rows = [{"property": r["property"], "value": f"{r['value']} ({r['detail']})" if r["detail"] else r["value"],
                  "position": r.get("position") or 0} for r in facts]
    fact_rows.sort(key=lambda r: (r["property"], r["position"], str(r["value"])))  # authors in the paper's order
    summary["authors"] = [r["value"] for r in fact_rows if r["property"] == "author"]
    for row in fact_rows:
        del row["position"]
    _, measurements = run(kb, "entity_measurements", **bindings)
    for row in measurements:
        row["conditions"] = sorted_list(row["conditions"])
        row["baseline"] = sorted_list(row["baseline"])
        row["reference"] = sorted_list(row["reference"])
        row["figures"] = sorted_list(row["figures"], ", ")
        row["where"] = _where(row)
        if row.get("method"):
            row["origin"] = f"{row['origin']} ({row['method']})"
    _, claims = run(kb, "entity_claims", **bindings)
    for row in claims:
        row["evidence"] = sorted_list(row["evidence"], ", ")
        row["evidenceKinds"] = sorted_list(row["evidenceKinds"], ", ")
        row["reference"] = sorted_list(row["reference"])
        row["figures"] = sorted_list(row["figures"], ", ")
        row["where"] = _where(row)
        row["evidence"] = row["evidence"] or f"({row['evidenceKinds']})"
    _, findings = run(kb, "entity_findings", **bindings)
    for row in findings:
        row["evidence"] = sorted_list(row["evidence"], ", ") or "(not stated)"
        row["reference"] = sorted_list(row["reference"])
        row["figures"] = sorted_list(row["figures"], ", ")
        row["where"] = _where(row)
    _, mentions = run(kb, "entity_mentions", **bindings)
    mention_rows = sorted({(r["kind"], r["subject"], r["property"]) for r in mentions if r["subject"]})
    tables = [
        Table("Facts", ["property", "value"], fact_rows),
        Table("Measurements", MEASUREMENT_COLUMNS, measurements,
              headers={"display": "value", "baselineOf": "baseline of", "where": "review"}),
        Table("Claims", CLAIM_COLUMNS, claims, headers={"where": "review", "comparedWith": "compared with"}),
        Table("Findings", FINDING_COLUMNS, findings, headers={"where": "review", "comparedWith": "compared with"}),
        Table("Mentioned by", ["kind", "subject", "property"],
              [{"kind": k, "subject": s, "property": p} for k, s, p in mention_rows]),
    ]
    doubts = []
    if summary.get("doubt"):
        doubts.append(summary["doubt"])
    for row in measurements:
        if row.get("doubt"):
            doubts.append(f"{row['material']} {row['quantity']} {row['display']}: {row['doubt']}")
    for row in claims:
        if row.get("doubt"):
            doubts.append(f"{row['system']} {row['mechanism']} ({row['metal']}): {row['doubt']}")
    for row in findings:
        if row.get("doubt"):
            doubts.append(f"{row['about']}: {row['statement']} {row['doubt']}")
    inferences = [f"{row['system']} {row['effect'].removesuffix(' (inferred)')} {row['mechanism']} ({row['metal']}): "
                  f"{row['inference']}" for row in claims if row.get("inference")]
    inferences += [f"{row['about']}: {row['statement']} {row['inference']}" for row in findings if row.get("inference")]
    return Description(entity, summary, tables, doubts, inferences)


def stats(kb) -> Table:
    _, rows = run(kb, "stats")
    table_rows = [{"class": r["label"], "count": r["count"]} for r in rows]
    table_rows.append({"class": "triples", "count": len(kb)})
    return Table("", ["class", "count"], table_rows)
