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

from kg.compose import (MINOR, ROW_FILTERS, VALUES_AS_TESTED, at_condition, by_columns, names_a_system, only_describes,
                        repeats, runs, unapplied, unused_mentions)
from kg.entities import Entity, Names, variants
from kg.describe import described_system
from kg.errors import SackgError
from kg.facts import figure_word
from kg.iris import BIBO, SAC
from kg.numbers import parse_decimal, plain
from kg.query import Template, askable_templates
from kg.store import Iri
from kg.binding import ANY
from kg.text import common_word, elements_in, english_word, name_key, shown, unit_key

# Parameter kinds and the classes of entity that fill them.
KINDS = {
    "metal": {f"{SAC}AlkaliMetal"},
    "element": {f"{SAC}ChemicalElement"},
    "system": {f"{SAC}SACSystem"},
    "material": {f"{SAC}SACSystem", f"{SAC}ControlMaterial"},
    "quantity": {f"{SAC}QuantityKind"},
    "mechanism": {f"{SAC}Mechanism"},
    "technique": {f"{SAC}Technique"},
    "support": {f"{SAC}SupportKind"},
    "coordination": {f"{SAC}CoordinationEnvironment"},
    "reference": {"http://purl.org/ontology/bibo/AcademicArticle"},
    "group": {f"{SAC}SystemGroup"},
    "journal": {"http://purl.org/ontology/bibo/Journal"},
}
KINDS["topic"] = set().union(*(KINDS[k] for k in ("metal", "element", "quantity", "mechanism", "technique",
                                                  "support", "coordination"))) | {f"{SAC}SynthesisMethod"}

# English words that are never read as entity names, however an abbreviation happens to be spelt.
FUNCTION_WORDS = set("""
a an the of for on in at to by with from into onto over under and or but not no nor is are was were be been
being do does did done has have had having what which who whom whose when where why how this that these those
there their its it as than then so such can could should would will may might must shall me my we our you your
they them he she his her i all any each every some most more less many much few per vs via about between
among yet ever never only also both either neither out up down off if else one ones after before during upon
while within without
""".split())

# Words of the field that name no single entity: never read as a name or a misspelt one.
DOMAIN_WORDS = set("""
single atom atoms atomic catalyst catalysts catalysis sac sacs system systems metal metals anode anodes battery
batteries cell cells electrode electrodes knowledge base question answer value values data paper papers study
studies plating stripping alkali stronger weaker higher lower larger smaller longer shorter better worse faster slower
negative positive modified based decorated loaded anchored containing bearing last lasted lasting survive survived survives endure
endured
""".split())

ABOVE = ("more than", "greater than", "longer than", "higher than", "larger than", "over", "above",
         "exceeding", "exceeds", "exceeded", "exceed", "beyond", "past", "passed", "passing", "surpassing", "surpassed",
         "topping", "topped", "in excess of", "upwards of", "less negative than", "more positive than",
         "at least", "made it to", "make it to", "makes it to", ">=", "≥", ">")
BELOW = ("less than", "fewer than", "more negative than", "lower than", "shorter than", "smaller than", "under", "below", "within",
         "at most", "up to", "short of", "failed to reach", "fail to reach", "fails to reach", "did not reach",
         "didn't reach", "never reached", "not reaching", "<=", "≤", "<")
# "no less than 500 h" is at least 500 h
NEGATED = {f"{no} {word} than": side for no in ("no", "not") for word, side in (
    ("less", True), ("fewer", True), ("lower", True), ("shorter", True), ("smaller", True),
    ("more", False), ("greater", False), ("higher", False), ("longer", False), ("larger", False))}
# words before a number that take the number itself in ("at least 500 h" keeps 500 h)
INCLUSIVE_BEFORE = ("at least", "made it to", "make it to", "makes it to", "a minimum of", "minimum of", "min.", ">=", "≥", "at most", "a maximum of",
                    "maximum of", "up to", "<=", "≤", *NEGATED)
# words after a number and its unit: "500 h or more" (above), "10 mV or less" (below), the number included
INCLUSIVE_AFTER = {("or", "more"): True, ("or", "longer"): True, ("or", "higher"): True, ("or", "above"): True,
                   ("or", "greater"): True, ("or", "larger"): True, ("and", "above"): True, ("or", "over"): True,
                   ("or", "less"): False, ("or", "lower"): False, ("or", "shorter"): False, ("or", "below"): False,
                   ("or", "smaller"): False, ("and", "below"): False, ("or", "under"): False}
# the words of comparisons, which the number they belong to reads
OPERATOR_WORDS = {w for phrase in (*ABOVE, *BELOW, *NEGATED, *INCLUSIVE_BEFORE) for w in phrase.split() if w.isalpha()} \
    | {w for pair in INCLUSIVE_AFTER for w in pair}
LOW_WORDS = {"lowest", "smallest", "minimum", "min", "least", "shortest", "fewest"}
HIGH_WORDS = {"highest", "largest", "maximum", "max", "longest", "greatest", "most", "top", "record", "biggest",
              "outlast", "outlasts", "outlasted", "outlasting", "outlive", "outlives", "outlived"}
BEST_WORDS = {"best", "leading", "optimal", "ideal", "strongest", "strongly"}
WORST_WORDS = {"worst", "poorest", "weakest", "weakly"}
# A paper's year, after a word that says so ("from 2019", "published in 2022"), and an author's surname
_YEAR = re.compile(r"(?:19[89]\d|20[0-4]\d)")
YEAR_BEFORE = {"in", "from", "of", "published", "during", "year", "since"}
_AUTHOR = re.compile(r"\b(?:by|of)\s+(?:[A-Z]\.\s*){0,3}([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!\s*[-@/])"
                     r"|\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+et\s+al\b\.?"
                     r"|\b([A-Z][a-z]+)'s\s+(?:paper|papers|work|group|study|studies|article)\b"
                     r"|\bdid\s+([A-Z][a-z]+)\s+(?:write|author|publish)\b")
# A system's name with the metal plated on it: "CC@CN-SACo@Li", "SAFe/CVRCS@3DPC-Li", "Zn-HC/Na"
_PLATED = re.compile(r"(.+?\w)[@/-](?:Li|Na|K)")
# Counted test conditions, as the values' conditions name them ("500 cycles": "cycles 500")
COUNTS = {"cycles": "cycles", "cycle": "cycles"}
SUB_ZERO = {"sub-zero", "subzero", "sub-zero-temperature", "low-temperature", "low-temperatures"}
_LOW = ("low", {"temperature", "temperatures", "temp", "temps"})  # "at low temperature": below 0 °C, as in the field
# "stronger (more negative) than -3 eV": better or worse, whichever side that is for the quantity
_BETTER = re.compile(r"\b(stronger|better|weaker|worse)\s*(?:\(([^)]*)\))?\s*than$")
SIZE_WORDS = {"largest", "smallest", "biggest", "greatest"}  # of a signed energy: its size, as papers use them

_TOKEN = re.compile(r"\S+")
# the shape of a SAC system's name: "SAZn@NG", "Cu_SA-HCNT", "SACu-N-C", "Ni-SAs"
# and of a cell's chemistry: "Na-S", "K-O2", "Li-air"
_SYSTEM_LIKE = re.compile(r"@|^SA(?:s|[A-Z][a-z]?)|_SAs?\b|-SAs?\b|\bSAs?-|^(?:Li|Na|K)[-–](?:S|Se|O2|CO2|air)$")
_EDGE = "?!,;:\"'()[]{}“”‘’."
_NAME_LIKE = re.compile(r"(?:\w*[A-Z]\w*[A-Z0-9@_/]|\w*[0-9]\w*[A-Za-z]|\w+[@_/]\w+|[A-Za-z]+-[A-Z0-9][\w-]*)")
_NUMBER = re.compile(r"^[-+−]?(?:\d+(?:\.\d*)?|\.\d+)$")
_ASKED_UNIT = re.compile(r"\bhow\s+(?:many\s+([^\W\d]+)|long\b)|\b(?:cycling|cycled|lifespan|lifetime|life|duration|"
                         r"stability)\s+(?:in\s+)?(?:hours|hrs)\b"
                         r"|\b(?:cycled|cycles|cycle|lasted|lasts|last|ran|runs|run|lived|lives|live|survived|survives|"
                         r"survive|endured|endures|endure)\s+(?:the\s+)?(?:longest|longer)\b"
                         r"|\b(?:outlast|outlasts|outlasted|outlasting|outlive|outlives|outlived)\b"
                         r"|\b(?:longest|shortest|longer|shorter)\b.*\b(?:hours|hrs)\b", re.IGNORECASE)


