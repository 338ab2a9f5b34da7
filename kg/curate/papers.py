"""Adding and removing papers: everything is validated against the whole knowledge base first, then
written in one all-or-nothing change (kg.source.transaction), so bad input never touches the data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from kg.model.errors import SackgError
from kg.model.resources import FewerCollections, data_source
from kg.model.text import escaped
from kg.model.text import shown as shown_text
from kg.source.ingest import build, shown_name
from kg.source.records import Problem, Record, file_problem, load_yaml
from kg.source.schema import DOI_PATTERN, REFERENCE_ID, REVIEW_ID, Built, SourceErrors, id_fold, slug, source_files
from kg.source.snapshot import Reference, Snapshot, as_graph
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
    with locked(str(base)), FewerCollections():
        current = source_files(base)
        papers, problems = [], []
        for name in files:
            paper = _read_paper(Path(name), problems, current)
            if paper is not None:
                papers.append(paper)
        if not papers:
            raise SourceErrors(problems)
        old, store = _before(base, current)
        dois = {ref.doi.lower(): ref.stored for ref in old.references if ref.stored and ref.doi}
        keep, writes, moves, changes, seen = list(current), {}, {}, [], {}
        ids = {id_fold(ref.key): (ref.key, ref.stored) for ref in old.references if ref.stored}
        this_call = {}
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
            moves[shown_name(base, path)] = f"data/{target}"  # where its records will be read from
            changes.append(_change("replaced" if existing else "added", target, content))
        if problems:
            raise SourceErrors(problems)
        new = _checked(base, keep + [path for path, _c, _s in papers], old, store)
        new = new.moved(moves)
        changes = [_labelled(c, new.references) for c in changes]
        if not dry_run:
            commit(str(base), writes, [])
            _update(base, store, old, new)
    return Outcome(changes, len(old.lines), len(new.lines), not dry_run)


def remove(key: str, data_dir=None, dry_run: bool = False) -> Outcome:
    """Take the paper with DOI (or reference id) `key` out of the knowledge base."""
    base = writable_data_dir(data_dir)
    with locked(str(base)), FewerCollections():
        current = source_files(base)
        old, store = _before(base, current)
        rel = _find_reference(old, key).stored
        if rel == "review.yaml":
            raise SackgError(f"{key}: that is the review itself, which cannot be removed")
        path = base / rel
        content, problem = load_yaml(path, f"data/{rel}")
        if problem:
            raise SourceErrors([problem])
        change = _labelled(_change("removed", rel, content), old.references)
        try:
            new = _checked(base, [f for f in current if f != path], old, store)
        except SackgError as exc:
            places = [_dependent(line) for line in str(exc).splitlines()]
            listed = "; ".join(places[:3]) + (f"; and {len(places) - 3} more" if len(places) > 3 else "")
            count = f"{len(places)} records still cite it" if len(places) != 1 else "1 record still cites it"
            raise SackgError(f"cannot remove data/{rel}: {count} ({listed})") from None
        if not dry_run:
            commit(str(base), {}, [rel])
            _update(base, store, old, new)
    return Outcome([change], len(old.lines), len(new.lines), not dry_run)


def _before(base: Path, files: list[Path]) -> tuple[Snapshot, str | None]:
    """The data as it is, converted: read from the store built from it when there is one (its path is
    returned too: the data then conforms to the shapes), else converted from `files`."""
    from kg.engine.build import complete_store

    store = complete_store(str(base))
    saved = Snapshot.load(store) if store is not None else None
    if saved is None:
        return Snapshot.of(build(base, files)), None
    return saved, store


def _checked(base: Path, files: list[Path], before: Snapshot, store: str | None) -> Snapshot:
    """Build from `files` and run the shapes; any problem raises, one line each. When the data before the
    change is known to conform (`store` was built from exactly it), only the nodes the change can have made
    wrong are validated (`changed_nodes`); otherwise everything is."""
    from kg.source.validate import check_nodes, validate_source

    if store is not None:
        built = build(base, files)
        after = Snapshot.of(built)
        violations = check_nodes(built, changed_nodes(before, after, built))
    else:
        after, violations = validate_source(base, files)
    if violations:
        raise SackgError("\n".join(map(str, violations)))
    return after


def _update(base: Path, store: str | None, before: Snapshot, after: Snapshot) -> None:
    """Bring the store up to date with the change just committed, by its difference, when one was built
    from the data before it; otherwise the next command builds one in full."""
    if store is not None:
        from kg.engine.build import update_store

        update_store(str(base), store, before, after)


def changed_nodes(before: Snapshot, after: Snapshot, built: Built) -> set:
    """The nodes whose shapes a change can break. The shapes look at a node's own triples, one property
    deep, and at the types of the nodes it points to, so: the subjects and objects of every triple added or
    removed (for a blank node, the named node whose author list it is part of), the nodes pointing to a
    node whose types changed, and every node read from another place."""
    from rdflib import RDF, BNode

    diff = as_graph(before.lines ^ after.lines)
    nodes = {part for s, _p, o in diff for part in (s, o) if isinstance(part, URIRef)}
    blanks = [part for s, _p, o in diff for part in (s, o) if isinstance(part, BNode)]
    seen = set()
    while blanks:
        blank = blanks.pop()
        if blank not in seen:
            seen.add(blank)
            for owner in built.graph.subjects(None, blank):
                if isinstance(owner, BNode):
                    blanks.append(owner)
                else:
                    nodes.add(owner)
    for retyped in {s for s, p, _o in diff if p == RDF.type}:
        nodes |= {s for s in built.graph.subjects(None, retyped) if isinstance(s, URIRef)}
    nodes |= {URIRef(node) for node, where in after.locations.items() if before.locations.get(node) != where}
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


def _dependent(problem: str) -> str:
    """A record that removing a paper would break, from the problem it would have: where it is, and the
    name it would miss when the problem says so."""
    import re

    place, _, message = problem.partition(": field ")
    missing = re.search(r"unknown ([a-z][a-z ]*?) ('[^']*')", message)
    return f"{place}, which needs {missing.group(1)} {missing.group(2)}" if missing else place


def _find_reference(before: Snapshot, key: str) -> Reference:
    wanted = key.strip().lower()
    by_doi = bool(DOI_PATTERN.match(key.strip()))
    for ref in before.references:
        value = ref.doi if by_doi else ref.key
        if ref.stored is not None and value is not None and value.lower() == wanted:
            return ref
    raise SackgError(f"{key}: no paper with that {'DOI' if by_doi else 'reference id'} in the knowledge base")


def _change(action: str, rel: str, content: Record) -> Change:
    ref = content.get("reference") or {}

    def count(block):
        value = content.get(block)
        return len(value) if isinstance(value, list) else 0

    return Change(action, f"data/{rel}", str(ref.get("id")), str(ref.get("doi") or "none"),
                  count("systems"), count("measurements"), count("claims"))


def _labelled(change: Change, references: list[Reference]) -> Change:
    """The change with the reference shown by its citation label, as the knowledge base will show it."""
    for ref in references:
        if ref.key == change.reference:
            return Change(change.action, change.file, str(ref.label), change.doi, change.systems,
                          change.measurements, change.claims)
    return change
