"""Adding and removing papers: everything is validated against the whole knowledge base first, then
written in one all-or-nothing change (kg.source.transaction), so bad input never touches the data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from kg.model.errors import SackgError
from kg.model.namespaces import BIBO, SAC
from kg.model.resources import data_source
from kg.model.text import escaped
from kg.model.text import shown as shown_text
from kg.source.ingest import build
from kg.source.records import Problem, Record, file_problem, load_yaml
from kg.source.schema import DOI_PATTERN, REFERENCE_ID, REVIEW_ID, Built, SourceErrors, id_fold, slug, source_files
from kg.source.transaction import commit, locked

PAPER_BLOCKS = ("reference", "materials", "systems", "measurements", "claims")


@dataclass(frozen=True)
class Change:
    action: str  # added, replaced or removed
    file: str  # relative to the data directory
    reference: str
    doi: str
    systems: int
    measurements: int
    claims: int

    def __str__(self) -> str:
        counts = ", ".join(f"{n} {word if n == 1 else word + 's'}" for n, word in
                           ((self.systems, "system"), (self.measurements, "measurement"), (self.claims, "claim")))
        return f"{self.action} {self.file}: {self.reference} (doi {self.doi}): {counts}"


@dataclass(frozen=True)
class Outcome:
    changes: list[Change]
    before: int  # triples of curated data
    after: int
    written: bool

    def lines(self) -> list[str]:
        lines = [str(c) if self.written else f"would have {c}" for c in self.changes]
        lines.append(f"curated triples: {self.before:,} -> {self.after:,} ({self.after - self.before:+,})")
        if not self.written:
            lines.append("nothing written (--dry-run)")
        return lines


def writable_data_dir(data_dir=None) -> Path:
    path = Path(data_source(data_dir))
    if "_bundled" in path.parts:
        raise SackgError(f"{path}: the data installed with the package is read-only; "
                         "copy it and pass --data DIR (or set SACKG_DATA)")
    return path


def add(files: list[str], data_dir=None, replace: bool = False, dry_run: bool = False) -> Outcome:
    """Add (or with `replace`, update) the papers in `files` to the knowledge base."""
    base = writable_data_dir(data_dir)
    with locked(str(base)):
        current = source_files(base)
        papers, problems = [], []
        for name in files:
            paper = _read_paper(Path(name), problems, current)
            if paper is not None:
                papers.append(paper)
        if not papers:
            raise SourceErrors(problems)
        old = build(base, current)
        dois = _dois(base, old)
        keep, writes, changes, seen = list(current), {}, [], {}
        ids, this_call = _ids(old), {}
        for path, content, shown in papers:
            ref = content["reference"]
            what, doi = f"reference '{ref.get('id')}'", str(ref["doi"])
            if doi.lower() in seen:  # DOIs are case-insensitive
                problems.append(Problem(shown, ref.line_of("doi"), what, "doi", f"DOI {doi} is also in {seen[doi.lower()]}"))
                continue
            seen[doi.lower()] = shown
            key, fold = str(ref["id"]), id_fold(ref["id"])
            if fold in this_call:
                problems.append(Problem(shown, ref.line_of("id"), what, "id",
                                        f"reference id '{this_call[fold][0]}' in {this_call[fold][1]} would share its file; "
                                        "ids must differ in more than case or punctuation"))
                continue
            this_call[fold] = (key, shown)
            twin = ids.get(fold)
            if twin is not None and twin[0] != key and twin[1] != (dois.get(doi.lower()) if replace else None):
                problems.append(Problem(shown, ref.line_of("id"), what, "id",
                                        f"too close to reference id '{twin[0]}' in data/{twin[1]}: "
                                        "ids must differ in more than case or punctuation"))
                continue
            existing = dois.get(doi.lower())
            target = f"papers/{slug(ref['id'])}.yaml"
            if existing is not None:
                if existing == "review.yaml":
                    problems.append(Problem(shown, ref.line_of("doi"), what, "doi",
                                            f"DOI {doi} is the review's own; the review cannot be replaced"))
                    continue
                if not replace:
                    problems.append(Problem(shown, ref.line_of("doi"), what, "doi",
                                            f"DOI {doi} is already in the knowledge base (data/{existing}); "
                                            "use --replace to update that paper"))
                    continue
                keep.remove(base / existing)
                target = existing
            elif (base / target).exists():
                problems.append(Problem(shown, ref.line_of("id"), what, "id",
                                        f"reference id '{ref['id']}' is already used by data/{target}"))
                continue
            if target in writes:  # pragma: no cover - the id checks above make targets unique
                problems.append(Problem(shown, ref.line_of("id"), what, "id", f"another paper is also written to data/{target}"))
                continue
            writes[target] = path.read_bytes()
            changes.append(_change("replaced" if existing else "added", target, content))
        if problems:
            raise SourceErrors(problems)
        new = _checked(base, keep + [path for path, _c, _s in papers], old)
        changes = [_labelled(c, new) for c in changes]
        if not dry_run:
            commit(str(base), writes, [])
    return Outcome(changes, len(old.graph), len(new.graph), not dry_run)


def remove(key: str, data_dir=None, dry_run: bool = False) -> Outcome:
    """Take the paper with DOI (or reference id) `key` out of the knowledge base."""
    base = writable_data_dir(data_dir)
    with locked(str(base)):
        current = source_files(base)
        old = build(base, current)
        node = _find_reference(old, key)
        location = old.locations[node]
        rel = location.file.removeprefix("data/")
        if rel == "review.yaml":
            raise SackgError(f"{key}: that is the review itself, which cannot be removed")
        path = base / rel
        content, problem = load_yaml(path, location.file)
        if problem:
            raise SourceErrors([problem])
        change = _labelled(_change("removed", rel, content), old)
        try:
            new = _checked(base, [f for f in current if f != path], old)
        except SackgError as exc:
            places = [line.split(": field ")[0] for line in str(exc).splitlines()]
            listed = "; ".join(places[:3]) + (f"; and {len(places) - 3} more" if len(places) > 3 else "")
            count = f"{len(places)} records still cite it" if len(places) != 1 else "1 record still cites it"
            raise SackgError(f"cannot remove {location.file}: {count} ({listed})") from None
        if not dry_run:
            commit(str(base), {}, [rel])
    return Outcome([change], len(old.graph), len(new.graph), not dry_run)


def _checked(base: Path, files: list[Path], before: Built) -> Built:
    """Build from `files` and run the shapes; any problem raises, one line each. When the data before the
    change is known to conform (a complete store was built from exactly it), only the nodes the change can
    have made wrong are validated (`changed_nodes`); otherwise everything is."""
    from kg.source.validate import check_nodes, validate_source

    if _conformed(base):
        built = build(base, files)
        violations = check_nodes(built, changed_nodes(before, built))
    else:
        built, violations = validate_source(base, files)
    if violations:
        raise SackgError("\n".join(map(str, violations)))
    return built


def _conformed(base: Path) -> bool:
    """Whether the data as it is now passed the shapes: the store is built only from data that does, and its
    name and completion mark say which inputs (data, ontology, shapes, code) it was built from."""
    from kg.engine import cache
    from kg.engine.build import signature, store_path

    return cache.complete(store_path(str(base)), signature(str(base)))


def changed_nodes(before: Built, after: Built) -> set:
    """The nodes whose shapes a change can break. The shapes look at a node's own triples, one property
    deep, and at the types of the nodes it points to, so: the subjects and objects of every triple added or
    removed, the nodes pointing to a node whose types changed, and every node read from another place
    (a new or replaced paper: its blank-node author lists are new at every build)."""
    from rdflib import RDF, BNode

    def named(graph):
        return {t for t in graph if not any(isinstance(part, BNode) for part in t)}

    diff = named(before.graph) ^ named(after.graph)
    nodes = {part for s, _p, o in diff for part in (s, o) if isinstance(part, URIRef)}
    retyped = {s for s, p, _o in diff if p == RDF.type}
    nodes |= {s for s, _p, o in after.graph if o in retyped and isinstance(s, URIRef)}
    nodes |= {node for node, where in after.locations.items() if before.locations.get(node) != where}
    return nodes


def shown_path(path: Path) -> str:
    """A file name as messages show it: escaped, and shortened from the left when long."""
    text = escaped(str(path))
    return text if len(text) <= 120 else "…" + text[-119:]


def _read_paper(path: Path, problems: list[Problem], current: list[Path]):
    shown = shown_path(path)
    problem = Problem(shown, None, "", None, "is a symbolic link; give the paper file itself") \
        if path.is_symlink() else file_problem(path, shown)
    if problem is not None:
        problems.append(problem)
        return None
    if path.resolve() in [f.resolve() for f in current]:
        problems.append(Problem(shown, None, "", None, "already part of the data; check it with 'sackg validate'"))
        return None
    content, problem = load_yaml(path, shown)
    if problem:
        problems.append(problem)
        return None
    bad = [k for k in content if k not in PAPER_BLOCKS]
    if bad:
        problems.append(Problem(shown, content.line_of(bad[0]), "", str(bad[0]),
                                f"not part of a paper; a paper file has {', '.join(PAPER_BLOCKS)}"))
        return None
    ref = content.get("reference")
    if not isinstance(ref, Record):
        problems.append(Problem(shown, content.line if content else 1, "", "reference",
                                "a paper needs a 'reference' block"))
        return None
    what = f"reference {shown_text(ref.get('id'))}" if ref.get("id") not in (None, "") else "reference"
    if ref.get("id") in (None, ""):
        problems.append(Problem(shown, ref.line, what, "id", "required field is missing"))
        return None
    if not REFERENCE_ID.match(str(ref.get("id"))):
        problems.append(Problem(shown, ref.line_of("id"), what, "id", "use letters, digits, '.', '_' and '-' only "
                                "(at most 100, starting with a letter or digit)"))
        return None
    if str(ref.get("id")) == REVIEW_ID:
        problems.append(Problem(shown, ref.line_of("id"), what, "id", f"'{REVIEW_ID}' is the review's own id"))
        return None
    doi = ref.get("doi")
    if doi in (None, ""):
        problems.append(Problem(shown, ref.line, what, "doi", "required field is missing (papers are added by DOI)"))
        return None
    if not DOI_PATTERN.match(str(doi)):
        problems.append(Problem(shown, ref.line_of("doi"), what, "doi", f"{shown_text(doi)} is not a DOI (expected 10.NNNN/suffix)"))
        return None
    return path, content, shown


def _ids(built: Built) -> dict[str, tuple[str, str]]:
    """Folded reference id -> (id, data file relative to the data directory)."""
    found = {}
    for node, key in built.graph.subject_objects(SAC.sourceKey):
        location = built.locations.get(node)
        if location is not None:
            found[id_fold(str(key))] = (str(key), location.file.removeprefix("data/"))
    return found


def _dois(base: Path, built: Built) -> dict[str, str]:
    """Lower-cased DOI -> the data file (relative to the data directory) that holds it."""
    found = {}
    for node, doi in built.graph.subject_objects(BIBO.doi):
        location = built.locations.get(node)
        if location is not None:
            found[str(doi).lower()] = location.file.removeprefix("data/")
    return found


def _find_reference(built: Built, key: str) -> URIRef:
    wanted = key.strip()
    predicate = BIBO.doi if DOI_PATTERN.match(wanted) else SAC.sourceKey
    for node, value in built.graph.subject_objects(predicate):
        if str(value).lower() == wanted.lower() and node in built.locations:
            return node
    kind = "DOI" if predicate == BIBO.doi else "reference id"
    raise SackgError(f"{key}: no paper with that {kind} in the knowledge base")


def _change(action: str, rel: str, content: Record) -> Change:
    ref = content.get("reference") or {}

    def count(block):
        value = content.get(block)
        return len(value) if isinstance(value, list) else 0

    return Change(action, f"data/{rel}", str(ref.get("id")), str(ref.get("doi") or "none"),
                  count("systems"), count("measurements"), count("claims"))


def _labelled(change: Change, built: Built) -> Change:
    """The change with the reference shown by its citation label, as the knowledge base will show it."""
    from rdflib import RDFS

    for node, key in built.graph.subject_objects(SAC.sourceKey):
        if str(key) == change.reference:
            label = built.graph.value(node, RDFS.label)
            return Change(change.action, change.file, str(label), change.doi, change.systems,
                          change.measurements, change.claims)
    return change