# Entities named only to be shown: in a question, "K metal battery" is read as its metal K.
WHOLE_NAMES_ONLY = frozenset(f"{SAC}{c}" for c in ("MetalAnode", "Battery", "AmbiguousName"))


class Token:
    __slots__ = ("text", "start", "end")

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end = text, start, end


class Mention:
    """A span of the question that names entities (several when the name is ambiguous)."""

    __slots__ = ("first", "last", "text", "entities", "typo_of")

    def __init__(self, first: int, last: int, text: str, entities: list[Entity], typo_of: str | None = None):
        self.first, self.last, self.text, self.entities, self.typo_of = first, last, text, entities, typo_of

    def of_kind(self, classes: set) -> Entity | None:
        fitting = [e for e in self.entities if e.classes & classes]
        return fitting[0] if fitting else None


class Threshold:
    __slots__ = ("value", "unit", "unit_symbol", "above", "text", "unknown_unit", "inclusive", "count")

    def __init__(self, value: Decimal, unit: Iri | None, unit_symbol: str, above: bool | None, text: str,
                 unknown_unit: str | None = None, inclusive: bool = False, count: str | None = None):
        self.value, self.unit, self.unit_symbol, self.above, self.text = value, unit, unit_symbol, above, text
        self.unknown_unit = unknown_unit  # the word after a unit-less number, when it is no word SAC-KG knows
        self.inclusive = inclusive        # the number itself meets the threshold ("at least", "or more")
        self.count = count                # "500 cycles": a number of cycles, a test condition without a unit


class Reading:
    """What the question names: entities, a threshold, a direction, and the remaining words."""

    __slots__ = ("tokens", "mentions", "threshold", "direction", "words", "unread", "conditions", "more_numbers",
                 "corrections", "asked_unit", "year", "author", "figures", "excluded", "situ", "baselines", "second")

    def __init__(self, tokens, mentions, threshold, direction, words, unread, conditions=(), more_numbers=()):
        self.conditions: list[Threshold] = list(conditions)  # numbers with a unit and no comparison: "at 0.5 mA cm-2"
        self.corrections: list[tuple[str, str]] = []         # misspelt words of the question's vocabulary, as read
        self.asked_unit: Iri | None = None                   # "how many hours": the unit the answer is asked in
        self.year: int | None = None                         # "papers from 2019"
        self.author: str | None = None                       # "papers by Passerini"
        self.figures: list[tuple] = []                       # "in Fig. 7C": the fact index's word, and as written
        self.excluded: list[Mention] = []                    # "besides zinc": names whose rows are left out
        self.baselines: list[Mention] = []                   # "than on plain graphene": what values are compared with
        self.situ: str | None = None                         # "in situ techniques": "in situ" or "ex situ"
        self.more_numbers: list[str] = list(more_numbers)   # further comparisons, which one reading cannot use
        self.second: Threshold | None = None                 # "over 1000 h but under 1600 h": the other bound
        self.tokens = tokens
        self.mentions: list[Mention] = mentions
        self.threshold: Threshold | None = threshold
        self.direction: str | None = direction  # low | high | best | worst
        self.words: list[str] = words            # lowercased words not part of a significant name
        self.unread: list[str] = unread          # name-like words that name nothing known


class Choice:
    """A template with its parameters filled from a reading, and how well it fits."""

    def __init__(self, template: Template, score: float = 0.0):
        self.template = template
        self.score = score
        self.bindings: dict = {}  # param -> Iri | Decimal | bool
        self.labels: dict = {}    # param -> readable label
        self.used: set = set()    # mention indexes
        self.missing: list = []   # (param, kind) unfilled


class Answer:
    def __init__(self, question, template, bindings, labels, columns, rows, note, table=None, language="sparql",
                 query=None):
        self.question, self.template, self.bindings, self.labels = question, template, bindings, labels
        self.columns, self.rows, self.note = columns, rows, note
        self.table = list(table or template.table)  # the columns printed
        self.language = language  # of the query that ran: sparql (a template) or sql (the fact index)
        self.query = query        # that query, when it is not the template with its parameters bound
        self.reading = None       # the reading of the question that gave the answer
        self.left = []            # the question's words no part of the reading used
        self.related = []         # recorded facts holding those words (kg.fallback.related)


class QuestionError(SackgError):
    """The question cannot be answered: no template fits, or it names something unknown. The message may
    end in a part worked out only when it is shown (the closest question forms), as most refusals are
    caught and answered another way."""

    def __init__(self, message: str, then=None):
        super().__init__(message)
        self.message, self.then = message, then  # then(): the rest of the message

    def __str__(self) -> str:
        if self.then is not None:
            self.message, self.then = self.message + self.then(), None
        return self.message


class NoReading(QuestionError):
    """No question form fits: a word names nothing known, or no template's cue words fit."""


_SITU = re.compile(r"\b(?:in|ex)[\s-]situ\b|\boperando\b", re.IGNORECASE)
# The columns a technique is named in: "in situ" narrows their rows.
TECHNIQUE_COLUMNS = ("technique", "evidence_kind", "evidenceKind", "techniques")
_EXCLUDING = re.compile(r"\b(?:besides|except(?:\s+for)?|other\s+than|apart\s+from|aside\s+from|excluding|"
                        r"not\s+counting|rather\s+than|instead\s+of|not(?=\s+[^\W\d_]+-based\b))\s+", re.IGNORECASE)
# "lower than on plain graphene", "versus bare Cu": a support or control a value is compared with, not a filter
_COMPARED_WITH = re.compile(r"\b(?:than|versus|vs\.?|compared\s+(?:with|to)|relative\s+to|against)\s+(?:(?:on|in|with|to|"
                            r"for|that\s+of|those\s+of|the|a|an|bare|plain|pristine|pure|unmodified)\s+)*$", re.IGNORECASE)
_BETWEEN = re.compile(r"\bbetween(\s+\S+(?:\s+\S+){0,3}?\s+and)?$")  # "between" before a first number, "between X and" a second
_RANGE_END = re.compile(r"\s+and\s+[-+−]?[\d.]+\s*([^\d\s?,;]+(?:\s+[^\d\s?,;]+){0,2}?)\s*(?:[?,;.]|$)")
_BINDS = {"bound", "bind", "binds", "binding", "adsorbed", "adsorbs", "adsorb", "held", "holds", "hold"}
_STRENGTH = {"strongly", "weakly", "tightly", "strongest", "weakest", "firmly"}
_COMPARES = re.compile(r"(?:compare[sd]?|fares?|fared|stacks?)\W*$", re.IGNORECASE)  # "how does bare Cu compare?"
BASELINE_KINDS = {f"{SAC}SupportKind", f"{SAC}ControlMaterial"}
FIGURE_CITED = re.compile(r"\bfig(?:ure)?s?\.?\s*(\d{1,2})(?:\s*\(?([A-Ha-h])\)?)?(?![\w])", re.IGNORECASE)


# "Li metal SAC systems", "Na-metal anodes": the metal, not the control material "Li metal"
_METAL_OF = set("sac sacs system systems anode anodes host hosts battery batteries cell cells paper papers study studies "
                "work works electrode electrodes deposition plating".split())


