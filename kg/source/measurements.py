"""Converting measurements: values with units, origins, conditions and baselines."""

from __future__ import annotations

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.model.namespaces import ID, QUDT, SAC
from kg.model.text import closest, did_you_mean, name_key
from kg.source.records import Record, wrong_shape
from kg.source.schema import BASELINE_FIELDS, MEASUREMENT_FIELDS, UNQUANTIFIED, Location, slug


class MeasurementBlocks:
    """The `measurements` block (a part of kg.source.ingest's converter)."""

    def measurement(self, file, rec: Record, ref) -> None:
        subject_name = rec.get("system") or rec.get("material")
        what = f"measurement '{subject_name} {rec.get('quantity')}'"
        self.check_fields(file, rec, what, MEASUREMENT_FIELDS, ("quantity", "value", "origin"))
        material = self.material_of(file, rec, what)
        kind = self.lookup(file, rec, what, "quantity", rec.get("quantity"), (SAC.QuantityKind,), "quantity") \
            if rec.get("quantity") else None
        if material is None or kind is None:
            return
        node = self.unique(ID[f"measurement/{slug(str(ref).rsplit('/', 1)[-1]) if ref else 'x'}/"
                              f"{str(material).rsplit('/', 1)[-1]}/{str(kind).rsplit('#', 1)[-1]}"])
        self.locations[node] = Location.of(file, rec, what)
        g = self.g
        g.add((node, RDF.type, SAC.Measurement))
        g.add((node, SAC.onMaterial, material))
        g.add((node, SAC.quantityKind, kind))
        q = self.quantity(file, rec, what, "value", rec["value"], kind) if rec.get("value") not in (None, "") else None
        if q is not None:
            self.add_value(node, q)
        origin = self.origin(file, rec, what, node)
        metal = None
        if rec.get("metal"):
            metal = self.lookup(file, rec, what, "metal", rec["metal"], (SAC.AlkaliMetal,), "alkali metal")
            if metal is not None:
                g.add((node, SAC.alkaliMetal, metal))
        if rec.get("cell"):
            cell = self.lookup(file, rec, what, "cell", rec["cell"], (SAC.CellConfiguration,), "cell configuration")
            if cell is not None:
                g.add((node, SAC.cellConfiguration, cell))
        self.conditions(file, rec, what, node, rec.get("conditions"))
        self.provenance(file, rec, what, node, ref)
        baselines = rec.get("baselines")
        if baselines is not None and not isinstance(baselines, list):
            self.problem(file, rec, what, "baselines", "expected a list of {material, value}")
            baselines = []
        for i, base in enumerate(baselines or [], 1):
            if not isinstance(base, Record):
                self.problem(file, rec, what, "baselines", "each baseline is a mapping {material, value}")
                continue
            self.baseline(file, rec, base, what, node, kind, origin, metal, i)
        self.texts(node)
        for base in self.g.objects(node, SAC.baseline):
            self.texts(base)

    # ------------------------------------------------------------ derived display texts
    def value_text(self, node) -> str | None:
        value, unit = self.g.value(node, SAC.value), self.g.value(node, SAC.unit)
        if value is None or unit is None:
            return None
        symbol = str(self.ontology.value(unit, QUDT.symbol) or "")
        comparator = self.g.value(node, SAC.comparator)
        mark = str(self.ontology.value(comparator, SAC.symbol)) if comparator is not None else ""
        prefix = "" if not mark else ("~" if mark == "~" else f"{mark} ")
        return f"{prefix}{value}" + (f" {symbol}" if symbol else "")

    def texts(self, node) -> None:
        """Write the value, conditions and baselines of a measurement as text, for fast answers."""
        display = self.value_text(node)
        if display is not None:
            self.g.set((node, SAC.valueText, Literal(display)))
        conditions = []
        for condition in self.g.objects(node, SAC.testCondition):
            kind = self.ontology.value(self.g.value(condition, SAC.conditionKind), SKOS.prefLabel)
            text = self.value_text(condition)
            if kind is not None and text is not None:
                conditions.append(f"{kind} {text}")
        if conditions:
            self.g.set((node, SAC.conditionsText, Literal("; ".join(sorted(conditions)))))
        baselines = []
        for base in self.g.objects(node, SAC.baseline):
            material = self.g.value(self.g.value(base, SAC.onMaterial), RDFS.label)
            text = self.value_text(base) or UNQUANTIFIED
            if material is not None and text is not None:
                baselines.append(f"{material}: {text}")
        if baselines:
            self.g.set((node, SAC.baselineText, Literal("; ".join(sorted(baselines)))))

    def origin(self, file, rec, what, node):
        if not rec.get("origin"):
            return None
        origin = self.lookup(file, rec, what, "origin", rec["origin"], (SAC.ValueOrigin,), "origin")
        if origin is None:
            return None
        self.g.add((node, SAC.valueOrigin, origin))
        method = rec.get("method")
        if origin == SAC.Computed and not method:
            self.problem(file, rec, what, "method", "a computed value needs its method (DFT, MD, theoretical calculation)")
        elif origin != SAC.Computed and method:
            self.problem(file, rec, what, "method", "only computed values have a method")
        elif method:
            iri = self.lookup(file, rec, what, "method", method, (SAC.Technique,), "technique")
            if iri is not None:
                self.g.add((node, SAC.computationMethod, iri))
        return origin

    def conditions(self, file, rec, what, node, conditions) -> None:
        if conditions in (None, {}):
            return
        if not isinstance(conditions, dict):
            self.problem(file, rec, what, "conditions", "expected a mapping such as {current density: 1 mA cm-2}")
            return
        for key, text in conditions.items():
            kind = self.condition_keys.get(str(key))
            if kind is None:
                hint = did_you_mean(closest(str(key), {name_key(k): k for k in self.condition_keys}, limit=1))
                self.problem(file, rec, what, f"conditions.{key}", f"unknown condition{hint}")
                continue
            q = self.quantity(file, rec, what, f"conditions.{key}", text, kind)
            if q is None:
                continue
            cnode = URIRef(f"{node}/condition/{slug(key)}")
            self.g.add((node, SAC.testCondition, cnode))
            self.g.add((cnode, RDF.type, SAC.TestCondition))
            self.g.add((cnode, SAC.conditionKind, kind))
            self.add_value(cnode, q)
            self.locations[cnode] = Location(file, rec.line_of(f"conditions.{key}"), f"{what} condition '{key}'")

    def baseline(self, file, parent, base, what, node, kind, origin, metal, i) -> None:
        bwhat = f"{what} baseline {i}"
        for key in base:
            if key not in BASELINE_FIELDS:
                self.problem(file, base, bwhat, str(key), "unknown field; use 'material' (or 'system') and 'value'")
            elif (wrong := wrong_shape(key, base[key])):
                self.problem(file, base, bwhat, str(key), wrong)
                return
        material = self.material_of(file, base, bwhat)
        if material is None:
            return
        bnode = URIRef(f"{node}/baseline-{i}")
        self.locations[bnode] = Location.of(file, base, bwhat)
        g = self.g
        g.add((node, SAC.baseline, bnode))
        g.add((bnode, SAC.onMaterial, material))
        g.add((bnode, SAC.quantityKind, kind))
        if base.get("value") in (None, ""):  # a control the review names without its number
            g.add((bnode, RDF.type, SAC.UnquantifiedBaseline))
        else:
            g.add((bnode, RDF.type, SAC.Measurement))
            q = self.quantity(file, base, bwhat, "value", base["value"], kind)
            if q is not None:
                self.add_value(bnode, q)
        if origin is not None:
            g.add((bnode, SAC.valueOrigin, origin))
        for predicate in (SAC.computationMethod, SAC.cellConfiguration):
            for obj in g.objects(node, predicate):
                g.add((bnode, predicate, obj))
        if metal is not None:
            g.add((bnode, SAC.alkaliMetal, metal))
        if base.get("conditions") is not None:
            self.conditions(file, base, bwhat, bnode, base.get("conditions"))
        else:
            for cond in list(g.objects(node, SAC.testCondition)):
                g.add((bnode, SAC.testCondition, cond))
        for predicate in (PROV.wasDerivedFrom, SAC.statedInSection, SAC.shownInFigure):
            for obj in g.objects(node, predicate):
                g.add((bnode, predicate, obj))
        self.text(bnode, SKOS.note, base.get("note"), "en")
        self.text(bnode, SAC.doubt, base.get("doubt"), "en")

    # ------------------------------------------------------------ claims
