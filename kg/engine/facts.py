"""The fact index: every recorded fact as one short sentence with its citation, searchable by words.

It is built with the store, from the rows of `queries/facts.rq`, into SQLite FTS5 (`facts.sqlite` in
the store's directory, so it carries the store's fingerprint and is never stale). After `sackg add` or
`remove` it is updated from the old store's index (`Update`): only the facts the change can reach are
queried again. A back-end with no store directory (rdflib, a SPARQL endpoint) gets the same index built
in memory when first asked.
Search is by terms with weights: a fact's score is the weight of the terms it contains, as a share of
all the terms asked for; ties are broken by FTS5's bm25 rank.
"""

from __future__ import annotations

import heapq
import os
import re
import sqlite3
import weakref

FILE = "facts.sqlite"
COLUMNS = ("fact", "kind", "about", "sentence", "reference", "section", "figures")
_SCHEMA = ("CREATE VIRTUAL TABLE facts USING fts5(about, sentence, cited, fact UNINDEXED, kind UNINDEXED, "
           "reference UNINDEXED, section UNINDEXED, figures UNINDEXED, "
           "tokenize = 'porter unicode61 remove_diacritics 2')",
           "CREATE TABLE words(word TEXT PRIMARY KEY) WITHOUT ROWID")
# A term found in more than this share of the facts says little about which fact is meant.
COMMON = 0.12
_WORD = re.compile(r"[^\W\d_]{4,}")
# Facts of one experiment: each also holds the words of the system it is about ("a Co host" names its values).
EXPERIMENT = ("value", "claim", "finding")
# What the authors column of a fact holds, by kind.
PEOPLE = {"publication": "Corresponding authors", "affiliation": "Authors affiliated", "acknowledgement": "Grant numbers"}
_FIGURE = re.compile(r"^Fig\. (\d+)([A-Z]?)$")
_CAPITALISED = re.compile(r"\b[A-Z][\w&-]*(?:\s+(?:(?:of|and|for|the|&)\s+)*[A-Z][\w&-]*)+")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_OPEN: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # knowledge base -> its FactIndex


def sentence(row: dict) -> str:
    """A fact's sentence: what it is about, what is recorded, the curator's note on it, and the authors
    of a paper."""
    statement = row["statement"]
    if row.get("kind") == "system":  # its lists come sorted (Template.canonical): the same on every engine
        listed = {k: str(row.get(k) or "").replace("; ", ", ") for k in ("centres", "metals", "synthesis", "techniques")}
        statement = (f"single {listed['centres']} atoms {statement}" + (f"; for {listed['metals']}" if listed["metals"] else "")
                     + (f"; made by {listed['synthesis']}" if listed["synthesis"] else "")
                     + (f"; studied with {listed['techniques']}" if listed["techniques"] else ""))
    if row.get("kind") == "publication":
        statement = _ISO_DATE.sub(lambda m: f"{int(m[3])} {_MONTHS[int(m[2]) - 1]} {m[1]} ({m[0]})", statement)
    if row.get("record"):  # a paper's first and last author, volume, pages and DOI
        statement = f"{statement.rstrip('.')}; {row['record']}"
    parts = [f"{row['about']}: {statement}", str(row.get("note") or "")]
    if row.get("authors"):
        parts.append(f"{PEOPLE.get(row.get('kind'), 'Authors')}: {row['authors']}")
    return ". ".join(p.strip().rstrip(".") for p in parts if p.strip()) + "."


def figure_word(number: str, panel: str = "") -> str:
    """The word the index holds for a figure or one of its panels ("fig7", "fig7c")."""
    return f"fig{number}{panel.lower()}"