def _the_metal(mention, tokens):
    """`mention`, naming only its alkali metal when the word after it says the metal is meant."""
    following = tokens[mention.last].text.lower().strip(_EDGE) if mention.last < len(tokens) else ""
    metals = [e for e in mention.entities if e.classes & KINDS["metal"]]
    if metals and len(metals) < len(mention.entities) and following in _METAL_OF:
        return Mention(mention.first, mention.last, mention.text, metals)
    return mention


def _slashed(word: str) -> list[str]:
    """A word written as alternatives ("prospects/challenges", "and/or") as its parts; any other word alone."""
    parts = word.split("/")
    return parts if len(parts) > 1 and all(p.isalpha() for p in parts) else [word]


def _count_word(word: str) -> str | None:
    """The count word `word` is, or misspells by one letter dropped, added or swapped ("cyles"), or None."""
    if word.endswith("ed") and word not in COUNTS:
        return None  # "cycled" is a verb
    for target in COUNTS:
        if word == target or len(word) >= 5 and (_one_edit(word, target) or sorted(word) == sorted(target)):
            return target
    return None


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by one letter changed, added or dropped."""
    if len(a) > len(b):
        a, b = b, a
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def _tokens(question: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(question):
        text = match.group(0)
        start, end = match.start(), match.end()
        while text and text[0] in _EDGE:
            text, start = text[1:], start + 1
        while text and (text[-1] in _EDGE) and not (text[-1] == "+" ):
            text, end = text[:-1], end - 1
        if text.lower().endswith(("'s", "’s")):
            text, end = text[:-2], end - 2
        if text:
            tokens.append(Token(text, start, end))
    return tokens


class Reader:
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
        plated = _PLATED.fullmatch(text.strip(_EDGE))
        if not iris and plated and " " not in text:  # "CC@CN-SACo@Li", "SAFe/CVRCS@3DPC-Li": the system, plated
            iris = [i for i in self.names.iris(name_key(plated.group(1)))
                    if f"{SAC}SACSystem" in self.names.entity(i).classes]
        if not iris and " " in text.strip():  # "Nano Lett" whose last dot ended the question
            iris = self.names.iris(key + ".")
        if not iris and len(key) > 4:
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
        tokens = _tokens(question)
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
            if not taken[k] and token.text.lower() in _BINDS and any(
                    t.text.lower().strip(_EDGE) in _STRENGTH for t in tokens[k + 1:k + 5]):
                found = self._candidates("binds", False)
                if found:
                    mentions.append(Mention(k, k + 1, token.text, found))
                    taken[k] = True
        # a word such as "Na-based" or "Li/Na": read its parts
        for k, token in enumerate(tokens):
            if taken[k] or not re.search(r"[-/]", token.text) or token.text.lower() in SUB_ZERO:
                continue
            head, _, tail = token.text.strip(_EDGE).rpartition("-")
            whole = self._candidates(head, False) if head and tail.isalpha() and tail.islower() else []
            if not whole:  # "SAFe/CVRCS@3DPC-Cu": the system on Cu foil, "Na-ZnSA-N-C": loaded with Na
                head = next((v for v in variants(token.text.strip(_EDGE)) if self._candidates(v, False)), None)
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
            low = (k + 1 < len(tokens) and token.text.lower() == _LOW[0]
                   and tokens[k + 1].text.lower().strip(_EDGE) in _LOW[1])
            if not taken[k] and (low or token.text.lower().strip(_EDGE) in SUB_ZERO) and unit_key("°C") in self.units:
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
        mentions = [_the_metal(m, tokens) for m in mentions]
        mentions.sort(key=lambda m: m.first)
        excluded = []
        for match in _EXCLUDING.finditer(question):  # "besides zinc", "other than Li": rows left out
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
                if _COMPARED_WITH.search(question[:tokens[mention.first].start]) or (
                        mention.last < len(tokens) and _COMPARES.match(tokens[mention.last].text)):
                    mentions.remove(mention)
                    baselines.append(mention)
        for k in range(len(tokens)):  # a unit written in words, with no number: "in mA h g-1"
            for n in (4, 3, 2):
                if k + n <= len(tokens) and not any(taken[k:k + n]) \
                        and unit_key(" ".join(t.text.strip(_EDGE) for t in tokens[k:k + n])) in self.units:
                    taken[k:k + n] = [True] * n
        minor = {k for m in mentions if all(e.classes & MINOR for e in m.entities) for k in range(m.first, m.last)}
        words = [part for k, t in enumerate(tokens) if not taken[k] or k in minor  # "prospects/challenges": both
                 for part in _slashed(corrected.get(k, t.text.lower()))]
        known = FUNCTION_WORDS | DOMAIN_WORDS | self.cue_words
        unread = [t.text for k, t in enumerate(tokens)
                  if not taken[k] and _NAME_LIKE.fullmatch(t.text) and not _NUMBER.match(t.text)
                  and not (t.text.islower() and all(english_word(p) for p in re.split(r"[-/]", t.text.strip(_EDGE)) if p))
                  and t.text.lower().rstrip("s") not in known and t.text.lower() not in known
                  and unit_key(t.text.strip(_EDGE)) not in self.units  # "in mAh/g": a unit, not a name
                  and not all(p in known or p.rstrip("s") in known for p in re.split(r"[-/]", t.text.lower()) if p)]
        asked_unit = self._asked_unit(question)
        if asked_unit is not None:  # "how many hours": a duration asked for, not a count
            words = [w for w in words if w not in ("many", "long", "hours", "hrs")]
        timed = any(str(self.quantities.get(e.iri.value, {}).get("preferredUnit")).endswith("/unit/MIN")
                    for m in mentions for e in m.entities)  # "dendrite onset time (min)": a unit, not "minimum"
        direction = self._direction([w for w in words if not (timed and w.strip(_EDGE) == "min")])
        reading = Reading(tokens, mentions, threshold, direction, words, unread, conditions, more_numbers)
        reading.second = next((n for n in others if threshold is not None and threshold.above is not None
                               and n.above is not None and n.above != threshold.above and n.unit is not None
                               and self.dimensions.get(n.unit) == self.dimensions.get(threshold.unit)), None)
        reading.corrections = [(tokens[k].text.strip(_EDGE), word) for k, word in sorted(corrected.items())]
        reading.asked_unit = asked_unit
        reading.year, reading.author = year, author
        reading.figures, reading.excluded, reading.baselines = figures, excluded, baselines
        situ = _SITU.search(question)  # "in situ methods", not the name "in situ TEM"
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
            text = token.text.strip(_EDGE)
            if taken[k] or not _YEAR.fullmatch(text) or k == 0 or tokens[k - 1].text.lower() not in YEAR_BEFORE:
                continue
            following = tokens[k + 1].text.strip(_EDGE) if k + 1 < len(tokens) else ""
            if following and (unit_key(following) in self.units or following.lower() in COUNTS):
                continue  # "in 2000 h": a number with its unit
            taken[k] = True
            return int(text)
        return None

    @staticmethod
    def _author(question, tokens, taken, mentions) -> str | None:
        """The surname a question names for its papers: "papers by Passerini", "Wang et al.", "Zhang's paper".
        Before "et al." a name read as something else is the surname ("Li et al.": not lithium)."""
        match = _AUTHOR.search(question)
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
            word = tokens[k].text.strip(_EDGE).lower()
            held = next((m for m in mentions if m.first == k and m.last == k + 1), None)
            if held is not None and held.typo_of:  # "overpotental": the family of the word it misspells
                from rapidfuzz.distance import Levenshtein

                word = next((h for h in self.families if Levenshtein.distance(h, word) <= 2), word)
            family = self.families.get(word) or self.families.get(word[:-1] if word.endswith("s") else "")
            if not family:
                continue
            if held is None and taken[k]:
                continue
            before = tokens[k - 1].text.strip(_EDGE).lower() if k and not taken[k - 1] else ""
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
                mentions.append(Mention(k, k + 1, tokens[k].text.strip(_EDGE), members))
                taken[k] = True
        return sorted(mentions, key=lambda m: m.first)

    def _asked_unit(self, question: str) -> Iri | None:
        """The unit a question asks its answer in: "how many hours/cycles ...", "how long ..." (hours)."""
        found = _ASKED_UNIT.search(question)
        if found is None:
            return None
        unit = self.units.get(unit_key(found.group(1) or "hours"))
        return unit[0] if unit else None

    def _typos(self, question, tokens, taken, mentions, corrected: dict) -> list[Mention]:
        """Read misspelt names ('sodum', 'nucleaton overpotential') as the nearest label: one edit for
        short names, two for names of eight letters or more. A span may absorb names read exactly inside it.
        A misspelt word of the question's own vocabulary ('mechnisms', 'refernce') is read as that word
        (`corrected`: token index -> word), never as a name."""
        keys = None
        skip = self.known_words
        vocabulary = None
        inside = {k: m for m in mentions for k in range(m.first, m.last)}
        k = 0
        while k < len(tokens):
            if taken[k] or tokens[k].text.lower() in skip:
                k += 1
                continue
            word = tokens[k].text.lower().strip(_EDGE)
            if len(word) >= 5 and word.isalpha():
                from rapidfuzz import process  # only for a word no name or cue spells: most questions have none
                from rapidfuzz.distance import Levenshtein

                if vocabulary is None:
                    vocabulary = [w for w in skip if len(w) >= 5 and w.isalpha()]
                allowed = 2 if len(word) >= 8 else 1
                near = process.extractOne(word, vocabulary, scorer=Levenshtein.distance, score_cutoff=allowed)
                if near and not self._label_word(word) and not self._spelt_right(tokens[k].text.strip(_EDGE)):
                    corrected[k] = near[0]
                    k += 1
                    continue
            found = None
            # spans holding the word, longest first; one may begin with words read right ("atomic layer depostion")
            spans = sorted(((s, n) for s in range(max(0, k - 3), k + 1) for n in range(1, 5)
                            if k < s + n <= len(tokens)), key=lambda sn: (-sn[1], -sn[0]))
            for start, n in spans:
                span_tokens = range(start, start + n)
                if any(taken[j] and (j not in inside or inside[j].first < start or inside[j].last > start + n)
                       for j in span_tokens) or tokens[start + n - 1].text.lower() in skip or (
                        start < k and tokens[start].text.lower() in FUNCTION_WORDS) or (
                        start < k and start in inside and inside[start].entities[0].classes & KINDS["metal"]):
                    continue  # "K overpotental" is K and a misspelt word, not one name
                covered = {id(inside[j]) for j in span_tokens if taken[j]}
                span = question[tokens[start].start:tokens[start + n - 1].end]
                key = name_key(span)
                if len(key) < 5:
                    continue
                allowed = 2 if len(key) >= 8 else 1
                from rapidfuzz import process
                from rapidfuzz.distance import Levenshtein

                if keys is None:
                    keys = [k for k in self.names.keys() if len(k) >= 5]
                match = process.extractOne(key, keys, scorer=Levenshtein.distance, score_cutoff=allowed)
                if match and not all(w.lower() in skip or self._spelt_right(w) for w in re.findall(r"[A-Za-z]+", span)) \
                        and self._same_elements(span, match[0]):
                    found = (start, n, span, match[0], covered)
                    break
            if found is None:
                k += 1
                continue
            k, n, span, key, covered = found
            mentions = [m for m in mentions if id(m) not in covered]
            entities = sorted((self.names.entity(i) for i in self.names.iris(key)),
                              key=lambda e: (e.rank, e.label))
            mentions.append(Mention(k, k + n, span, entities, typo_of=entities[0].label))
            for j in range(k, k + n):
                taken[j] = True
            k += n
        return mentions

    def _same_elements(self, span: str, key: str) -> bool:
        """Whether a misspelt name keeps the element symbols of the name it is read as ("SAZn@NG" is not
        "SAMn@NG"); a name written without capitals says nothing of them."""
        written = elements_in(span)
        if not written:
            return True
        return any(sorted(written) == sorted(elements_in(self.names.entity(i).label)) for i in self.names.iris(key))

    def _spelt_right(self, word: str) -> bool:
        """An English word, or a word the recorded facts are written with: no misspelling of anything
        (a word with capitals inside, "CNTs", is an abbreviation and may be one)."""
        from kg.facts import FactIndex

        if any(c.isupper() for c in word[1:]):
            return False
        return english_word(word) or FactIndex.of(self.kb).has_word(word)

    def _label_word(self, word: str) -> bool:
        """Whether `word` is written in some name of the knowledge base ("binding" in "binding energy"), so
        that it is spelt right whatever word of the question's vocabulary it is near."""
        if not hasattr(self, "_label_text"):
            self._label_text = " ".join(self.names.keys())
        return name_key(word) in self._label_text

    def _threshold(self, question, tokens, taken) -> Threshold | None:
        for k, token in enumerate(tokens):
            if taken[k]:
                continue
            match = re.match(r"^([<>≤≥]=?)?([-+−]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+(?![A-Za-z]))?)(.*)$", token.text)
            if not match:
                continue
            sign, number, rest = match.groups()
            try:
                value = parse_decimal(number)
            except ValueError as exc:
                raise QuestionError(f"{shown(number)}: number {exc}") from None
            unit, used = None, 0
            for n in range(3, -1, -1):
                pieces = ([rest] if rest else []) + [t.text for t in tokens[k + 1:k + 1 + n]]
                if n and any(taken[j] for j in range(k + 1, min(k + 1 + n, len(tokens)))):
                    continue
                key = unit_key(" ".join(pieces))
                if key == "c" and value < 0:  # "-40 C": no C-rate is negative; a temperature is meant
                    key = "°c"
                found = self.units.get(key)
                if pieces and found:
                    unit, used = found, n
                    break
            if unit is None and re.fullmatch(r"[^\W\d_]{1,2}", rest):
                continue  # "3D", "3d orbitals", "2nd": a word, not a number
            before = question[:token.start].lower().rstrip()
            above, inclusive = None, False
            ranged = _BETWEEN.search(before)
            if ranged and not sign:  # "between 1000 and 1600 h": at least the first, at most the second
                above, inclusive = ranged.group(1) is None, True
                if unit is None and ranged.group(1) is None:  # the first number takes the second's unit
                    ahead = _RANGE_END.match(question[token.end:])
                    unit = self.units.get(unit_key(ahead.group(1))) if ahead else None
            elif sign:
                above = sign.startswith(">") or sign.startswith("≥")
                inclusive = sign in (">=", "<=", "≥", "≤")
            else:
                for word in ABOVE:
                    if before.endswith(word):
                        above = True
                        break
                for word in BELOW:
                    if before.endswith(word):
                        above = False
                        break
                for word, side in NEGATED.items():
                    if before.endswith(word):
                        above = side
                        break
                inclusive = above is not None and any(before.endswith(word) for word in INCLUSIVE_BEFORE)
                relative = _BETTER.search(before)
                if relative:  # "stronger than": below for an energy where lower is better, unless said otherwise
                    said = (relative.group(2) or "").lower()
                    above = False if re.search(r"more negative|lower|smaller", said) else True if re.search(
                        r"more positive|less negative|higher|larger", said) else (
                        "better" if relative.group(1) in ("stronger", "better") else "worse")
            after = k + 1 + used
            pair = tuple(t.text.lower().strip(_EDGE) for t in tokens[after:after + 2])
            following = tokens[after + 2].text if after + 2 < len(tokens) else ""
            if pair in INCLUSIVE_AFTER and not any(taken[j] for j in range(after, after + 2)) and not (
                    above is not None and _NUMBER.match(following)):  # "above 5 mV and below 20 mV": the next bound
                above, inclusive = INCLUSIVE_AFTER[pair], True
                taken[after] = taken[after + 1] = True
            for j in range(k, min(k + 1 + used, len(tokens))):
                taken[j] = True
            count = None
            if unit is None and not rest and k + 1 < len(tokens) and _count_word(tokens[k + 1].text.lower().strip(_EDGE)):
                count, used = COUNTS[_count_word(tokens[k + 1].text.lower().strip(_EDGE))], 1
                taken[k + 1] = True
            text = question[tokens[k].start:tokens[min(k + used, len(tokens) - 1)].end]
            unknown = None
            if unit is None and rest:
                unknown = rest
            elif unit is None and k + 1 < len(tokens) and not taken[k + 1]:
                word = tokens[k + 1].text.strip(_EDGE)
                known = FUNCTION_WORDS | DOMAIN_WORDS | self.cue_words
                if re.fullmatch(r"[^\W\d_][\w/°µ%·⁻²³-]*", word) and word.lower() not in known \
                        and word.lower().rstrip("s") not in known:
                    unknown = word
            if unit is not None and unit[1] in COUNTS.values():  # "500-cycle": a count however written
                count = unit[1]
            return Threshold(value, unit[0] if unit else None, unit[1] if unit else "", above, text, unknown, inclusive,
                             count)
        return None

    @staticmethod
    def _direction(words) -> str | None:
        for group, direction in ((BEST_WORDS, "best"), (WORST_WORDS, "worst"), (LOW_WORDS, "low"),
                                 (HIGH_WORDS, "high")):
            if any(word in group for word in words):
                return direction
        return None

    # ------------------------------------------------------------ choosing a template
    def cue_score(self, template: Template, words: list[str]) -> float:
        score = 0.0
        seen = set()
        for word in words:
            for form in (word, word.rstrip("s"), word + "s"):
                if form in template.cues and form not in seen:
                    score += template.cues[form]
                    seen.add(form)
                    break
            if word in template.avoid:
                score -= template.avoid[word]
        return score

    def form(self, name: str, reading: Reading) -> Choice | None:
        """The askable template `name` filled from `reading`, or None when it is not askable or the reading
        lacks one of its parameters."""
        template = next((t for t in self.templates if t.name == name), None)
        choice = self.fill(template, reading) if template else None
        return None if choice is None or choice.missing else choice

    def fill(self, template: Template, reading: Reading) -> Choice:
        choice = Choice(template, 0.0)
        for optional, params in ((False, template.params), (True, template.optional)):
            for name, kind in params:
                if self._fill_one(choice, name, kind, reading):
                    choice.score += 1 if optional else 2.5
                elif not optional:
                    choice.missing.append((name, kind))
                else:
                    choice.bindings[name] = ANY
                    choice.labels[name] = "any"
        return choice

    def _fill_one(self, choice: Choice, name: str, kind: str, reading: Reading) -> bool:
        if kind == "direction":
            if reading.direction is None:
                return False
            quantity = choice.bindings.get("quantity")
            lower_better = self._lower_is_better(quantity)
            descending = {"low": False, "high": True,
                          "best": not lower_better if lower_better is not None else None,
                          "worst": lower_better if lower_better is not None else None}[reading.direction]
            if descending is None:
                return False
            choice.bindings[name] = descending
            choice.labels[name] = "highest first" if descending else "lowest first"
            return True
        if kind == "number":
            if reading.threshold is None or reading.threshold.above is None:
                return False
            quantity = choice.bindings.get("quantity")
            unit = reading.threshold.unit
            symbol = reading.threshold.unit_symbol
            if unit is None and quantity is not None:
                preferred = self.quantities.get(quantity.value, {}).get("preferredUnit")
                if preferred is None:
                    return False
                unit = preferred
                symbol = next((s for u, s in self.units.values() if u == preferred), "")
            if unit is None:
                return False
            preferred = self.quantities.get(quantity.value, {}).get("preferredUnit") if quantity is not None else None
            if preferred is not None and self.dimensions.get(unit) != self.dimensions.get(preferred):
                label = self.quantities[quantity.value]["label"]
                given = next((s for u, s in self.units.values() if u == preferred), "")
                raise QuestionError(f"{shown(reading.threshold.text)}: {symbol} does not measure {label} "
                                    f"(given in {given})")
            above = reading.threshold.above
            if isinstance(above, str):  # "stronger than": the better side of this quantity
                lower_better = self._lower_is_better(quantity)
                if lower_better is None:
                    return False
                above = (above == "better") != lower_better
            choice.bindings[name] = reading.threshold.value
            choice.labels[name] = f"{plain(reading.threshold.value)} {symbol}".strip()
            choice.bindings["thresholdUnit"] = unit
            choice.labels["thresholdUnit"] = symbol
            choice.bindings["above"] = above
            choice.labels["above"] = "above" if above else "below"
            return True
        if kind in ("unit", "comparison"):
            return name in choice.bindings
        if kind in ("year", "author"):  # "papers from 2019", "papers by Passerini"
            value = getattr(reading, kind, None)
            if value is None:
                return False
            choice.bindings[name] = value
            choice.labels[name] = str(value)
            return True
        if kind == "magnitude":  # "largest binding energy": the strongest, whichever sign its paper uses
            quantity = getattr(choice.bindings.get("quantity"), "value", None)
            if not SIZE_WORDS & set(reading.words) or not self.quantities.get(quantity, {}).get("caution"):
                return False
            choice.bindings[name] = True
            choice.labels[name] = "by size, whatever the sign"
            return True
        if kind == "inclusion":
            if "threshold" not in choice.bindings:
                return False
            choice.bindings[name] = reading.threshold.inclusive
            choice.labels[name] = "the number included" if reading.threshold.inclusive else "the number excluded"
            return True
        classes = KINDS.get(kind)
        compared = reading.threshold if reading.threshold is not None and reading.threshold.above is not None else None
        named_unit = compared.unit if compared else reading.asked_unit or getattr(reading.threshold, "unit", None)
        if kind == "quantity" and named_unit is not None and not any(m.of_kind(classes) for m in reading.mentions):
            # "lasting more than 2000 h", "how many hours": the unit names the quantity when only one prefers it
            fitting = [q for q, row in self.quantities.items() if row.get("preferredUnit") == named_unit]
            if len(fitting) == 1:
                choice.bindings[name] = Iri(fitting[0])
                choice.labels[name] = self.quantities[fitting[0]]["label"]
                return True
        for index, mention in enumerate(reading.mentions):
            if index in choice.used:
                continue
            entity = mention.of_kind(classes) if classes else mention.entities[0]
            if entity is not None:
                choice.used.add(index)
                choice.bindings[name] = entity.iri
                choice.labels[name] = entity.label
                return True
        return False

    def _lower_is_better(self, quantity: Iri | None):
        if quantity is None:
            return None
        value = self.quantities.get(quantity.value, {}).get("lowerIsBetter")
        return None if value is None else bool(value)

    def choose(self, reading: Reading) -> list[Choice]:
        choices = []
        for template in self.templates:
            choice = self.fill(template, reading)
            cue = self.cue_score(template, reading.words)
            choice.score += cue
            bound = {v for v in choice.bindings.values() if isinstance(v, Iri)}
            about_a_system = names_a_system(choice, reading)
            for index, mention in enumerate(reading.mentions):
                if index in choice.used or any(e.iri in bound for e in mention.entities) or repeats(choice, mention):
                    continue
                if about_a_system and only_describes(mention):
                    continue
                if "origin" in template.columns and self.computational(mention):
                    continue  # "DFT binding energies": the computed values (kg.compose.by_columns)
                minor = all(e.classes & MINOR for e in mention.entities)
                choice.score -= 0.5 if minor else 3
            choice.score -= 3 * len(reading.unread)
            if not template.params and cue < 3:
                choice.missing.append(("cue", "words"))
            choices.append(choice)
        return sorted(choices, key=lambda c: (bool(c.missing), -c.score, -len(c.template.params), c.template.name))

    def computational(self, mention) -> bool:
        """Whether `mention` names a computational technique (DFT, MD, a calculation)."""
        if not any(f"{SAC}Technique" in e.classes for e in mention.entities):
            return False
        if not hasattr(self, "_computational"):
            from kg.query import template

            _, rows = self.kb.run_template(template("computational_techniques"), {})
            self._computational = {r["technique"].value for r in rows}
        return any(e.iri.value in self._computational for e in mention.entities)

    def complete(self, choice: Choice, reading: Reading) -> bool:
        """Whether the reading uses every name of the question and the template's own cue words."""
        return (not reading.unread and not unused_mentions(choice, reading)
                and self.cue_score(choice.template, reading.words) >= 3)

    def understand(self, question: str) -> tuple[Choice, Reading]:
        choices, reading = self.readings(question)
        return choices[0], reading

    def readings(self, question: str, lenient: bool = False) -> tuple[list[Choice], Reading]:
        """The readings worth trying, best first: the best, and any other complete one scoring nearly as
        well (one of them may apply a constraint the best cannot). `lenient`: words naming nothing known
        count against no reading."""
        if not question.strip():
            raise QuestionError("the question is empty")
        reading = self.read(question)
        described_system(self, reading)  # "single Co on defective iron sulfide": SACo/ADFS@HPSC
        choices = self.choose(reading)
        best = choices[0]
        if (best.missing or best.score < 2) and described_system(self, reading, read_otherwise=False):
            choices = self.choose(reading)  # "Fe-Ni atoms on carbon nanofiber paper": no reading without it
            best = choices[0]
        lenient = lenient and len(reading.mentions) >= 2  # the rest names enough to read without them
        if best.missing or best.score + (3 * len(reading.unread) if lenient else 0) < 2:
            if reading.unread:
                word = reading.unread[0]
                raise NoReading(f"unknown entity {shown(word)}", lambda: self._suggest(word, None))
            near = [c for c in choices if len(c.missing) == 1 and c.missing[0][1] in KINDS and c.score >= 3]
            content = [w for w in reading.words if w not in FUNCTION_WORDS and w not in self.cue_words
                       and not _NUMBER.match(w) and len(w) >= 2]
            if near and content and not common_word(content[-1]):  # never "unknown metal 'field'"
                kind = near[0].missing[0][1]
                word = next(t.text for t in reversed(reading.tokens) if t.text.lower() == content[-1])
                raise NoReading(f"unknown {kind} {shown(word)}", lambda: self._suggest(word, KINDS[kind]))
            raise NoReading(f"cannot answer {shown(question)}; closest questions: ", lambda: self.closest_forms(question))
        return [best, *(c for c in choices[1:] if not c.missing and c.score >= max(2, best.score - NEAR))], reading

    def _suggest(self, word: str, classes) -> str:
        return self.names.suggestion(word, tuple(classes) if classes else None)

    def closest_forms(self, question: str) -> str:
        from rapidfuzz import fuzz, process

        forms = [(e, t.name) for t in self.templates for e in t.examples[:1]]
        scored = process.extract(question.lower(), [f[0].lower() for f in forms], scorer=fuzz.token_set_ratio,
                                 limit=len(forms))
        scored.sort(key=lambda m: (-m[1], m[2]))
        return "; ".join(f"'{forms[index][0]}'" for _, _, index in scored[:3])


