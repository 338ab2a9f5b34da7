"""Converting claims, findings and topics, with their evidence."""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, Literal
from rdflib.namespace import SKOS

from kg.model.namespaces import ID, SAC
from kg.source.records import Record
from kg.source.schema import CLAIM_FIELDS, CONCERN_TYPES, FINDING_FIELDS, TOPIC_FIELDS, Location, as_list, slug


class ClaimBlocks:
    """The `claims`, `findings` and topic blocks (a part of kg.source.ingest's converter)."""

    def claim(self, file, rec: Record, ref) -> None:
        what = f"claim '{rec.get('system')} {rec.get('mechanism')} {rec.get('metal')}'"
        self.check_fields(file, rec, what, CLAIM_FIELDS, ("system", "mechanism", "metal"))
        system = self.lookup(file, rec, what, "system", rec["system"], (SAC.SACSystem,), "system") \
            if rec.get("system") else None
        mechanism = self.lookup(file, rec, what, "mechanism", rec["mechanism"], (SAC.Mechanism,), "mechanism") \
            if rec.get("mechanism") else None
        metal = self.lookup(file, rec, what, "metal", rec["metal"], (SAC.AlkaliMetal,), "alkali metal") \
            if rec.get("metal") else None
        if system is None or mechanism is None or metal is None:
            return
        node = self.unique(ID[f"claim/{str(ref).rsplit('/', 1)[-1] if ref else 'x'}/{str(system).rsplit('/', 1)[-1]}/"
                              f"{str(mechanism).rsplit('#', 1)[-1]}-{self.ontology.value(metal, SAC.symbol)}"])
        self.locations[node] = Location.of(file, rec, what)
        g = self.g
        g.add((node, RDF.type, SAC.Claim))
        g.add((node, SAC.aboutSystem, system))
        g.add((node, SAC.mechanism, mechanism))
        g.add((node, SAC.alkaliMetal, metal))
        effect = SAC.Promotes
        if rec.get("effect"):
            effect = self.lookup(file, rec, what, "effect", rec["effect"], (SAC.ClaimEffect,), "effect") or SAC.Promotes
        g.add((node, SAC.effect, effect))
        self.evidence(file, rec, what, node)
        self.conditions(file, rec, what, node, rec.get("conditions"))
        self.provenance(file, rec, what, node, ref)

    def finding(self, file, rec: Record, ref, i: int) -> None:
        """A qualitative result about one system or material that names no mechanism of the vocabulary."""
        what = f"finding {i} on '{rec.get('system') or rec.get('material')}'"
        self.check_fields(file, rec, what, FINDING_FIELDS, ("statement",))
        subject = self.material_of(file, rec, what)
        if subject is None or rec.get("statement") in (None, ""):
            return
        node = self.unique(ID[f"finding/{str(ref).rsplit('/', 1)[-1] if ref else 'x'}/{str(subject).rsplit('/', 1)[-1]}-{i}"])
        self.locations[node] = Location.of(file, rec, what)
        g = self.g
        g.add((node, RDF.type, SAC.Finding))
        g.add((node, SAC.aboutMaterial, subject))
        self.text(node, SAC.statement, rec.get("statement"), "en")
        if rec.get("metal"):
            metal = self.lookup(file, rec, what, "metal", rec["metal"], (SAC.AlkaliMetal,), "alkali metal")
            if metal is not None:
                g.add((node, SAC.alkaliMetal, metal))
        for name in as_list(rec.get("concerns")):
            iri = self.lookup(file, rec, what, "concerns", name, CONCERN_TYPES, "term")
            if iri is not None:
                g.add((node, SAC.concerns, iri))
        self.evidence(file, rec, what, node)
        self.conditions(file, rec, what, node, rec.get("conditions"))
        self.provenance(file, rec, what, node, ref)

    def evidence(self, file, rec, what, node) -> None:
        """Evidence techniques (and which of them are inferred), whether the whole is inferred, and the
        controls the review compares against without numbers."""
        g = self.g
        if not as_list(rec.get("evidence")):
            g.add((node, SAC.evidenceKind, SAC.EvidenceNotStated))
        for name in as_list(rec.get("evidence")):
            technique = self.lookup(file, rec, what, "evidence", name, (SAC.Technique,), "technique")
            if technique is not None:
                g.add((node, SAC.evidenceTechnique, technique))
                for kind in self.ontology.objects(technique, SAC.evidenceKind):
                    g.add((node, SAC.evidenceKind, kind))
        self.inferred_techniques(file, rec, what, node, "inferred_evidence", "evidence")
        reason = rec.get("inferred")
        if reason is not None:
            if not isinstance(reason, str) or not reason.strip():
                self.problem(file, rec, what, "inferred",
                             "give the reason: which words of the review the curator read the claim from")
            else:
                g.add((node, SAC.inferred, Literal(True)))
                self.text(node, SAC.inference, reason, "en")
        for name in as_list(rec.get("compared_with")):
            control = self.lookup(file, rec, what, "compared_with", name, (SAC.ControlMaterial,), "material")
            if control is not None:
                g.add((node, SAC.comparedWith, control))

    def inferred_techniques(self, file, rec, what, node, fld, listed_fld) -> None:
        """Mark the techniques of `listed_fld` that the curator read from indirect words, with the reason."""
        marked = rec.get(fld)
        if marked in (None, {}):
            return
        if not isinstance(marked, dict):
            self.problem(file, rec, what, fld, "expected a mapping {technique: reason}")
            return
        listed = {t.iri for n in as_list(rec.get(listed_fld)) for t in self.index.exact(str(n), (SAC.Technique,))}
        for name, reason in marked.items():
            technique = self.lookup(file, rec, what, f"{fld}.{name}", name, (SAC.Technique,), "technique")
            if technique is None:
                continue
            if technique not in listed:
                self.problem(file, rec, what, f"{fld}.{name}", f"is not one of the {listed_fld} listed")
            elif not isinstance(reason, str) or not reason.strip():
                self.problem(file, rec, what, f"{fld}.{name}", "give the reason the technique is inferred")
            else:
                self.g.add((node, SAC.inferredTechnique, technique))
                label = self.ontology.value(technique, SKOS.prefLabel)
                self.text(node, SAC.inference, f"{label}: {reason}", "en")

    # ------------------------------------------------------------ challenges, prospects, sustainability
    def topic(self, file, rec: Record, ref, block: str, cls) -> None:
        what = f"{block[:-1] if block.endswith('s') else block} '{rec.get('id')}'"
        if not self.check_fields(file, rec, what, TOPIC_FIELDS, ("id", "name", "note")):
            return
        node = ID[f"{block}/{slug(rec['id'])}"]
        self.locations[node] = Location.of(file, rec, what)
        g = self.g
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(str(rec["name"]))))
        synonyms = [str(s) for s in as_list(rec.get("synonyms"))]
        self.index.add(node, str(rec["name"]), {cls}, [str(rec["id"]), *synonyms])
        for synonym in synonyms:
            g.add((node, SKOS.altLabel, Literal(synonym)))
        match = re.fullmatch(r"prospect-(\d+)", str(rec["id"]))
        if cls == SAC.Prospect and match:
            g.add((node, SAC.prospectNumber, Literal(int(match.group(1)))))
        self._pending_concerns.append((file, rec, what, node))
        self.conditions(file, rec, what, node, rec.get("conditions"))
        self.texts(node)
        self.provenance(file, rec, what, node, ref)

    def resolve_concerns(self) -> None:
        for file, rec, what, node in self._pending_concerns:
            for name in as_list(rec.get("concerns")):
                iri = self.lookup(file, rec, what, "concerns", name, CONCERN_TYPES, "term")
                if iri is not None:
                    self.g.add((node, SAC.concerns, iri))
