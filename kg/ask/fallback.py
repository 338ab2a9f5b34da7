"""When `ask` answers from the fact index (kg.ask.closest), and how.

Before any reading runs: the definition of "what is X", the facts spelling out a short name, a figure
cited by number, metal anodes beyond Li, Na and K, and a question about one experiment or asking two
things. In place of a computed answer: the facts holding the words a form left unread, a compound word or
the thing asked that no fact mentions (none reported), a yes/no question the form cannot settle, and the
facts that each hold a part no form applies (in place of a refusal). Beside a computed answer: the facts
holding the words it left unread.
"""

from __future__ import annotations

import re

from kg.ask.closest import (
    ASKED,
    FILLER,
    FORM_WORDS,
    SAC,
    TWO_ASKS,
    WORD,
    about_one_experiment,
    closest,
    mention_term,
    none_found,
    noun_asked,
    said_as,
)
from kg.ask.notes import YES_NO
from kg.engine.facts import FactIndex
from kg.engine.templates import Template
from kg.model.text import common_word, elements, english_word

# No computed answer says why, or what part a thing plays in another: "role of SAZn in ZnSA-N-C"
WHY = re.compile(r"^\s*(?:[^,?]{1,80},\s*)?(?:why|how\s+come|for\s+what\s+reason)\b|^\s*what\s+(?:role|part|function|job)\s+(?:do|does|did|"
                 r"can|could|might)\b|^\s*(?:what\s+(?:is|was)\s+)?(?:the\s+)?(?:role|function|"
                 r"purpose)\s+of\s+\S+.*\b(?:in|on|for|within)\b", re.IGNORECASE)
DEFINITION = re.compile(r"^\s*(?:what\s+(?:is|are)|what's|define|definition\s+of|meaning\s+of|what\s+does)\s+"
                        r"(?:an?\s+|the\s+)?(?P<term>.+?)\s*(?:mean|stand\s+for)?\s*[?.!]*\s*$", re.IGNORECASE)
USED_AS_WRITTEN = 3  # facts shown beside a definition that use the name as the question writes it
DEFINITIONS = Template(
    name="definitions", text=FactIndex.ABOUT,
    title="Definitions of the vocabulary", summary="The SAC-KG vocabulary's definition of each term named.",
    columns=("term", "definition", "source"), table=("term", "definition", "source"))
VOCABULARY = "SAC-KG vocabulary (the curator's definition)"


def definition(kb, reading, question: str):
    """The answer to "what is X" when X is a term of the vocabulary with a definition, else None."""
    from kg.ask.words import Answer

    match = DEFINITION.match(question)
    if not match or len(reading.mentions) != 1 or reading.threshold is not None:
        return None
    mention = reading.mentions[0]
    if mention.text.lower().strip(" ?.!") != match.group("term").lower().strip(" ?.!"):
        return None
    hits = FactIndex.of(kb).about([e.iri.value for e in mention.entities])
    if not hits:
        return None
    rows = [{"term": h.about, "definition": h.sentence.split(": ", 1)[1], "source": VOCABULARY} for h in hits]
    note = "Definitions are the SAC-KG vocabulary's own wording; ask 'tell me about ...' for what the review records."
    written = mention.text.strip(" ?.!'\"“”‘’")
    if written.lower() != mention.entities[0].label.lower():  # "SAC-in-Defects": also the facts that say it so
        _, used = FactIndex.of(kb).search({written: 1.0}, limit=20)
        used = sorted(used, key=lambda h: (h.kind in ("reference", "figure", "figure panel"), h.rank))[:USED_AS_WRITTEN]
        rows += [{"term": h.about, "definition": h.sentence, "source": h.reference or None} for h in used]
        if used:
            note += f" Also the recorded facts that write '{written}'."
    bindings = {"fact": " ".join(h.fact for h in hits)}
    return Answer(question, DEFINITIONS, bindings, {}, list(DEFINITIONS.columns), rows, note,
                  language="sql", query=DEFINITIONS.text)