# How far below the best reading another may score and still be tried when the best cannot apply everything.
NEAR = 3


def answer(kb, question: str, reader: Reader | None = None) -> Answer:
    """The answer to `question` (see `_answer`), with the recorded facts that hold the words its reading
    left unread beside a computed answer."""
    from kg.fallback import related

    reader = reader or Reader(kb)
    found = _answer(kb, question, reader)
    if found.left:
        found.related = related(kb, reader, question, found)
    return found


def _answer(kb, question: str, reader: Reader) -> Answer:
    """Understand `question`, run the first reading that applies every constraint it names, and explain
    the result; refuse, naming the part, when no reading applies them all. A question no reading fits,
    or one about a single experiment that the reading leaves half unread, is answered from the fact
    index when recorded facts hold enough of it (kg.closest, kg.fallback)."""
    from kg.closest import closest, none_found
    from kg.fallback import (asked_for_unread, before_reading, beyond_scope, cited_figure, holding, instead_of, not_as_asked,
                             short_name, unheard_of)
    from kg.notes import YES_NO

    try:
        choices, reading = reader.readings(question)
    except NoReading as no_form:
        try:
            reading = reader.read(question)
        except QuestionError:
            raise no_form from None
        found = (beyond_scope(kb, reader, reading, question) or _both_origins(kb, reader, reading, question)
                 or cited_figure(kb, reader, reading, question) or short_name(kb, reader, reading, question)
                 or closest(kb, reader, reading, question))
        if found is not None:
            return found
        unnamed = [w for w in reading.unread if _SYSTEM_LIKE.search(w.strip(_EDGE))]
        if unnamed:  # "SAZn@NG binding energy": the values of other systems would answer another question
            word = unnamed[0].strip(_EDGE)
            return none_found(question, f"None reported: the knowledge base has no system or cell named {shown(word)} "
                              f"and no recorded fact mentions it{reader._suggest(word, KINDS['system']) or '.'}")
        try:  # no fact holds the unknown words: the reading of the rest, with them told apart
            choices, reading = reader.readings(question, lenient=True)
        except QuestionError:
            if not YES_NO.match(question):
                raise no_form from None
            # "is there a sodium pouch cell ...?": the values as tested in one; else no fact holds it
            return _as_tested(kb, reader, reading, question) or none_found(
                question, "No: none reported as asked; no recorded fact holds enough of the question"
                + (" (nothing known is named " + ", ".join(f"'{w}'" for w in reading.unread) + ")."
                   if reading.unread else "."))
    found = (_both_origins(kb, reader, reading, question) or before_reading(kb, reader, choices, reading, question)
             or _extreme_condition(kb, reader, reading, question) or _system_against(kb, reader, reading, question))
    if found is not None:
        return found
    refusal = empty = None
    for choice in choices:  # the readings worth trying (Reader.readings)
        if empty is not None and choice.score < choices[0].score:
            break  # an empty answer gives way only to a reading as good as it
        found = _attempt(kb, reader, choice, reading, question)
        if isinstance(found, Answer):
            if found.rows:
                return (unheard_of(kb, reader, reading, question, found) or instead_of(kb, reader, reading, question, found)
                        or not_as_asked(kb, reader, reading, question, found)
                        or asked_for_unread(kb, reader, reading, question, found)
                        or _condition_asked(kb, reader, reading, question, found) or found)
            if empty is None:
                empty, empty_choice = found, choice
        else:
            refusal = refusal or found
    if empty is not None:
        return (instead_of(kb, reader, reading, question, empty) or _kin(kb, reader, empty_choice, reading, question)
                or _condition_asked(kb, reader, reading, question, empty) or empty)
    # facts apply no number, rank nothing and filter no rows by cell, role or origin: such a question is refused
    filters = any(e.classes & set(ROW_FILTERS) for i, m in enumerate(reading.mentions) if i not in choices[0].used
                  for e in m.entities)
    ranked = reading.threshold is not None or reading.conditions or reading.direction or filters
    found = None if ranked else closest(kb, reader, reading, question, why="No question form applies all of it.")
    one_system = sum(1 for m in reading.mentions if m.entities[0].classes & KINDS["system"]) == 1
    tested_at = reading.conditions or (reading.threshold is not None and (reading.threshold.above is None or one_system))
    listing = choices[0].template.name.startswith("systems") or (  # "which Li systems work at 5 mA cm-2?"
        choices[0].template.name == "about_entity" and any(c.template.name.startswith("systems") for c in choices))
    forms = [*(["measurements_of_system"] if tested_at and one_system else []),  # "Zn-HC low-temperature test"
             *([VALUES_AS_TESTED] if YES_NO.match(question) or listing or tested_at and not _asks_other(choices[0], question)
               else [])]  # "any Na pouch cell demo?", "how do Li anodes perform at -20 °C?"
    if found is None and (filters or tested_at):  # the values as tested there
        choice = next((c for c in (reader.form(name, reading) for name in forms) if c), None)
        found = _attempt(kb, reader, choice, reading, question) if choice else None
    if not isinstance(found, Answer):
        found = holding(kb, reader, reading, question, choices[0], refusal) if refusal else None
    if not isinstance(found, Answer):
        raise refusal
    return found


