"""Converting the review's structure (sections, figures) and its references, with their front matter."""

from __future__ import annotations

from datetime import date

from rdflib import RDF, RDFS, XSD, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS

from kg.model.namespaces import BIBO, ID, SAC
from kg.model.text import shown
from kg.source.records import Record
from kg.source.schema import (
    DOI_PATTERN,
    FIGURE_FIELDS,
    REFERENCE_FIELDS,
    REFERENCE_ID,
    REVIEW_ID,
    SECTION_FIELDS,
    Location,
    as_list,
    id_fold,
    slug,
)


class ReferenceBlocks:
    """The `reference`, `sections` and `figures` blocks (a part of kg.source.ingest's converter)."""

    def declare_structure(self, file, content: Record) -> None:
        for rec in self.records(file, content, "sections"):
            what = f"section '{rec.get('id')}'"
            if not self.check_fields(file, rec, what, SECTION_FIELDS, ("id", "title")):
                continue
            number = str(rec["id"])
            node = ID[f"section/{number}"]
            self.sections.add(number)
            self.g.add((node, RDF.type, SAC.ReviewSection))
            self.g.add((node, SAC.sectionNumber, Literal(number)))
            self.g.add((node, RDFS.label, Literal(f"Section {number}: {rec['title']}")))
            self.g.add((node, DCTERMS.title, Literal(str(rec["title"]))))
            parent = number.rsplit(".", 1)[0] if "." in number else None
            self.g.add((node, DCTERMS.isPartOf, ID[f"section/{parent}"] if parent else ID[f"reference/{REVIEW_ID}"]))
            self.text(node, SKOS.note, rec.get("note"), "en")
            self.text(node, SAC.doubt, rec.get("doubt"), "en")
            self.locations[node] = Location.of(file, rec, what)
        for rec in self.records(file, content, "figures"):
            what = f"figure '{rec.get('id')}'"
            if not self.check_fields(file, rec, what, FIGURE_FIELDS, ("id", "section", "summary")):
                continue
            self.figures.add(str(rec["id"]))
            self._pending_figures.append((file, rec, what))

    def figure(self, file, rec, what) -> None:
        number = str(rec["id"])
        node = ID[f"figure/{number}"]
        self.g.add((node, RDF.type, SAC.Figure))
        self.g.add((node, SAC.figureNumber, Literal(number)))
        self.g.add((node, RDFS.label, Literal(f"Fig. {number}")))
        self.text(node, SKOS.note, rec.get("summary"), "en")
        self.text(node, SAC.doubt, rec.get("doubt"), "en")
        self.g.add((node, SAC.inSection, self.section_iri(file, rec, what, str(rec["section"]))))
        panels = rec.get("panels") or {}
        if not isinstance(panels, dict):
            self.problem(file, rec, what, "panels", "expected a mapping of panel letter to summary")
            panels = {}
        for letter, summary in panels.items():
            panel = self.panel_iri(file, rec, what, f"{number}{letter}")
            if panel is not None:
                self.text(panel, SKOS.note, summary, "en")
        for key in as_list(rec.get("sources")):
            ref = self.references.get(str(key))
            if ref is None:
                self.problem(file, rec, what, "sources", f"unknown reference '{key}'{self._suggest_ref(key)}")
            else:
                self.g.add((node, PROV.wasDerivedFrom, ref))
        self.locations[node] = Location.of(file, rec, what)

    # ------------------------------------------------------------ references
    def declare_reference(self, file, content: Record) -> None:
        rec = content.get("reference")
        if rec is None and not any(content.get(b) for b in ("systems", "measurements", "claims")):
            return  # a file of shared materials only
        if not isinstance(rec, Record):
            self.problem(file, content, "", "reference", "every file with systems, measurements or claims needs a 'reference' block")
            return
        key = rec.get("id")
        what = f"reference '{key}'"
        if not self.check_fields(file, rec, what, REFERENCE_FIELDS, ("id", "authors", "journal", "year")):
            if key is None:
                return
        key = str(key)
        if not REFERENCE_ID.match(key):
            self.problem(file, rec, what, "id", "use letters, digits, '.', '_' and '-' only (at most 100, "
                         "starting with a letter or digit)")
            return
        if key in self.references:
            self.problem(file, rec, what, "id", "duplicate reference id")
            return
        twin = self._folded_ids.get(id_fold(key))
        if twin is not None:
            self.problem(file, rec, what, "id", f"too close to reference id '{twin[0]}' in {twin[1]}: "
                         "ids must differ in more than case or punctuation")
            return
        self._folded_ids[id_fold(key)] = (key, file)
        node = ID[f"reference/{key}"]
        self.references[key] = node
        self.locations[node] = Location.of(file, rec, what)
        g = self.g
        g.add((node, RDF.type, BIBO.AcademicArticle))
        if key == REVIEW_ID:
            g.add((node, RDF.type, SAC.Review))
        g.add((node, SAC.sourceKey, Literal(key)))
        g.add((node, SKOS.altLabel, Literal(key)))
        authors = as_list(rec.get("authors"))
        people = {}
        if authors:
            # blank nodes named after the reference, so the same data gives the same triples at every build
            # (kg.curate.papers updates the store by the difference)
            cells = [BNode(f"authors-{key}-{i}") for i in range(len(authors))]
            for i, name in enumerate(authors):
                person = BNode(f"author-{key}-{i}")
                g.add((person, RDF.type, FOAF.Person))
                g.add((person, FOAF.name, Literal(str(name))))
                g.add((cells[i], RDF.first, person))
                g.add((cells[i], RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil))
                people.setdefault(str(name), person)
            g.add((node, BIBO.authorList, cells[0]))
        self.front_matter(file, rec, what, node, people)
        journal = rec.get("journal")
        if journal:
            jnode = ID[f"journal/{slug(journal)}"]
            g.add((jnode, RDF.type, BIBO.Journal))
            g.add((jnode, DCTERMS.title, Literal(str(journal))))
            g.add((jnode, RDFS.label, Literal(str(journal))))
            g.add((node, DCTERMS.isPartOf, jnode))
        year = rec.get("year")
        if year is not None:
            latest = date.today().year + 1  # a paper in press may carry next year's date
            if isinstance(year, int) and 1800 <= year <= latest:
                g.add((node, DCTERMS.issued, Literal(str(year), datatype=XSD.gYear)))
            elif isinstance(year, int) and latest < year <= 2100:
                self.problem(file, rec, what, "year", f"{year} is in the future (at most {latest}, for a paper in press)")
            else:
                self.problem(file, rec, what, "year", f"'{year}' is not a year")
        self.text(node, BIBO.volume, rec.get("volume"))
        self.text(node, BIBO.issue, rec.get("issue"))
        self.text(node, BIBO.pages, rec.get("pages"))
        self.text(node, DCTERMS.title, rec.get("title"))
        doi = rec.get("doi")
        if doi not in (None, ""):
            if DOI_PATTERN.match(str(doi)):
                g.add((node, BIBO.doi, Literal(str(doi))))
            else:
                self.problem(file, rec, what, "doi", f"{shown(doi)} is not a DOI (expected 10.NNNN/suffix)")
        number = rec.get("review_number")
        if number is not None:
            if isinstance(number, int) and number > 0:
                g.add((node, SAC.reviewNumber, Literal(number)))
                for alias in (f"ref. {number}", f"ref {number}", f"reference {number}"):
                    g.add((node, SKOS.altLabel, Literal(alias)))
                g.add((ID[f"reference/{REVIEW_ID}"], BIBO.cites, node))
            else:
                self.problem(file, rec, what, "review_number", f"'{number}' is not a positive whole number")
        self.text(node, SAC.citedFor, rec.get("cited_for"), "en")
        self.text(node, SKOS.note, rec.get("note"), "en")
        self.text(node, SAC.doubt, rec.get("doubt"), "en")
        g.add((node, RDFS.label, Literal(self.citation(rec))))
        g.add((node, DCTERMS.bibliographicCitation, Literal(self.citation(rec, full=True))))
        self._pending_refs.append((file, rec, what, node))

    def front_matter(self, file, rec: Record, what: str, node: URIRef, people: dict) -> None:
        """Dates, corresponding authors, affiliations, acknowledgements and the authors' biographies, as the
        first and last pages of a paper give them."""
        g = self.g
        for field_, predicate in (("received", DCTERMS.dateSubmitted), ("accepted", DCTERMS.dateAccepted)):
            value = rec.get(field_)
            if value is None:
                continue
            if isinstance(value, date):
                g.add((node, predicate, Literal(value.isoformat(), datatype=XSD.date)))
            else:
                self.problem(file, rec, what, field_, f"'{value}' is not a date (expected YYYY-MM-DD)")

        def person(name, where, label, fld):
            found = people.get(str(name))
            if found is None:
                self.problem(file, where, label, fld, f"'{name}' is not one of the authors")
            return found

        for name in as_list(rec.get("corresponding_authors")):
            found = person(name, rec, what, "corresponding_authors")
            if found is not None:
                g.add((node, SAC.correspondingAuthor, found))
        blocks = {"affiliations": ("affiliation", ("name", "authors")),  # block: (one item, (required, optional))
                  "acknowledgements": ("acknowledgement", ("name", "for", "grants")),
                  "biographies": ("biography", ("name", "note"))}
        for block, (one, fields) in blocks.items():
            items = rec.get(block)
            if items is None:
                continue
            if not isinstance(items, list) or not all(isinstance(i, Record) for i in items):
                self.problem(file, rec, what, block, "expected a list of mappings")
                continue
            for item in items:
                label = f"{what}: {one}"
                if not self.check_fields(file, item, label, set(fields), fields[:2]):
                    continue
                target = self.unique(ID[f"{one}/{slug(item['name'])}"])
                g.add((target, RDFS.label, Literal(str(item["name"]).strip())))
                g.add((target, PROV.wasDerivedFrom, node))
                if block == "biographies":
                    found = person(item["name"], item, label, "name")
                    g.add((target, RDF.type, SAC.AuthorBiography))
                    self.text(target, SKOS.note, item["note"], "en")
                    if found is not None:
                        g.add((target, SAC.aboutAuthor, found))
                elif block == "affiliations":
                    g.add((target, RDF.type, FOAF.Organization))
                    for name in as_list(item["authors"]):
                        found = person(name, item, label, "authors")
                        if found is not None:
                            g.add((found, SAC.affiliation, target))
                else:
                    g.add((target, RDF.type, SAC.Acknowledgement))
                    g.add((node, SAC.acknowledges, target))
                    self.text(target, SAC.acknowledgedFor, item["for"], "en")
                    for grant in as_list(item.get("grants")):
                        g.add((target, SAC.grantNumber, Literal(str(grant))))

    @staticmethod
    def citation(rec: Record, full: bool = False) -> str:
        authors = [str(a) for a in as_list(rec.get("authors"))]
        first = authors[0] if authors else "Anon."
        lead = first if len(authors) == 1 else (f"{first} and {authors[1]}" if len(authors) == 2 else f"{first} et al.")
        parts = [lead, str(rec.get("journal", "")), str(rec.get("year", ""))]
        if full:
            parts += [str(rec[k]) for k in ("volume", "pages") if rec.get(k)]
        text = ", ".join(p for p in parts if p)
        number = rec.get("review_number")
        return f"{text} [ref. {number}]" if number else text

    def claim_texts(self) -> None:
        """Write who a claim or finding is about, its effect and its evidence as text, each marked where the
        curator inferred it, so that every answer listing them shows the mark without assembling it."""
        g, mark = self.g, " (inferred)"
        for cls in (SAC.Claim, SAC.Finding):
            for node in list(g.subjects(RDF.type, cls)):
                inferred = (node, SAC.inferred, Literal(True)) in g
                subject = g.value(node, SAC.aboutSystem) or g.value(node, SAC.aboutMaterial)
                g.set((node, SAC.subjectText, Literal(f"{g.value(subject, RDFS.label)}{mark if inferred else ''}")))
                effect = g.value(node, SAC.effect)
                if effect is not None:
                    g.set((node, SAC.effectText,
                           Literal(f"{self.ontology.value(effect, SKOS.prefLabel)}{mark if inferred else ''}")))
                marked = set(g.objects(node, SAC.inferredTechnique))
                evidence = sorted(f"{self.ontology.value(t, SKOS.prefLabel)}{mark if t in marked else ''}"
                                  for t in g.objects(node, SAC.evidenceTechnique))
                if evidence:
                    g.set((node, SAC.evidenceText, Literal(", ".join(evidence))))
                self.texts(node)

    def review_links(self) -> None:
        for file, rec, what, node in self._pending_refs:
            for number in as_list(rec.get("cited_in_sections")):
                self.g.add((node, SAC.citedInSection, self.section_iri(file, rec, what, str(number))))
            for number in as_list(rec.get("reproduced_in_figures")):
                fig = self.panel_iri(file, rec, what, str(number))
                if fig is not None:
                    self.g.add((node, SAC.reproducedInFigure, fig))
        for file, rec, what in self._pending_figures:
            self.figure(file, rec, what)

    # ------------------------------------------------------------ materials and systems