RELATED = 3  # facts shown at most beside a computed answer
LOOSE = 0.4  # share of the question's words a fact beside a computed answer holds, if it holds two words left unread


def related(kb, reader, question: str, answer) -> list[dict]:
    """The recorded facts, best first, that hold words a computed `answer` left unread ("which Co 3d orbitals
    hybridise ... in CC@CN-SACo?") together with enough of the rest of the question."""
    left = [w for w in answer.left if w.lower() not in FORM_WORDS and w.lower() not in FILLER]
    reading = answer.reading
    if not left or reading is None or reading.excluded or reading.threshold is not None and (
            reading.threshold.above is not None or reading.direction):
        return []  # beside rows chosen by a bound or by a name left out, other facts would mislead
    index = FactIndex.of(kb)
    held = [w for w in left if any(index.rows_with(s) for s in said_as(w))]  # else the facts say it otherwise
    found = (len(held) > 1 and closest(kb, reader, answer.reading, question, hold=(held, 2), floor=LOOSE)
             or held and closest(kb, reader, answer.reading, question, hold=(held, 1))
             or closest(kb, reader, answer.reading, question))
    if found is None:
        return []
    systems = {str(r.get(c)) for r in answer.rows for c in ("systemName", "system") if r.get(c)}
    others = index.systems() - systems if systems else set()  # no fact about a system the rows do not show
    return [r for r in found.rows if r["about"] not in others][:RELATED]


COMPUTED = ("count", "compare", "rank", "best", "overview")  # forms whose answer facts cannot give
_HOW_MANY = re.compile(r"\bhow\s+many\b|\bcount\b|\bnumber\s+of\b", re.IGNORECASE)


def holding(kb, reader, reading, question: str, choice, refusal):
    """In place of a refusal: the closest recorded facts when each of them holds every part of the question
    the best reading cannot apply (a named thing, or a test condition as written), so that none is dropped;
    not for a bound or a ranking, which facts do not apply, unless the question asks why. Else None."""
    from kg.ask.compose import unused_mentions
    from kg.ask.words import KINDS

    quantity = any(m.of_kind(KINDS["quantity"]) for m in reading.mentions)
    if (reading.threshold is not None and reading.threshold.above is not None and quantity or reading.more_numbers
            or reading.direction and not re.search(r"\bwhy\b", question, re.IGNORECASE)
            or choice.template.name.startswith(COMPUTED) or _HOW_MANY.search(question) or YES_NO.match(question)):
        return None  # facts count, rank and compare nothing, nor say yes or no
    parts = refusal.message.split(": SAC-KG reads", 1)[0]  # without the closest forms, worked out only when shown
    unapplied = [m for i, m in enumerate(reading.mentions)
                 if i in unused_mentions(choice, reading) or f"'{m.text}' (" in parts]
    papers = [m.entities[0].label for m in unapplied if m.of_kind(KINDS["reference"])]  # held by the facts' source
    need = [mention_term(reader, m) for m in unapplied if not m.of_kind(KINDS["reference"])]
    need += [(c.text, f"{c.value.normalize():f} {c.unit_symbol}") if c.unit_symbol else c.text  # as written or as stored
             for c in (*reading.conditions, *([reading.threshold] if reading.threshold else ()))]
    if not need and not papers:
        return None
    found = closest(kb, reader, reading, question, need=need, sources=papers)
    numbers = [re.compile(rf"(?<![\d.,]){re.escape(f'{c.value.normalize():f}')}(?![\d.,])")
               for c in (*reading.conditions, *([reading.threshold] if reading.threshold else ()))]
    if found is not None:  # "5 mA cm-2" is no part of "0.5 mA cm-2", which the index's words would let through
        found.rows = [r for r in found.rows if all(n.search(r["fact"]) for n in numbers)]
    if found is None or not found.rows:
        return None
    held = "them" if len(need) > 1 else "it"
    found.note = f"No question form applies {parts.removeprefix('cannot apply ')}; every fact below holds {held}. {found.note}"
    return found