def _attempt(kb, reader: Reader, choice: Choice, reading: Reading, question: str):
    """The answer of one reading, or the QuestionError naming what it cannot apply."""
    from kg.notes import note_for

    template = choice.template
    threshold = reading.threshold
    alike = None if threshold is None or threshold.unit is None or reading.direction else (
        lambda iri: reader.dimensions.get((reader.quantities.get(iri.value) or {}).get("preferredUnit"))
        == reader.dimensions.get(threshold.unit))
    plan, added = runs(choice, reading, alike)  # "both Na and K": the template once per metal
    columns, table = [*added, *template.columns], [*added, *template.table]  # which value each row answers for
    rows = []
    second = reading.second if "threshold" in choice.bindings and len(reading.more_numbers) == 1 else None
    for bindings, labels in plan:
        _, raw = kb.run_template(template, bindings)
        if second is not None:  # "over 1000 h but under 1600 h": the rows meeting both bounds
            _, within = kb.run_template(template, {**bindings, "threshold": second.value, "thresholdUnit": second.unit,
                                                   "above": second.above, "inclusive": second.inclusive})
            kept = {r.get("m") for r in within}
            raw = [r for r in raw if r.get("m") in kept]
        rows += [{**labels, **_tidy(row, template)} for row in raw]
        if not raw and len({str(b.get("metal")) for b, _ in plan}) > 1 and hasattr(bindings.get("metal"), "value"):
            choice.labels.setdefault("noneFor", []).append(reader.names.entity(bindings["metal"].value).label)
    if choice.labels.get("noneFor") and not rows:
        del choice.labels["noneFor"]  # nothing for any of them: "None reported" says it
    if second is not None:
        choice.labels["secondBound"] = ("at least " if second.inclusive else "over ") + second.text if second.above \
            else ("at most " if second.inclusive else "under ") + second.text
    conditions = [*([reading.threshold] if "threshold" not in choice.bindings and reading.threshold else []),
                  *reading.conditions]
    tested_at = at_condition(rows, conditions, columns)
    said = " and ".join((("≥ " if c.inclusive else "> ") if c.above else ("≤ " if c.inclusive else "< ")) + c.text
                        if c.above is not None else c.text for c in conditions)
    if tested_at is not None:  # "... at -40 °C": only the values tested there
        rows = tested_at
        choice.labels["testedAt"] = said
    elif conditions and template.name.startswith(("references", "authors")) and _tested_there(kb, choice, conditions):
        tested_at = rows  # "Zn-HC low temperature reference": which paper on the system, not a filter
        choice.labels["studyAt"] = said
    rows, narrowed_by, refused = by_columns(choice, reading, rows, columns, lambda: _roles(kb, reader),
                                            reader.computational, reader.names.entity(f"{SAC}Computed"))
    rows = [{c: r.get(c) for c in columns} for r in rows]  # the roles read to narrow them are not shown
    situ = [c for c in TECHNIQUE_COLUMNS if c in columns] if reading.situ else []
    if situ:  # "in situ techniques": rows of techniques used in situ
        rows = [r for r in rows if any(reading.situ in str(r.get(c) or "").lower() for c in situ)]
        narrowed_by.append(f"{reading.situ} techniques")
    if reading.excluded:  # "besides zinc": no row naming it
        left_out = {e.label.lower() for m in reading.excluded for e in m.entities[:1]}
        kept = [r for r in rows if not left_out & {item.strip().lower() for v in r.values() if isinstance(v, str)
                                                  for item in v.split(";")}]
        named = ", ".join(m.entities[0].label for m in reading.excluded)
        inside = re.compile("|".join(rf"(?<![A-Za-z]){re.escape(m.entities[0].label)}(?![a-z])" for m in reading.excluded))
        still = any(inside.search(v) for r in kept for v in r.values() if isinstance(v, str))  # "Zn-HC" in a list
        choice.labels["notLeftOut" if still and len(kept) == len(rows) else "leftOut"] = named
        rows = kept

    cited = [k for k in ("author", "year") if getattr(reading, k) is not None and k not in choice.bindings
             and "reference" in columns and not (k == "author" and reader.names.iris(name_key(reading.author)))
             and not template.name.startswith(("best", "rank"))]  # the best of all is not the best of a year
    for kind in cited:  # "low-temperature Na anodes by Lu et al.": rows whose citation names them
        wanted = re.compile(rf"\b{re.escape(str(getattr(reading, kind)))}\b", re.IGNORECASE)
        rows = [r for r in rows if wanted.search(str(r.get("reference") or ""))]
        narrowed_by.append(f"{'papers by' if kind == 'author' else 'papers of'} {getattr(reading, kind)}")
    if narrowed_by:  # "in Li-S cells", "with a sulfur host", "computed values"
        choice.labels["narrowedBy"] = ", ".join(narrowed_by)
    metals_shown = {str(r.get("metalName")) for r in rows} if rows and "metalName" in columns else None
    parts = [*unapplied(choice, reading, conditions_applied=tested_at is not None, by_reference=cited,
                        second_applied=second is not None, metals_shown=metals_shown), *refused]
    if parts:
        return QuestionError(f"cannot apply {', '.join(parts)}: SAC-KG reads {shown(question)} as "
                             f"'{template.title}', which has no such filter; ask without {'them' if len(parts) > 1 else 'it'}, "
                             f"or one of: ", lambda: reader.closest_forms(question))
    cautions = {iri: row["caution"] for iri, row in reader.quantities.items() if row.get("caution")}
    from kg.fallback import left_unread

    told = {str(n.unknown_unit).lower() for n in (reading.threshold, *reading.conditions) if n and n.unknown_unit}
    left = [w for w in left_unread(reader, template, reading) if w not in told  # an unknown unit is told apart
            and not (situ and w in ("situ", "operando"))]
    note = note_for(template, rows, choice, reading, cautions, left)
    found = Answer(question, template, choice.bindings, choice.labels, columns, rows, note, table)
    found.reading, found.left = reading, left
    return found



