"""Understanding a question typed in plain English and answering it with a SPARQL template.

The steps: find the entities the question names (through the labels and synonyms of the knowledge
base, tolerating case, sub/superscripts, dashes, spacing and typos), find a number with its unit and
comparison if there is one, and a direction word (lowest, longest, ...); then pick the template whose
required parameters are all filled and whose cue words fit the question best. Every value reaches the
query as a bound parameter, never as query text.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kg.ask.choose import Choosing
from kg.ask.compose import MINOR
from kg.ask.threshold import ThresholdReading
from kg.ask.typos import TypoReading
from kg.ask.words import (
    ACRONYM_PLURAL,
    ASKED_UNIT,
    AUTHOR,
    BASELINE_KINDS,
    BEST_WORDS,
    BINDS,
    COMPARED_WITH,
    COMPARES,
    COUNTS,
    DOMAIN_WORDS,
    EDGE,
    EXCLUDING,
    FIGURE_CITED,
    FUNCTION_WORDS,
    HIGH_WORDS,
    KINDS,
    LOW,
    LOW_WORDS,
    NAME_LIKE,
    NUMBER,
    OPERATOR_WORDS,
    PLATED,
    SITU,
    STRENGTH,
    SUB_ZERO,
    WHOLE_NAMES_ONLY,
    WORST_WORDS,
    YEAR,
    YEAR_BEFORE,
    Mention,
    Reading,
    Threshold,
    slashed,
    the_metal,
    tokens_of,
)
from kg.engine.facts import figure_word
from kg.engine.names import Entity, Names, variants
from kg.engine.templates import Template, askable_templates
from kg.model.iris import SAC
from kg.model.terms import Iri
from kg.model.text import common_word, english_word, name_key, unit_key


class Reader(TypoReading, ThresholdReading, Choosing):
    """Reads questions against one knowledge base's names and units."""

    def __init__(self, kb, templates: list[Template] | None = None):
        self.kb = kb
        self.names = Names(kb)
        self.templates = templates or askable_templates()
        self.cue_words = set()
        for t in self.templates:
            self.cue_words |= set(t.cues) | set(t.avoid)
        self.units: dict[str, tuple[Iri, str]] = {}
        self.dimensions: dict[Iri, Iri] = {}  # unit -> the QUDT quantity kind it measures
        for row in kb.summary("units"):
            self.units[unit_key(row["alias"])] = (row["unit"], row["symbol"])
            self.dimensions[row["unit"]] = row.get("dimension")
        self.quantities = {row["quantity"].value: row for row in kb.summary("quantities")}
        self.known_words = FUNCTION_WORDS | DOMAIN_WORDS | OPERATOR_WORDS | self.cue_words | LOW_WORDS | HIGH_WORDS \
            | BEST_WORDS | WORST_WORDS
        # "overpotential", "capacity": the word that ends several quantities' names asks for each of them
        heads: dict[str, list[str]] = {}
        for iri, row in sorted(self.quantities.items(), key=lambda item: item[1]["label"]):
            heads.setdefault(re.split(r"[\s/]", row["label"].lower())[-1], []).append(iri)
        self.families = {head: iris for head, iris in heads.items() if len(iris) > 1}

    # ------------------------------------------------------------ names
    def _candidates(self, text: str, first: bool) -> list[Entity]:
        if " " in text and text.split()[0].lower() in ("a", "an", "the"):
            return []  # no name begins with an article ("a symmetric cell" is not "asymmetric cell")
        key = name_key(text)
        iris = self.names.iris(key)
        plated = PLATED.fullmatch(text.strip(EDGE))
        if not iris and plated and " " not in text:  # "CC@CN-SACo@Li", "SAFe/CVRCS@3DPC-Li": the system, plated
            iris = [i for i in self.names.iris(name_key(plated.group(1)))
                    if f"{SAC}SACSystem" in self.names.entity(i).classes]
        if not iris and " " in text.strip():  # "Nano Lett" whose last dot ended the question
            iris = self.names.iris(key + ".")
        if not iris and (len(key) > 4 or ACRONYM_PLURAL.fullmatch(text.strip(EDGE))):  # "COFs", "CNTs"
            for plural, singular in (("ies", "y"), ("ves", "fe"), ("s", "")):
                if key.endswith(plural) and self.names.iris(key[:-len(plural)] + singular):
                    iris = self.names.iris(key[:-len(plural)] + singular)
                    break
        if not iris:
            return []
        if len(key) <= 2:
            # short labels (K, Na, Co, NC, HC) must be written as the label is written
            if text not in self.names.spellings(key):
                return []
            if first and text.lower() in FUNCTION_WORDS:
                return []
        if " " not in text and (text.lower() in FUNCTION_WORDS or text.lower() in DOMAIN_WORDS):
            return []
        if text.islower() and all(s != s.lower() for s in self.names.spellings(key)) and common_word(text):
            return []  # "say", "safe", "stem": words, not SAY, SAFe or STEM
        found = [e for e in (self.names.entity(i) for i in iris) if not e.classes & WHOLE_NAMES_ONLY]
        return sorted(found, key=lambda e: (e.rank, e.label))

    def read(self, question: str) -> Reading:
        tokens = tokens_of(question)
        mentions: list[Mention] = []
        taken = [False] * len(tokens)
        figures = []
        for match in FIGURE_CITED.finditer(question):  # "Fig. 7C", "figure 3": only the fact index has them
            figures.append((figure_word(match[1], match[2] or ""), f"Fig. {match[1]}{(match[2] or '').upper()}"))
            for k, token in enumerate(tokens):
                taken[k] = taken[k] or (token.start < match.end() and token.end > match.start())
        i = 0
        while i < len(tokens):
            if taken[i]:
                i += 1
                continue
            for n in range(min(7, len(tokens) - i), 0, -1):
                span = question[tokens[i].start:tokens[i + n - 1].end]
                found = self._candidates(span, i == 0)
                if found:
                    mentions.append(Mention(i, i + n, span, found))
                    for k in range(i, i + n):
                        taken[k] = True
                    i += n
                    break
            else:
                i += 1
        for k, token in enumerate(tokens):  # "which metal bound Li0 most strongly": the binding, split by its object
            if not taken[k] and token.text.lower() in BINDS and any(
                    t.text.lower().strip(EDGE) in STRENGTH for t in tokens[k + 1:k + 5]):
                found = self._candidates("binds", False)
                if found:
                    mentions.append(Mention(k, k + 1, token.text, found))
                    taken[k] = True
        # a word such as "Na-based" or "Li/Na": read its parts
        for k, token in enumerate(tokens):
            if taken[k] or not re.search(r"[-/]", token.text) or token.text.lower() in SUB_ZERO:
                continue
            head, _, tail = token.text.strip(EDGE).rpartition("-")
            whole = self._candidates(head, False) if head and tail.isalpha() and tail.islower() else []
            if not whole:  # "SAFe/CVRCS@3DPC-Cu": the system on Cu foil, "Na-ZnSA-N-C": loaded with Na
                head = next((v for v in variants(token.text.strip(EDGE)) if self._candidates(v, False)), None)
                whole = self._candidates(head, False) if head else []
            if whole:  # "SACo/ADFS@HPSC-modified", "Zn-HC-based": the name, qualified
                mentions.append(Mention(k, k + 1, head, whole))
                taken[k] = True
                continue
            parts = [p for p in re.split(r"[-/]", token.text) if p]
            found = [self._candidates(part, False) for part in parts]
            if all(f or part.islower() for part, f in zip(parts, found)) and any(found):
                for part, entities in zip(parts, found):
                    if entities:
                        mentions.append(Mention(k, k + 1, part, entities))
                taken[k] = True
        for mention in [m for m in mentions if all(f"{SAC}Comparator" in e.classes for e in m.entities)]:
            mentions.remove(mention)  # "above", "at least": operators, read with their number below
            for k in range(mention.first, mention.last):
                taken[k] = False
        year, author = self._year(tokens, taken), self._author(question, tokens, taken, mentions)
        numbers = []
        while (number := self._threshold(question, tokens, taken)) is not None:
            numbers.append(number)
        for k, token in enumerate(tokens):  # "sub-zero", "low temperature": below 0 °C
            low = (k + 1 < len(tokens) and token.text.lower() == LOW[0]
                   and tokens[k + 1].text.lower().strip(EDGE) in LOW[1])
            if not taken[k] and (low or token.text.lower().strip(EDGE) in SUB_ZERO) and unit_key("°C") in self.units:
                taken[k] = True
                if low:
                    taken[k + 1] = True
                unit, symbol = self.units[unit_key("°C")]
                numbers.append(Threshold(Decimal(0), unit, symbol, False, f"0 {symbol}"))
        # the threshold is the number compared ("over 900 h"), else the first; numbers with a unit and no
        # comparison are test conditions; any further comparison is more than one reading can apply
        # a compared number in a unit no measured quantity is given in ("at 1 mA/cm2 or more") is a test condition
        measured = {self.dimensions.get(row.get("preferredUnit")) for row in self.quantities.values()}
        ranges = [n for n in numbers if n.above is not None and n.unit is not None
                  and self.dimensions.get(n.unit) not in measured]
        compared = [n for n in numbers if n.above is not None and n not in ranges]
        threshold = compared[0] if compared else (numbers[0] if numbers and not ranges else None)
        others = [n for n in numbers if n is not threshold]
        conditions = [n for n in others if (n.above is None or n in ranges) and (n.unit is not None or n.count)]
        more_numbers = [n.text for n in others if n.above is not None and n not in ranges]
        corrected: dict[int, str] = {}
        mentions = self._typos(question, tokens, taken, mentions, corrected)
        mentions = self._families(tokens, taken, mentions)
        mentions = self._elliptical(question, tokens, mentions)
        mentions = [the_metal(m, tokens) for m in mentions]
        mentions.sort(key=lambda m: m.first)
        excluded = []
        for match in EXCLUDING.finditer(question):  # "besides zinc", "other than Li": rows left out
            after = next((k for k, t in enumerate(tokens) if t.start >= match.end()), None)
            mention = next((m for m in mentions if m.first == after), None)
            if mention is not None:
                mentions.remove(mention)
                excluded.append(mention)
                for k, token in enumerate(tokens):
                    taken[k] = taken[k] or match.start() <= token.start < match.end()
        baselines = []
        if any(m.entities[0].classes & KINDS["quantity"] for m in mentions) and not any(
                m.entities[0].classes & KINDS["system"] for m in mentions):  # a value compared with a control
            controls = [m for m in mentions if m.entities[0].classes & BASELINE_KINDS]
            controls = [] if sum(1 for m in controls if m.entities[0].classes & {f"{SAC}ControlMaterial"}) > 1 else controls
            for mention in controls:  # not "carbon cloth vs bare Cu foil": two materials, each with its value
                if COMPARED_WITH.search(question[:tokens[mention.first].start]) or (
                        mention.last < len(tokens) and COMPARES.match(tokens[mention.last].text)):
                    mentions.remove(mention)
                    baselines.append(mention)
        for k in range(len(tokens)):  # a unit written in words, with no number: "in mA h g-1"
            for n in (4, 3, 2):
                if k + n <= len(tokens) and not any(taken[k:k + n]) \
                        and unit_key(" ".join(t.text.strip(EDGE) for t in tokens[k:k + n])) in self.units:
                    taken[k:k + n] = [True] * n
        minor = {k for m in mentions if all(e.classes & MINOR for e in m.entities) for k in range(m.first, m.last)}
        words = [part for k, t in enumerate(tokens) if not taken[k] or k in minor  # "prospects/challenges": both
                 for part in slashed(corrected.get(k, t.text.lower()))]
        known = FUNCTION_WORDS | DOMAIN_WORDS | self.cue_words
        unread = [t.text for k, t in enumerate(tokens)
                  if not taken[k] and NAME_LIKE.fullmatch(t.text) and not NUMBER.match(t.text)
                  and not (t.text.islower() and all(english_word(p) for p in re.split(r"[-/]", t.text.strip(EDGE)) if p))
                  and t.text.lower().rstrip("s") not in known and t.text.lower() not in known
                  and unit_key(t.text.strip(EDGE)) not in self.units  # "in mAh/g": a unit, not a name
                  and not all(p in known or p.rstrip("s") in known for p in re.split(r"[-/]", t.text.lower()) if p)]
        asked_unit = self._asked_unit(question)
        if asked_unit is not None:  # "how many hours": a duration asked for, not a count
            words = [w for w in words if w not in ("many", "long", "hours", "hrs")]
        timed = any(str(self.quantities.get(e.iri.value, {}).get("preferredUnit")).endswith("/unit/MIN")
                    for m in mentions for e in m.entities)  # "dendrite onset time (min)": a unit, not "minimum"
        direction = self._direction([w for w in words if not (timed and w.strip(EDGE) == "min")])
        reading = Reading(tokens, mentions, threshold, direction, words, unread, conditions, more_numbers)
        reading.second = next((n for n in others if threshold is not None and threshold.above is not None
                               and n.above is not None and n.above != threshold.above and n.unit is not None
                               and self.dimensions.get(n.unit) == self.dimensions.get(threshold.unit)), None)
        reading.corrections = [(tokens[k].text.strip(EDGE), word) for k, word in sorted(corrected.items())]
        reading.asked_unit = asked_unit
        reading.year, reading.author = year, author
        reading.figures, reading.excluded, reading.baselines = figures, excluded, baselines
        situ = SITU.search(question)  # "in situ methods", not the name "in situ TEM"
        if situ and not any(taken[k] for k, t in enumerate(tokens) if situ.start() <= t.start < situ.end()):
            reading.situ = "ex situ" if situ.group(0).lower().startswith("ex") else "in situ"
        return reading

    def _elliptical(self, question, tokens, mentions) -> list:
        """"nucleation or plating overpotential": a word before "or" that, with the last word of the quantity
        after it, names another quantity, is that quantity."""
        mentions = sorted(mentions, key=lambda m: m.first)
        for i in range(len(mentions) - 1):
            first, then = mentions[i], mentions[i + 1]
            if not then.entities[0].classes & KINDS["quantity"] or first.entities[0].classes & KINDS["quantity"]:
                continue
            between = question[tokens[first.last - 1].end:tokens[then.first].start]
            if not re.fullmatch(r"\s*(?:,|/|or|and|and/or)\s*", between, re.IGNORECASE):
                continue
            whole = [e for e in self._candidates(f"{first.text} {then.text.split()[-1]}", False)
                     if e.classes & KINDS["quantity"]]
            if whole:
                mentions[i] = Mention(first.first, first.last, first.text, whole)
        return mentions

    def _year(self, tokens, taken) -> int | None:
        """The year a question names for its papers: "papers from 2019", "published in 2022"."""
        for k, token in enumerate(tokens):
            text = token.text.strip(EDGE)
            if taken[k] or not YEAR.fullmatch(text) or k == 0 or tokens[k - 1].text.lower() not in YEAR_BEFORE:
                continue
            following = tokens[k + 1].text.strip(EDGE) if k + 1 < len(tokens) else ""
            if following and (unit_key(following) in self.units or following.lower() in COUNTS):
                continue  # "in 2000 h": a number with its unit
            taken[k] = True
            return int(text)
        return None

    @staticmethod
    def _author(question, tokens, taken, mentions) -> str | None:
        """The surname a question names for its papers: "papers by Passerini", "Wang et al.", "Zhang's paper".
        Before "et al." a name read as something else is the surname ("Li et al.": not lithium)."""
        match = AUTHOR.search(question)
        if match is None:
            return None
        group = next(i for i, g in enumerate(match.groups(), 1) if g)
        name, start = match.group(group), match.start(group)
        spans = [k for k, t in enumerate(tokens) if t.start <= start < t.end or (t.start >= start and t.end <= match.end())]
        cited = group == 2 or re.match(r"\s+et\s+al\b", question[match.end():])
        if any(taken[k] for k in spans[:1]):
            if not cited:
                return None  # "by Li": a name already read
            mentions[:] = [m for m in mentions if not m.first <= spans[0] < m.last]
        for k in spans:
            taken[k] = True
        return name

    def _families(self, tokens, taken, mentions) -> list[Mention]:
        """A quantity named by the word its family shares ("overpotential of X") reads as every member,
        the one its label names first."""
        for k in reversed(range(len(tokens))):
            word = tokens[k].text.strip(EDGE).lower()
            held = next((m for m in mentions if m.first == k and m.last == k + 1), None)
            if held is not None and held.typo_of:  # "overpotental": the family of the word it misspells
                from rapidfuzz.distance import Levenshtein

                word = next((h for h in self.families if Levenshtein.distance(h, word) <= 2), word)
            family = self.families.get(word) or self.families.get(word[:-1] if word.endswith("s") else "")
            if not family:
                continue
            if held is None and taken[k]:
                continue
            before = tokens[k - 1].text.strip(EDGE).lower() if k and not taken[k - 1] else ""
            narrowed = [i for i in family if before in re.split(r"[\s/]", self.quantities[i]["label"].lower())]
            if before and narrowed:  # "energy barrier": the barrier whose name holds "energy"
                family, taken[k - 1] = narrowed, True
            elif word in self.cue_words:  # "change", "barrier" alone are question words
                continue
            elif before.isalpha() and before not in self.known_words:  # "formation energy": some other energy
                continue
            first = [e for e in (held.entities if held else []) if f"{SAC}QuantityKind" in e.classes]
            members = first + [self.names.entity(i) for i in family if all(e.iri.value != i for e in first)]
            if held is not None:
                held.entities = members + [e for e in held.entities if e.iri not in {m.iri for m in members}]
                held.typo_of = held.typo_of and word
            else:
                mentions.append(Mention(k, k + 1, tokens[k].text.strip(EDGE), members))
                taken[k] = True
        return sorted(mentions, key=lambda m: m.first)

    def _asked_unit(self, question: str) -> Iri | None:
        """The unit a question asks its answer in: "how many hours/cycles ...", "how long ..." (hours)."""
        found = ASKED_UNIT.search(question)
        if found is None:
            return None
        unit = self.units.get(unit_key(found.group(1) or "hours"))
        return unit[0] if unit else None