def cited(row: dict) -> str:
    """The figures a fact shows or is shown in, as index words: a panel also counts as its figure."""
    figures = [f for f in str(row.get("figures") or "").split("; ") if f]
    own = _FIGURE.match(str(row["about"])) if str(row.get("kind")) in ("figure", "figure panel") else None
    panels = [(m[1], m[2]) for m in map(_FIGURE.match, figures) if m]
    if own:
        panels.append((own[1], own[2]))
    return " ".join(dict.fromkeys(w for n, p in panels for w in (figure_word(n, p), figure_word(n))))


def build(kb, path: str = ":memory:") -> sqlite3.Connection:
    """Write the index of every fact of `kb` to `path` (a new file) and return it open."""
    return _write(path, _records(kb))


class Update:
    """The fact index after a change to the store whose index is at `path`: its records are kept, but those
    of the facts the change `touch`es, which are queried again. The same index as `build` writes."""

    def __init__(self, path: str):
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            self.previous = connection.execute(f"SELECT {', '.join(_RECORD)} FROM facts").fetchall()
        self.touched: set[str] = set()

    def touch(self, store, changed) -> None:
        """Note the facts a change of the triples `changed` can alter, in `store` as it is (call before and
        after the change)."""
        self.touched |= touched(store, changed)

    def write(self, kb, directory: str) -> None:
        from kg.model.terms import Iri

        kept = [record for record in self.previous if record[3] not in self.touched]
        fresh = _records(kb, [Iri(fact) for fact in sorted(self.touched)]) if self.touched else []
        _write(os.path.join(directory, FILE), kept + fresh).close()


# facts.rq reads at most this many triples in a chain from a fact (dcterms:isPartOf/prov:wasDerivedFrom
# then rdfs:label), not counting the blank nodes of an author list
REACH = 3


def touched(store, changed) -> set[str]:
    """The facts whose row in the index a change of the triples `changed` (pyoxigraph triples or quads) can
    have altered, in `store` as it is: the subject and object of each, what reaches a subject along at most
    REACH - 1 triples (blank nodes free), and what a subject points to (facts.rq reads a person's name
    from an institution)."""
    import pyoxigraph as ox

    found, reached, frontier = set(), set(), []
    for triple in changed:
        found.add(triple.object)
        frontier.append((triple.subject, 0))
    while frontier:
        node, steps = frontier.pop()
        if node in reached:
            continue
        reached.add(node)
        found.add(node)
        found.update(quad.object for quad in store.quads_for_pattern(node, None, None))
        for quad in store.quads_for_pattern(None, None, node):
            blank = isinstance(quad.subject, ox.BlankNode)
            if blank or steps + 1 < REACH:
                frontier.append((quad.subject, steps if blank else steps + 1))
    return {node.value for node in found if isinstance(node, ox.NamedNode)}


_RECORD = ("about", "sentence", "cited", "fact", "kind", "reference", "section", "figures")


def _records(kb, only: list | None = None) -> list[tuple]:
    """The index rows of every fact of `kb`, or of the facts in `only`."""
    from kg.engine.templates import template

    facts = template("facts")
    _, rows = kb.select(facts.text, {"fact": only} if only is not None else None)
    return [(str(row["about"]), sentence(row), cited(row), row["fact"].value, str(row["kind"]),
             str(row.get("reference") or ""), str(row.get("section") or ""), str(row.get("figures") or ""))
            for row in facts.canonical(rows)]


def _write(path: str, rows: list[tuple]) -> sqlite3.Connection:
    """A new index at `path` holding `rows`, in one order whichever way they were found."""
    connection = sqlite3.connect(path)
    for statement in _SCHEMA:
        connection.execute(statement)
    rows = sorted(rows, key=lambda r: (r[4], r[0], r[1], r[3]))  # kind, about, sentence, fact
    connection.executemany(f"INSERT INTO facts({', '.join(_RECORD)}) VALUES ({', '.join('?' * len(_RECORD))})", rows)
    words = {w.lower() for row in rows for w in _WORD.findall(row[1])}
    connection.executemany("INSERT INTO words(word) VALUES (?)", ((w,) for w in sorted(words)))
    connection.commit()
    return connection