def _asks_other(choice: Choice, question: str) -> bool:
    """Whether the question asks for something other than values ("how many ...", "which mechanisms ..."),
    which the values tested at a condition do not answer."""
    from kg.fallback import thing_asked

    asked = thing_asked(question)
    return bool(re.match(r"\s*how\s+many\b", question, re.IGNORECASE)) or bool(
        asked and (asked in choice.template.cues or asked.rstrip("s") in choice.template.cues))


def _system_against(kb, reader: Reader, reading: Reading, question: str):
    """"Is the SA-Co@HC K cell lifetime longer than 2000 h?": the named system's values of the quantity, with
    whether they meet the number; None unless a yes/no question compares one named system with a number."""
    from kg.narrow import BOUND_OF_SYMBOL, converted, meets
    from kg.notes import YES_NO

    threshold = reading.threshold
    systems = [m for m in reading.mentions if m.entities[0].classes & KINDS["system"]]
    if threshold is None or threshold.above not in (True, False) or threshold.unit is None \
            or len(systems) != 1 or not YES_NO.match(question):
        return None
    choice = reader.form("property_of_system", reading)
    if choice is None:
        return None
    reading.threshold = None  # applied below, row by row
    try:
        found = _attempt(kb, reader, choice, reading, question)
    finally:
        reading.threshold = threshold
    if not isinstance(found, Answer) or not found.rows:
        return found if isinstance(found, Answer) else None
    limit = converted(kb, threshold.value, threshold.unit)
    verdicts = []
    for row in found.rows:
        unit = reader.units.get(unit_key(str(row.get("unit") or "")))
        value = converted(kb, row.get("value"), unit[0]) if unit and row.get("value") is not None else None
        if value is None or limit is None:
            return None  # not comparable in one unit
        bound = BOUND_OF_SYMBOL.get(str(row.get("comparator") or ""))
        verdicts.append(meets(value, limit, bound, threshold.above, threshold.inclusive))  # as threshold.rq tests it
    word = "Yes" if all(v == "yes" for v in verdicts) else "No" if all(v == "no" for v in verdicts) else \
        "Yes for some values" if "yes" in verdicts else "Possibly"
    said = ("at least " if threshold.inclusive else "over ") if threshold.above else ("at most " if threshold.inclusive else "under ")
    values = "; ".join(str(r.get("display")) for r in found.rows)
    note = re.sub(r"^(?:Yes: \d+ found\.|No\.|Possibly: [^.]*\.)\s*", "", found.note)
    found.note = (f"{word}: {systems[0].entities[0].label} {values}, asked {said}{threshold.text}. " + note).strip()
    return found