# "Mg or Ca metal anodes", "Rb batteries": elements named as the metal of an anode or battery
_ANODE_OF = re.compile(r"(?<![\w-])(?P<named>(?:[A-Z][a-z]?|[a-z]{4,})(?:\s*(?:,|/|\bor\b|\band\b)\s*(?:[A-Z][a-z]?|[a-z]{4,}))*)"
                       r"\s+(?:metal\s+)?(?:anodes?|batter(?:y|ies))\b")
COVERED = {"Li", "Na", "K"}


def beyond_scope(kb, reader, reading, question: str):
    """The answer to a question about the metal anodes of elements other than Li, Na and K ("Mg or Ca metal
    anodes with SACs?"): none reported, with the facts that name those elements, or None."""
    match = _ANODE_OF.search(question)
    if not match:
        return None
    symbols = elements()
    names = {e.name: e for e in symbols.values()}
    words = [w for w in re.split(r"\s*(?:,|/|\bor\b|\band\b)\s*", match.group("named")) if w]
    named = [symbols.get(w) or names.get(w.lower()) for w in words]
    if not all(named) or {e.symbol for e in named} & COVERED:
        return None
    told = ", ".join(e.symbol for e in named)
    why = (f"None reported: SAC-KG records single-atom catalysts for Li, Na and K metal anodes only; "
           f"the review reports none for {told} metal anodes.")
    return closest(kb, reader, reading, question, why=why,  # by name: a symbol also names centre metals
                   only=({e.name: 2.0 for e in named}, ())) or none_found(question, why)


_BACK = re.compile(r"\b(?:what|which|who)\s+(?:are|were|is|was)\s+(?:they|them|those|these|it)\b", re.IGNORECASE)


def asks_twice(question: str, reading) -> bool:
    """Whether a question asks two things that no one computed answer holds; not when the second ask
    points back at the first ("how many ..., and what are they?") or a number or ranking is asked, which
    only a computed answer applies."""
    if (reading.threshold is not None or reading.conditions or reading.direction or _BACK.search(question)
            or YES_NO.match(question)):  # "is there a ...? what's its substrate?": the systems found show it
        return False
    return bool(TWO_ASKS.search(question.strip().rstrip("?.! ")))


def left_unread(reader, template, reading) -> list[str]:
    """The question's words that no template cues on and that name nothing: what a reading by `template`
    leaves unread."""
    from kg.ask.words import BEST_WORDS, DOMAIN_WORDS, EDGE, FUNCTION_WORDS, HIGH_WORDS, LOW_WORDS, OPERATOR_WORDS, WORST_WORDS

    known = (FUNCTION_WORDS | DOMAIN_WORDS | OPERATOR_WORDS | FILLER | reader.cue_words | set(template.cues)
             | BEST_WORDS | WORST_WORDS | LOW_WORDS | HIGH_WORDS)
    named = {w.lower() for m in reading.mentions for w in WORD.findall(m.text)}
    found = []
    for word in reading.words:
        word = word.strip(EDGE)
        parts = [p for p in word.split("-") if len(p) > 2] if word.replace("-", "").isalpha() else []
        if any(p not in known | named and p.rstrip("s") not in known for p in parts):
            found.append(word)
    return found


# "what does LNCP stand for", "what is ADFS in SACo/ADFS@HPSC?", "CVRCS meaning"
ABBREVIATION = re.compile(r"^\s*what\s+(?:does|do|is|are)\s+(?:the\s+)?(?P<abbr>[^\s?]+)\s+(?:stand\s+for|mean|refer\s+to|"
                          r"in\s+(?P<within>\S+)|short\s+for)|^\s*(?P<abbr2>[^\s?]+)\s+(?:meaning|stands\s+for|abbreviation)\b",
                          re.IGNORECASE)
_SHORT = re.compile(r"[A-Z0-9][A-Za-z0-9-]*[A-Z0-9]")


