"""Converting materials, SAC systems, groups of systems and ambiguous names."""

from __future__ import annotations

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from kg.model.namespaces import ID, SAC
from kg.model.text import name_key, shown, skeleton
from kg.source.records import Record
from kg.source.schema import (
    AMBIGUOUS_FIELDS,
    CONCERN_TYPES,
    GROUP_FIELDS,
    MATERIAL_FIELDS,
    SUPPORT_FIELDS,
    SYSTEM_FIELDS,
    Location,
    as_list,
    slug,
)


class SystemBlocks:
    """The `materials`, `systems`, `groups` and `ambiguous` blocks (a part of kg.source.ingest's converter)."""

    def declare_material(self, file, rec: Record) -> None:
        what = f"material '{rec.get('name')}'" if rec.get("name") not in (None, "") else "material (no name)"
        if not self.check_fields(file, rec, what, MATERIAL_FIELDS, ("name",)):
            return
        node = self.unique(ID[f"material/{slug(rec['name'])}"])
        if self._taken(file, rec, what, rec["name"], as_list(rec.get("synonyms"))):
            return
        self.index.add(node, str(rec["name"]), {SAC.ControlMaterial, SAC.Material}, [str(s) for s in as_list(rec.get("synonyms"))])
        self.g.add((node, RDF.type, SAC.ControlMaterial))
        self.g.add((node, RDFS.label, Literal(str(rec["name"]))))
        for synonym in as_list(rec.get("synonyms")):
            self.g.add((node, SKOS.altLabel, Literal(str(synonym))))
        for kind in as_list(rec.get("kinds")):
            iri = self.lookup(file, rec, what, "kinds", kind, (SAC.SupportKind,), "support kind")
            if iri is not None:
                self.g.add((node, SAC.supportKind, iri))
        self.text(node, SKOS.note, rec.get("note"), "en")
        self.text(node, SAC.doubt, rec.get("doubt"), "en")
        self.locations[node] = Location.of(file, rec, what)

    def _taken(self, file, rec, what, name, synonyms) -> bool:
        for text in (name, *synonyms):
            matches = self.index.exact(str(text), (SAC.SACSystem, SAC.ControlMaterial, SAC.SystemGroup))
            if not matches:
                continue
            found = matches[0].iri
            other = self.locations.get(found, Location("the vocabulary", 0, str(found)))
            at = f"{other.file}:{other.line}" if other.line else other.file
            self.problem(file, rec, what, "name" if text == name else "synonyms",
                         f"'{text}' already names {other.record} ({at})")
            self._refused.update(name_key(str(t)) for t in (name, *synonyms))
            return True
        for text in (name, *synonyms):
            twin = self._looks.get(skeleton(str(text)))
            if twin is not None and name_key(twin[0]) != name_key(str(text)):
                self.problem(file, rec, what, "name" if text == name else "synonyms",
                             f"{shown(text)} looks the same as {shown(twin[0])} ({twin[1]}) but is spelt with other "
                             "characters; use that name, or one that differs visibly")
                self._refused.update(name_key(str(t)) for t in (name, *synonyms))
                return True
        for text in (name, *synonyms):
            self._looks.setdefault(skeleton(str(text)), (str(text), f"{file}:{rec.line_of('name')}"))
        return False

    def declare_system(self, file, rec: Record) -> None:
        name = rec.get("name")
        what = f"system '{name}'" if name not in (None, "") else "system (no name)"
        if name in (None, ""):
            self.problem(file, rec, what, "name", "required field is missing")
            return
        synonyms = [str(s) for s in as_list(rec.get("synonyms"))]
        if self._taken(file, rec, what, str(name), synonyms):
            rec["_skip"] = True
            return
        node = ID[f"system/{slug(name)}"]
        if node in self.locations:
            node = self.unique(node)
        self.index.add(node, str(name), {SAC.SACSystem, SAC.Material}, synonyms)
        self.locations[node] = Location.of(file, rec, what)
        rec["_iri"] = node

    def system(self, file, rec: Record, ref) -> None:
        if rec.get("_skip") or "_iri" not in rec:
            return
        node = rec.pop("_iri")
        what = f"system '{rec['name']}'"
        self.check_fields(file, rec, what, SYSTEM_FIELDS,
                          ("name", "centre_metals", "support", "coordination"))
        g = self.g
        g.add((node, RDF.type, SAC.SACSystem))
        g.add((node, RDFS.label, Literal(str(rec["name"]))))
        for synonym in as_list(rec.get("synonyms")):
            g.add((node, SKOS.altLabel, Literal(str(synonym))))
        for metal in as_list(rec.get("centre_metals")):
            iri = self.lookup(file, rec, what, "centre_metals", metal, (SAC.ChemicalElement,), "element")
            if iri is not None:
                g.add((node, SAC.centreMetal, iri))
        support = rec.get("support")
        if isinstance(support, Record):
            snode = ID[f"support/{slug(rec['name'])}"]
            g.add((node, SAC.support, snode))
            g.add((snode, RDF.type, SAC.Support))
            if support.get("name") in (None, ""):
                self.problem(file, support, what, "support.name", "required field is missing")
            else:
                g.add((snode, RDFS.label, Literal(str(support["name"]))))
            if not as_list(support.get("kinds")):
                self.problem(file, support, what, "support.kinds", "required field is missing")
            for kind in as_list(support.get("kinds")):
                iri = self.lookup(file, support, what, "support.kinds", kind, (SAC.SupportKind,), "support kind")
                if iri is not None:
                    g.add((snode, SAC.supportKind, iri))
            for synonym in as_list(support.get("synonyms")):
                g.add((snode, SKOS.altLabel, Literal(str(synonym))))
            self.text(snode, SKOS.note, support.get("note"), "en")
            for key in support:
                if key not in SUPPORT_FIELDS:
                    self.problem(file, support, what, f"support.{key}",
                                 f"unknown field; use {', '.join(repr(k) for k in SUPPORT_FIELDS)}")
        elif support is not None:
            self.problem(file, rec, what, "support", "expected a mapping with 'name' and 'kinds'")
        if rec.get("coordination"):
            iri = self.lookup(file, rec, what, "coordination", rec["coordination"],
                              (SAC.CoordinationEnvironment,), "coordination environment")
            if iri is not None:
                g.add((node, SAC.coordinationEnvironment, iri))
        for metal in as_list(rec.get("alkali_metals")):
            iri = self.lookup(file, rec, what, "alkali_metals", metal, (SAC.AlkaliMetal,), "alkali metal")
            if iri is not None:
                g.add((node, SAC.targetMetal, iri))
                g.add((node, SAC.appliedTo, ID[f"anode/{self.ontology.value(iri, SAC.symbol)}"]))
        for fld, predicate, cls, kind in (("roles", SAC.role, SAC.Role, "role"),
                                          ("synthesis", SAC.synthesisMethod, SAC.SynthesisMethod, "synthesis method"),
                                          ("techniques", SAC.characterizedBy, SAC.Technique, "technique")):
            for name in as_list(rec.get(fld)):
                iri = self.lookup(file, rec, what, fld, name, (cls,), kind)
                if iri is not None:
                    g.add((node, predicate, iri))
        self.inferred_techniques(file, rec, what, node, "inferred_techniques", "techniques")
        if ref is not None and not rec.get("sources"):
            g.add((node, SAC.reportedIn, ref))
        for key in as_list(rec.get("sources")):
            if key in self.references:
                g.add((node, SAC.reportedIn, self.references[key]))
        rec_copy = Record(rec)
        rec_copy.line, rec_copy.key_lines = rec.line, rec.key_lines
        rec_copy.pop("sources", None)
        self.provenance(file, rec_copy, what, node, None)

    def group(self, file, rec: Record, ref) -> None:
        """A set of systems that the review names as one (SAM@NG: the single atoms screened on N-doped graphene)."""
        what = f"group '{rec.get('name')}'"
        if not self.check_fields(file, rec, what, GROUP_FIELDS, ("name", "members")):
            return
        synonyms = [str(s) for s in as_list(rec.get("synonyms"))]
        if self._taken(file, rec, what, str(rec["name"]), synonyms):
            return
        node = self.unique(ID[f"group/{str(ref).rsplit('/', 1)[-1] if ref else 'x'}/{slug(rec['name'])}"])
        self.locations[node] = Location.of(file, rec, what)
        self.index.add(node, str(rec["name"]), {SAC.SystemGroup}, synonyms)
        g = self.g
        g.add((node, RDF.type, SAC.SystemGroup))
        g.add((node, RDFS.label, Literal(str(rec["name"]))))
        for synonym in synonyms:
            g.add((node, SKOS.altLabel, Literal(synonym)))
        for name in as_list(rec.get("members")):
            member = self.lookup(file, rec, what, "members", name, (SAC.SACSystem,), "system")
            if member is not None:
                g.add((node, SAC.hasMember, member))
        self.provenance(file, rec, what, node, ref)

    def ambiguous_name(self, file, rec: Record) -> None:
        """A name the review uses for several entities: looking it up lists them instead of choosing one."""
        what = f"ambiguous name '{rec.get('name')}'"
        if not self.check_fields(file, rec, what, AMBIGUOUS_FIELDS, ("name", "candidates")):
            return
        node = self.unique(ID[f"name/{slug(rec['name'])}"])
        self.locations[node] = Location.of(file, rec, what)
        self.index.add(node, str(rec["name"]), {SAC.AmbiguousName})
        g = self.g
        g.add((node, RDF.type, SAC.AmbiguousName))
        g.add((node, RDFS.label, Literal(str(rec["name"]))))
        candidates = [self.lookup(file, rec, what, "candidates", name, (*CONCERN_TYPES, SAC.SystemGroup), "term")
                      for name in as_list(rec.get("candidates"))]
        if len([c for c in candidates if c is not None]) < 2 and len(candidates) >= 2:
            return
        if len(candidates) < 2:
            self.problem(file, rec, what, "candidates", "an ambiguous name needs at least two candidates")
        for candidate in candidates:
            if candidate is not None:
                g.add((node, SAC.candidate, candidate))
        self.text(node, SKOS.note, rec.get("note"), "en")

    def material_of(self, file, rec, what) -> URIRef | None:
        has_system, has_material = rec.get("system") not in (None, ""), rec.get("material") not in (None, "")
        if has_system == has_material:
            self.problem(file, rec, what, "system", "give exactly one of 'system' or 'material'")
            return None
        if has_system:
            return self.lookup(file, rec, what, "system", rec["system"], (SAC.SACSystem,), "system")
        return self.lookup(file, rec, what, "material", rec["material"], (SAC.ControlMaterial,), "material")

    # ------------------------------------------------------------ measurements