def _tested_there(kb, choice: Choice, conditions: list) -> bool:
    """Whether the one system the choice is about has a value tested at every condition given."""
    system = choice.bindings.get("system")
    if not hasattr(system, "value") or any(hasattr(choice.bindings.get(p), "value") for p in ("other", "entity")):
        return False
    from kg.query import template

    measured = template("measurements_of_system")
    columns, rows = kb.run_template(measured, {"system": system})
    return bool(at_condition(rows, conditions, columns))


def _extreme_condition(kb, reader: Reader, reading: Reading, question: str):
    """"The highest current density for Na", "lowest temperature tested": the values tested at the extreme of
    a test condition the question names, when it names no quantity; or None."""
    kinds = [e.label for m in reading.mentions for e in m.entities[:1] if f"{SAC}ConditionKind" in e.classes]
    if (reading.direction not in ("high", "low") or len(kinds) != 1 or reading.threshold is not None
            or any(f"{SAC}QuantityKind" in e.classes for m in reading.mentions for e in m.entities)):
        return None
    choice = reader.form(VALUES_AS_TESTED, reading)
    found = _attempt(kb, reader, choice, reading, question) if choice else None
    if not isinstance(found, Answer):
        return None
    pattern = re.compile(re.escape(kinds[0]) + r" (-?\d+(?:\.\d+)?) ([^;]+)")
    tested = [(Decimal(m[1]), m[2].strip(), r) for r in found.rows
              for m in [pattern.search(str(r.get("conditions") or ""))] if m]
    if not tested:
        return None
    extreme = (max if reading.direction == "high" else min)(n for n, _, _ in tested)
    found.rows = [r for n, _, r in tested if n == extreme]
    unit = next(u for n, u, _ in tested if n == extreme)
    word = "Highest" if reading.direction == "high" else "Lowest"
    systems = ", ".join(dict.fromkeys(str(r.get("systemName") or r.get("system")) for r in found.rows))
    from kg.notes import note_for

    found.note = (f"{word} {kinds[0]} any value was tested at: {plain(extreme)} {unit} ({systems}). "
                  + note_for(found.template, found.rows, choice, reading)).strip()
    return found