def short_name(kb, reader, reading, question: str):
    """The facts that spell out a short name the question asks about, or None."""
    match = ABBREVIATION.match(question)
    if not match:
        return None
    abbr = (match.group("abbr") or match.group("abbr2")).strip("'\"“”‘’")
    if not _SHORT.fullmatch(abbr) or sum(c.isupper() for c in abbr) < 2:
        return None
    if match.group("within") is not None and abbr not in match.group("within"):
        return None  # "what is the SEI in Zn-HC made of": not a part of the name after it
    named = next((m for m in reading.mentions if m.text == abbr), None)
    if named is not None:  # "CVRCS": the facts holding it and the full name of what it names
        return closest(kb, reader, reading, question, only=({named.entities[0].label: 2.0, abbr: 2.0}, ()))
    if abbr not in reading.unread:
        return None
    return closest(kb, reader, reading, question, only=({abbr: 2.0, "short name": 1.0}, (abbr,)))


def before_reading(kb, reader, choices, reading, question: str):
    """An answer from the fact index before any reading runs, or None: none reported for the anodes of
    metals SAC-KG does not cover, the definition of "what is X", the facts that spell out a short name, or
    the closest facts for a question that asks two things at once or asks about one experiment and is left
    half unread by the best reading."""
    found = (beyond_scope(kb, reader, reading, question) or definition(kb, reading, question)
             or short_name(kb, reader, reading, question))
    found = found or cited_figure(kb, reader, reading, question)
    # "how do K anodes behave at low temperature?": the values tested there, not one experiment
    at_condition = reading.conditions and not any(m.entities[0].classes & NAMED for m in reading.mentions)
    if found is None and (asks_twice(question, reading) or WHY.match(question) or about_one_experiment(question)
                          and not at_condition and not reader.complete(choices[0], reading)):
        found = closest(kb, reader, reading, question)
    return found


def cited_figure(kb, reader, reading, question: str):
    """For a question citing a figure ("in Fig. 7C"), which only the fact index records: that figure's facts
    closest to the question, or none reported; else None."""
    if not reading.figures:
        return None
    return closest(kb, reader, reading, question) or none_found(
        question, "None reported: no recorded fact of " + " and ".join(f"'{f}'" for _, f in reading.figures)
        + " holds enough of the question.")


def instead_of(kb, reader, reading, question: str, answer):
    """The closest facts in place of a computed `answer` that leaves two words or more of the question
    unread, when facts hold two of them (one, if the answer is empty or its form's own cue words are
    not in the question); not for a question with a number or a ranking, which only a computed answer
    applies, unless the thing asked for ("morphology of ...") is among the words left unread."""
    left = left_unread(reader, answer.template, reading)
    what = thing_asked(question)
    if len(left) < 2 and what not in left:
        return None
    if (reading.threshold is not None or reading.conditions or reading.direction) and what not in left:
        return None  # a number or a ranking the form applies, unless what is asked is left unread
    weak = not answer.rows or reader.cue_score(answer.template, reading.words) < 3 or len(left) < 2
    return closest(kb, reader, reading, question, hold=(left, 1 if weak else 2))


def not_as_asked(kb, reader, reading, question: str, answer):
    """For a yes/no question that the form telling everything about a thing answers while words of what is
    asked stay unread ("does the review give a cost per gram?": not all that the review records): the
    facts holding all of them, or none reported; else None."""
    if not YES_NO.match(question):
        return None
    left = [w for w in left_unread(reader, answer.template, reading) if w.lower() not in FORM_WORDS]
    if not answer.template.name.startswith(("about_", "entity_")):  # "... give Tafel slopes for the Li SACs?"
        if _EITHER.search(question):
            return None  # "was it bowl-like or spherical?" asks which, not whether
        index = FactIndex.of(kb)
        unheard = [w for w in left if w.isalpha() and len(w) >= 4 and not common_word(w.lower())
                   and not any(index.rows_with(said) for said in said_as(w)) and index.closest_word(w.lower()) is None]
        return none_found(question, "No: none reported as asked; no recorded fact mentions "
                          + ", ".join(f"'{w}'" for w in unheard) + ".") if unheard else None
    if not left:
        return None
    return closest(kb, reader, reading, question, hold=(left, len(left))) or none_found(
        question, "No: none reported as asked; no recorded fact holds " + ", ".join(f"'{w}'" for w in left) + ".")


