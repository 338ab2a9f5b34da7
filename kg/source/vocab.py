"""Looking up vocabulary terms and units by any of their labels, and parsing values with units."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from kg.model.namespaces import QUDT, SAC
from kg.model.numbers import parse_decimal, plain
from kg.model.text import name_key, shown, suggestion, unit_key

LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


class LookupError_(Exception):
    """A name that matches no term of the expected kind; carries close suggestions."""

    def __init__(self, message: str):
        super().__init__(message)


@dataclass
class Term:
    iri: URIRef
    label: str
    types: frozenset


class LabelIndex:
    """Every label and synonym of every typed resource, keyed by name_key."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Term]] = defaultdict(list)
        self._labels: dict[URIRef, str] = {}
        self._terms: dict[URIRef, Term] = {}

    def add(self, iri: URIRef, label: str, types, synonyms=()) -> None:
        term = self._terms.get(iri)
        if term is None:
            term = Term(iri, label, frozenset(types))
            self._terms[iri] = term
        else:
            term.types = term.types | frozenset(types)
        for name in (label, *synonyms):
            key = name_key(str(name))
            if key and term not in self._by_key[key]:
                self._by_key[key].append(term)

    @classmethod
    def from_graph(cls, graph: Graph) -> "LabelIndex":
        index = cls()
        for subject in set(graph.subjects(RDF.type, None)):
            if not isinstance(subject, URIRef):
                continue
            labels = [str(o) for p in LABEL_PREDICATES for o in graph.objects(subject, p)]
            if not labels:
                continue
            preferred = graph.value(subject, SKOS.prefLabel) or graph.value(subject, RDFS.label)
            index.add(subject, str(preferred), set(graph.objects(subject, RDF.type)), labels)
        return index

    def names_of(self, types) -> list[str]:
        wanted = set(types)
        return sorted({t.label for t in self._terms.values() if t.types & wanted})

    def exact(self, name: str, types) -> list[Term]:
        wanted = set(types)
        return [t for t in self._by_key.get(name_key(str(name)), []) if t.types & wanted]

    def find(self, name: str, types, what: str) -> URIRef:
        """The one term of one of `types` that `name` names, or LookupError_ with suggestions."""
        wanted = set(types)
        matches = self.exact(name, types)
        if len(matches) == 1:
            return matches[0].iri
        if len(matches) > 1:
            names = ", ".join(sorted(f"'{t.label}'" for t in matches))
            raise LookupError_(f"'{name}' is ambiguous: it names {names}")
        raise LookupError_(f"unknown {what} '{name}'{self.suggest(name, wanted)}")

    def suggest(self, name: str, types) -> str:
        keys = {}
        for key, terms in self._by_key.items():
            for term in terms:
                if term.types & set(types):
                    keys.setdefault(key, term.label)
        return suggestion(str(name), keys)


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: URIRef
    comparator: URIRef | None


_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


class UnitTable:
    """Units by the ways curators write them, and comparators by their words."""

    def __init__(self, graph: Graph) -> None:
        self.units: dict[str, URIRef] = {}
        for unit in graph.subjects(RDF.type, SAC.Unit):
            for alias in (*graph.objects(unit, SAC.unitAlias), *graph.objects(unit, QUDT.symbol)):
                self.units[unit_key(str(alias))] = unit
        words = []
        for comparator in graph.subjects(RDF.type, SAC.Comparator):
            for label in (*graph.objects(comparator, SKOS.prefLabel), *graph.objects(comparator, SKOS.altLabel)):
                words.append((str(label).lower(), comparator))
        self.comparators = sorted(words, key=lambda pair: -len(pair[0]))
        self.display = sorted({str(graph.value(u, QUDT.symbol)) for u in set(self.units.values())} - {""})
        self.graph = graph

    def outside_bounds(self, q: Quantity, kind) -> str | None:
        """Why `q` cannot be a value of `kind` (a quantity or condition kind), judged by the plausible
        range the vocabulary gives it in its preferred unit; None when it can."""
        g = self.graph
        low, high = g.value(kind, SAC.minimumValue), g.value(kind, SAC.maximumValue)
        if low is None and high is None:
            return None
        preferred = g.value(kind, SAC.preferredUnit)
        value = self._converted(q.value, q.unit, preferred)
        for bound, below, word in ((low, True, "at least"), (high, False, "at most")):
            if bound is None:
                continue
            limit = Decimal(str(bound))
            if value is None and limit != 0:
                continue  # units of another dimension (kJ mol-1 for an energy in eV): only the sign is comparable
            compared = q.value if value is None else value
            if (compared < limit) if below else (compared > limit):
                name = g.value(kind, SKOS.prefLabel)
                symbol = g.value(preferred, QUDT.symbol) or ""
                return f"{plain(q.value)} is not a plausible {name}: it must be {word} {plain(limit)} {symbol}".rstrip()
        return None

    def _converted(self, value: Decimal, unit, preferred) -> Decimal | None:
        """`value` in `unit` written in `preferred` (QUDT multipliers and offsets), or None across dimensions."""
        g = self.graph
        if unit == preferred:
            return value
        if preferred is None or g.value(unit, QUDT.hasQuantityKind) != g.value(preferred, QUDT.hasQuantityKind):
            return None

        def factor(u, p):
            found = g.value(u, p)
            return Decimal(str(found)) if found is not None else Decimal(0)

        base = (value + factor(unit, QUDT.conversionOffset)) * factor(unit, QUDT.conversionMultiplier)
        multiplier = factor(preferred, QUDT.conversionMultiplier)
        return base / multiplier - factor(preferred, QUDT.conversionOffset) if multiplier else None

    def parse(self, text) -> Quantity:
        """'over 900 h' -> Quantity(900, unit:HR, sac:MoreThan). ValueError on anything else."""
        raw = str(text).strip().replace("−", "-").replace("–", "-")
        comparator = None
        lowered = raw.lower()
        for word, iri in self.comparators:
            if lowered.startswith(word):
                comparator, raw = iri, raw[len(word):].strip()
                break
        match = _NUMBER.match(raw)
        if not match:
            raise ValueError(f"{shown(text)} is not a number with a unit (e.g. '29 mV', 'over 900 h')")
        try:
            number = parse_decimal(match.group(0))
        except ValueError as exc:
            raise ValueError(f"{shown(text)}: number {exc}") from None
        unit_text = raw[match.end():].strip()
        unit = self.units.get(unit_key(unit_text))
        if unit is None:
            raise ValueError(
                f"unknown unit {shown(unit_text)} in {shown(text)}; known units: {', '.join(self.display)}"
            )
        return Quantity(number, unit, comparator)