class Hit:
    """One fact found, with the terms of the search it contains."""

    def __init__(self, row: tuple, matched: list[str], score: float, rank: float):
        self.fact, self.kind, self.about, self.sentence, self.reference, self.section, self.figures = row
        self.matched, self.score, self.rank = matched, score, rank

    def __repr__(self) -> str:
        return f"Hit({self.sentence[:60]!r}, {self.score:.2f})"


class FactIndex:
    """The fact index of one knowledge base."""

    # what a search amounts to, as an answer shows it; it runs as RANKED, then ROWS for the best facts
    SQL = ("SELECT rowid, fact, kind, about, sentence, reference, section, figures, bm25(facts, 2.0, 1.0, 1.0) "
           "FROM facts WHERE facts MATCH :match")
    RANKED = "SELECT rowid, kind, about, bm25(facts, 2.0, 1.0, 1.0) FROM facts WHERE facts MATCH ?"
    ROWS = "SELECT rowid, fact, kind, about, sentence, reference, section, figures FROM facts"
    ABOUT = "SELECT fact, kind, about, sentence, reference, section, figures FROM facts WHERE fact = :fact"

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.size = connection.execute("SELECT count(*) FROM facts").fetchone()[0]

    @classmethod
    def of(cls, kb) -> "FactIndex":
        """The index saved with `kb`'s store, or one built now for a store saved without it."""
        found = _OPEN.get(kb)
        if found is None:
            path = os.path.join(kb.path, FILE) if getattr(kb, "path", None) else None
            if path and os.path.exists(path):
                connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            else:
                connection = build(kb)
            found = _OPEN[kb] = cls(connection)
        return found

    def rows_with(self, term) -> set[int]:
        """The facts holding `term`: a word or phrase, or a tuple of them (any one will do)."""
        return {r for (r,) in self.connection.execute("SELECT rowid FROM facts WHERE facts MATCH ?",
                                                      (_expression(term),))}

    def has_word(self, word: str) -> bool:
        """Whether some fact is written with `word` as it is spelt."""
        return self.connection.execute("SELECT 1 FROM words WHERE word = ?", (word.lower(),)).fetchone() is not None

    def spelt_out(self, acronym: str) -> list[str]:
        """The capitalised phrases of the facts whose initials spell `acronym` ("NSFC": National Natural
        Science Foundation of China), small words such as "of" aside."""
        found = {}
        for (text,) in self.connection.execute("SELECT sentence FROM facts"):
            for match in _CAPITALISED.finditer(text):
                words = match.group(0).split()
                initials = "".join(w[0] for w in words if w[0].isupper()).lower()
                if len(words) > 1 and _spells(acronym.lower(), initials):
                    found[match.group(0)] = None
        return sorted(found)

    def closest_word(self, word: str) -> str | None:
        """The word of some fact nearest in spelling to `word`, if one is near enough."""
        from rapidfuzz import fuzz, process

        words = [w for (w,) in self.connection.execute("SELECT word FROM words WHERE word >= ? AND word < ?",
                                                        (word[0], chr(ord(word[0]) + 1)))]
        found = process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=80)
        return found[0] if found else None

    def search(self, terms: dict, limit: int = 5) -> tuple[str, list[Hit]]:
        """The facts holding the largest share of `terms` (term -> weight; a term is a word or phrase, or a
        tuple of them), best first, with the match expression that ran. A term in many facts counts for
        half its weight, and so does a term no fact holds.

        Scores come from the sets of facts holding each term; the full rows and FTS5's rank are read only
        for the facts that can still be among the best (at 100,000 systems a common word is in 300,000)."""
        if not terms:
            return "", []
        holding = {term: self.rows_with(term) for term in terms}
        weights = {t: w * (0.5 if len(holding[t]) > COMMON * self.size or not holding[t] else 1.0)
                   for t, w in terms.items()}  # a word no fact holds tells no fact from another
        total = sum(weights.values())
        match = " OR ".join(_expression(t) for t in terms)
        found = {}  # rowid -> (kind, about, the terms it holds, rank)
        for rowid, kind, about, rank in self.connection.execute(self.RANKED, (match,)):
            found[rowid] = (kind, about, [t for t in terms if rowid in holding[t]], rank)
        described = {about: set(matched) for kind, about, matched, _ in found.values() if kind == "system"}
        scores = {}
        for rowid, (kind, about, matched, rank) in found.items():
            if kind in EXPERIMENT and about in described:  # a value of a Co system holds "Co" through it
                matched = [t for t in terms if t in matched or t in described[about] and terms[t] > 1]
                found[rowid] = (kind, about, matched, rank)
            scores[rowid] = sum(weights[t] for t in matched) / total
        order = {r: (-score, found[r][3]) for r, score in scores.items()}  # the sentence breaks what ties remain
        edge = heapq.nsmallest(limit, order.values())[-1] if order else None
        contenders = [r for r, key in order.items() if key <= edge]
        hits = []
        for start in range(0, len(contenders), 500):
            chunk = contenders[start:start + 500]
            sql = f"{self.ROWS} WHERE rowid IN ({', '.join('?' * len(chunk))})"
            for rowid, *row in self.connection.execute(sql, chunk):
                hits.append(Hit(tuple(row), found[rowid][2], scores[rowid], found[rowid][3]))
        hits.sort(key=lambda h: (-h.score, h.rank, h.sentence))
        return match, hits[:limit]

    def systems(self) -> set[str]:
        """The names of the SAC systems the facts are about."""
        if not hasattr(self, "_systems"):
            self._systems = {a for (a,) in self.connection.execute("SELECT about FROM facts WHERE kind = 'system'")}
        return self._systems

    def same_experiment(self, hit: Hit) -> list[Hit]:
        """The other facts about what `hit` is about that share one of its figures (or, with no figure, its
        section): the rest of one experiment."""
        figures = set(hit.figures.split("; ")) - {""}
        if not figures and not hit.section:
            return []
        found = []
        for row in self.connection.execute(self.ABOUT.replace("fact = :fact", "about = :about"), {"about": hit.about}):
            theirs = set(row[6].split("; ")) - {""}
            if row[0] != hit.fact and (figures & theirs if figures else not theirs and row[5] == hit.section):
                found.append(Hit(row, [], 0.0, 0.0))
        return sorted(found, key=lambda h: h.sentence)

    def description(self, about: str) -> list[Hit]:
        """The facts of kind `system` about `about` (a system's label): what it is and what it is for."""
        sql = self.ABOUT.replace("fact = :fact", "about = :about AND kind = 'system'")
        return [Hit(row, [], 1.0, 0.0) for row in self.connection.execute(sql, {"about": about})]

    def about(self, facts: list[str], kinds: tuple = ("definition",)) -> list[Hit]:
        """The facts whose IRI is one of `facts`, of the given kinds."""
        found = []
        for iri in facts:
            for row in self.connection.execute(self.ABOUT, {"fact": iri}):
                if row[1] in kinds:
                    found.append(Hit(row, [], 1.0, 0.0))
        return found


def _spells(acronym: str, initials: str) -> bool:
    """Whether `acronym` is `initials`, or them with one left out inside (NSFC: National Natural Science
    Foundation of China)."""
    if acronym == initials:
        return True
    return (len(initials) == len(acronym) + 1 and initials[0] == acronym[0] and initials[-1] == acronym[-1]
            and any(initials[:i] + initials[i + 1:] == acronym for i in range(1, len(initials) - 1)))


def _expression(term) -> str:
    return " OR ".join(map(_phrase, term)) if isinstance(term, tuple) else _phrase(term)


def _phrase(term: str) -> str:
    """A term as an FTS5 string: quoted, so that no character of it is read as query syntax."""
    return '"' + term.replace('"', '""') + '"'