def _as_tested(kb, reader: Reader, reading: Reading, question: str):
    """The values tested in the cell, with the role or origin, or at the condition the question names, when
    it names one; else None."""
    named = any(e.classes & set(ROW_FILTERS) for m in reading.mentions for e in m.entities[:1])
    choice = reader.form(VALUES_AS_TESTED, reading)
    if choice is None or not (named or reading.conditions):
        return None
    found = _attempt(kb, reader, choice, reading, question)
    return found if isinstance(found, Answer) else None


def _both_origins(kb, reader: Reader, reading: Reading, question: str):
    """"What was computed and what was measured for SA-Co@HC?": every value of the named system (else of the
    named metal's systems), each with its origin; or None."""
    origin = f"{SAC}ValueOrigin"
    if len({e.iri for m in reading.mentions for e in m.entities[:1] if origin in e.classes}) < 2:
        return None
    for name in ("measurements_of_system", VALUES_AS_TESTED):
        choice = reader.form(name, reading)
        if choice is None:
            continue
        choice.used |= {i for i, m in enumerate(reading.mentions)  # "by DFT": how computed values were got
                        if any(e.classes & {origin, f"{SAC}Technique"} for e in m.entities[:1])}
        found = _attempt(kb, reader, choice, reading, question)
        if isinstance(found, Answer) and found.rows:
            found.note = ("Computed and measured values alike, each with its origin. " + found.note).strip()
            return found
    return None


def _condition_asked(kb, reader: Reader, reading: Reading, question: str, found: Answer):
    """"What C-rate was CoSA@NC cycled at?": when no value of `found` states the test condition the question
    names without a number, the values of the named system that state it; or None."""
    kinds = [e.label for m in reading.mentions for e in m.entities[:1] if f"{SAC}ConditionKind" in e.classes]
    numbers = [*reading.conditions, *([reading.threshold] if reading.threshold is not None else [])]
    if not kinds or any(n.above is not None for n in numbers):  # "the 500-cycle test", "kept 85%": which test
        return None
    if any(all(k in str(r.get("conditions") or "") for k in kinds) for r in found.rows):
        return None
    choice = reader.form("measurements_of_system", reading)
    if choice is None or not names_a_system(choice, reading):
        return None
    stated = _attempt(kb, reader, choice, reading, question)
    if not isinstance(stated, Answer):
        return None
    stated.rows = [r for r in stated.rows if all(k in str(r.get("conditions") or "") for k in kinds)]
    if not stated.rows:
        return None
    stated.note = (f"The values of {choice.labels.get('system')} that state the {' and '.join(kinds)}. "
                   + stated.note).strip()
    return stated


def _kin(kb, reader: Reader, choice: Choice, reading: Reading, question: str):
    """For a named system with no value of the quantity asked ("plating overpotential of CoSA@NC"), its values
    of the quantities named with the same last word (its nucleation overpotential), said to be those; or None."""
    quantity = choice.bindings.get("quantity")
    if quantity is None or quantity.value not in reader.quantities or not names_a_system(choice, reading):
        return None  # no quantity named: bound to sac:any
    label = reader.quantities[quantity.value]["label"]
    for iri in reader.families.get(re.split(r"[\s/]", label.lower())[-1], []):
        if iri == quantity.value:
            continue
        kin = Choice(choice.template, choice.score)
        kin.bindings, kin.used = {**choice.bindings, "quantity": type(quantity)(iri)}, set(choice.used)
        kin.labels = {**choice.labels, "quantity": reader.quantities[iri]["label"]}
        found = _attempt(kb, reader, kin, reading, question)
        if isinstance(found, Answer) and found.rows:
            found.note = (f"None reported for the {label}; the {kin.labels['quantity']} recorded instead. "
                          + found.note).strip()
            return found
    return None


def _roles(kb, reader: Reader) -> dict:
    """Each system's roles ("anode host; separator coating"), by its name."""
    parts = next(t for t in reader.templates if t.name == "system_parts")
    _, rows = kb.run_template(parts, reader.fill(parts, reader.read("")).bindings)
    return {r["systemName"]: str(r.get("roles") or "") for r in rows}




def _tidy(row: dict, template: Template) -> dict:
    tidy = {}
    for column in template.columns:
        value = row.get(column)  # list columns come sorted from run_template
        if isinstance(value, str):
            value = value.strip() or None
        tidy[column] = value
    return tidy