_EITHER = re.compile(r"\bor\s+[^\W\d_][\w-]*\s*[?.!]*\s*$", re.IGNORECASE)  # "... bowl-like or spherical?"
_COMPOUND = re.compile(r"[^\W\d_]{2,}(?:-[^\W\d_]{2,})+")


# "which cathode was used ...", "does the review say what electrolyte they used?"
_WHICH_NOUN = re.compile(r"\b(?:which|what)\s+([^\W\d_][\w-]*)\s+(?:was|were|is|are|did|does|do|has|have|had)\b",
                         re.IGNORECASE)
NAMED = {f"{SAC}SACSystem", f"{SAC}ControlMaterial", f"{SAC}SystemGroup"}


def asked_for_unread(kb, reader, reading, question: str, answer):
    """When the thing asked for ("which cathode ...") is a word the computed `answer` leaves unread, so that
    none of its rows says it: the facts holding that word with each system named, or none reported; else
    None."""
    match = _WHICH_NOUN.search(question)
    noun = match.group(1).lower() if match else None
    if noun is None or noun in FORM_WORDS or len(noun) < 4 \
            or noun not in {w.lower() for w in left_unread(reader, answer.template, reading)}:
        return None
    described = f"{answer.template.title} {answer.template.summary} {' '.join(answer.columns)}".lower()
    if re.search(rf"\b{re.escape(noun.rstrip('s'))}", described):
        return None  # "in which journal did ref 84 appear?": the form shows journals
    shown = " ".join(str(v) for row in answer.rows for v in row.values() if v is not None)
    if any(h.about and h.about in shown for h in FactIndex.of(kb).search({noun: 1.0}, limit=50)[1]):
        return None  # "which cathode ...": a row names the Li-LFP full cell, whose facts give its cathode
    named = [m for m in reading.mentions if m.entities[0].classes & NAMED]
    found = closest(kb, reader, reading, question, hold=([noun], 1), need=[mention_term(reader, m) for m in named])
    if found is not None:
        return found
    about = " or ".join(m.entities[0].label for m in named)
    return none_found(question, ("No: n" if YES_NO.match(question) else "N") + "one reported: no recorded fact "
                      + (f"about {about} " if about else "") + f"states the {noun} asked for.")


def unheard_of(kb, reader, reading, question: str, answer):
    """None reported, when a compound word the answer leaves unread ("solid-state", "anode-free"), or the
    thing asked for ("what price ..."), is in no recorded fact: whatever it qualifies, the review says
    nothing of it. Else None."""
    index = FactIndex.of(kb)
    what = noun_asked(question)
    absent = [w for w in left_unread(reader, answer.template, reading)
              if (_COMPOUND.fullmatch(w) or w.lower() == what and english_word(w)) and not index.rows_with(w.replace("-", " "))]
    if not absent:
        return None
    none = "None reported: no recorded fact mentions " + " or ".join(f"'{w}'" for w in absent)
    found = closest(kb, reader, reading, question)  # "what did the rod-like dendrites turn into?": "rod-shaped"
    if found is not None and found.rows:
        found.note = (f"{none}. " if not found.note.startswith(none) else "") + found.note.replace("closest to the question", "closest to the rest of the question")
        return found
    return none_found(question, f"{none}; the answer without {'them' if len(absent) > 1 else 'it'} would be "
                       + f"'{answer.template.title}'.")


def thing_asked(question: str) -> str | None:
    """What a question asks for, when its first words say it: the noun after "what"/"which", the verb after
    "who" ("who funded ..."), or the head of "X of ..."."""
    match = ASKED.match(question)
    return next(g for g in match.group("noun", "verb", "head") if g).lower() if match else None
