"""The words, patterns and types the reader of questions works with (kg.ask.reader)."""

from __future__ import annotations

import re
from decimal import Decimal

from kg.engine.names import Entity
from kg.engine.templates import Template
from kg.model.errors import SackgError
from kg.model.iris import SAC
from kg.model.terms import Iri

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
YEAR = re.compile(r"(?:19[89]\d|20[0-4]\d)")
YEAR_BEFORE = {"in", "from", "of", "published", "during", "year", "since"}
AUTHOR = re.compile(r"\b(?:by|of)\s+(?:[A-Z]\.\s*){0,3}([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!\s*[-@/])"
                     r"|\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+et\s+al\b\.?"
                     r"|\b([A-Z][a-z]+)'s\s+(?:paper|papers|work|group|study|studies|article)\b"
                     r"|\bdid\s+([A-Z][a-z]+)\s+(?:write|author|publish)\b")
# An acronym's plural, read as the acronym: "COFs", "CNTs", "MOFs"
ACRONYM_PLURAL = re.compile(r"[A-Z0-9]{2,}s")
# A system's name with the metal plated on it: "CC@CN-SACo@Li", "SAFe/CVRCS@3DPC-Li", "Zn-HC/Na"
PLATED = re.compile(r"(.+?\w)[@/-](?:Li|Na|K)")
# Counted test conditions, as the values' conditions name them ("500 cycles": "cycles 500")
COUNTS = {"cycles": "cycles", "cycle": "cycles"}
SUB_ZERO = {"sub-zero", "subzero", "sub-zero-temperature", "low-temperature", "low-temperatures"}
LOW = ("low", {"temperature", "temperatures", "temp", "temps"})  # "at low temperature": below 0 °C, as in the field
# "stronger (more negative) than -3 eV", "binds more strongly than": better or worse, whichever side that is
# for the quantity
STRONGER = ("stronger", "better", "more strongly", "more tightly", "more firmly", "less weakly")
WEAKER = ("weaker", "worse", "more weakly", "less strongly", "less tightly", "less firmly")
BETTER = re.compile(rf"\b({'|'.join(STRONGER + WEAKER)})\s*(?:\(([^)]*)\))?\s*than$")
SIZE_WORDS = {"largest", "smallest", "biggest", "greatest"}  # of a signed energy: its size, as papers use them

_TOKEN = re.compile(r"\S+")
# the shape of a SAC system's name: "SAZn@NG", "Cu_SA-HCNT", "SACu-N-C", "Ni-SAs"
# and of a cell's chemistry: "Na-S", "K-O2", "Li-air"
SYSTEM_LIKE = re.compile(r"@|^SA(?:s|[A-Z][a-z]?)|_SAs?\b|-SAs?\b|\bSAs?-|^(?:Li|Na|K)[-–](?:S|Se|O2|CO2|air)$")
EDGE = "?!,;:\"'()[]{}“”‘’."
NAME_LIKE = re.compile(r"(?:\w*[A-Z]\w*[A-Z0-9@_/]|\w*[0-9]\w*[A-Za-z]|\w+[@_/]\w+|[A-Za-z]+-[A-Z0-9][\w-]*)")
NUMBER = re.compile(r"^[-+−]?(?:\d+(?:\.\d*)?|\.\d+)$")
ASKED_UNIT = re.compile(r"\bhow\s+(?:many\s+([^\W\d]+)|long\b)|\b(?:cycling|cycled|lifespan|lifetime|life|duration|"
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
        self.related = []         # recorded facts holding those words (kg.ask.fallback.related)

    def ran(self) -> str:
        """The query that ran: the template with its parameters bound (or the fact index's search)."""
        from kg.engine.binding import with_values

        return self.query if self.query is not None else with_values(self.template.text, self.bindings)


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


SITU = re.compile(r"\b(?:in|ex)[\s-]situ\b|\boperando\b", re.IGNORECASE)
# The columns a technique is named in: "in situ" narrows their rows.
TECHNIQUE_COLUMNS = ("technique", "evidence_kind", "evidenceKind", "techniques")
EXCLUDING = re.compile(r"\b(?:besides|except(?:\s+for)?|other\s+than|apart\s+from|aside\s+from|excluding|"
                        r"not\s+counting|rather\s+than|instead\s+of|not(?=\s+[^\W\d_]+-based\b))\s+", re.IGNORECASE)
# "lower than on plain graphene", "versus bare Cu": a support or control a value is compared with, not a filter
COMPARED_WITH = re.compile(r"\b(?:than|versus|vs\.?|compared\s+(?:with|to)|relative\s+to|against)\s+(?:(?:on|in|with|to|"
                            r"for|that\s+of|those\s+of|the|a|an|bare|plain|pristine|pure|unmodified)\s+)*$", re.IGNORECASE)
BETWEEN = re.compile(r"\bbetween(\s+\S+(?:\s+\S+){0,3}?\s+and)?$")  # "between" before a first number, "between X and" a second
RANGE_END = re.compile(r"\s+and\s+[-+−]?[\d.]+\s*([^\d\s?,;]+(?:\s+[^\d\s?,;]+){0,2}?)\s*(?:[?,;.]|$)")
BINDS = {"bound", "bind", "binds", "binding", "adsorbed", "adsorbs", "adsorb", "held", "holds", "hold"}
STRENGTH = {"strongly", "weakly", "tightly", "strongest", "weakest", "firmly"}
COMPARES = re.compile(r"(?:compare[sd]?|fares?|fared|stacks?)\W*$", re.IGNORECASE)  # "how does bare Cu compare?"
BASELINE_KINDS = {f"{SAC}SupportKind", f"{SAC}ControlMaterial"}
FIGURE_CITED = re.compile(r"\bfig(?:ure)?s?\.?\s*(\d{1,2})(?:\s*\(?([A-Ha-h])\)?)?(?![\w])", re.IGNORECASE)


# "Li metal SAC systems", "Na-metal anodes": the metal, not the control material "Li metal"
_METAL_OF = set("sac sacs system systems anode anodes host hosts battery batteries cell cells paper papers study studies "
                "work works electrode electrodes deposition plating".split())


def the_metal(mention, tokens):
    """`mention`, naming only its alkali metal when the word after it says the metal is meant."""
    following = tokens[mention.last].text.lower().strip(EDGE) if mention.last < len(tokens) else ""
    metals = [e for e in mention.entities if e.classes & KINDS["metal"]]
    if metals and len(metals) < len(mention.entities) and following in _METAL_OF:
        return Mention(mention.first, mention.last, mention.text, metals)
    return mention


def slashed(word: str) -> list[str]:
    """A word written as alternatives ("prospects/challenges", "and/or") as its parts; any other word alone."""
    parts = word.split("/")
    return parts if len(parts) > 1 and all(p.isalpha() for p in parts) else [word]


def count_word(word: str) -> str | None:
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


def tokens_of(question: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(question):
        text = match.group(0)
        start, end = match.start(), match.end()
        while text and text[0] in EDGE:
            text, start = text[1:], start + 1
        while text and (text[-1] in EDGE) and not (text[-1] == "+" ):
            text, end = text[:-1], end - 1
        if text.lower().endswith(("'s", "’s")):
            text, end = text[:-2], end - 2
        if text:
            tokens.append(Token(text, start, end))
    return tokens


# How far below the best reading another may score and still be tried when the best cannot apply everything.
NEAR = 3
