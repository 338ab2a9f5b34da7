"""Answers from the fact index (kg.facts): the closest recorded facts, and definitions.

`ask` turns here when no question form fits, when the form that fits leaves much of a question about
one experiment unread ("what did SEM show on bare LNCP?") or two words or more of any question, and
when the form that fits cannot apply a named part of the question. The answer is the recorded facts that hold most of the
question's words, each with its citation, under a note saying they are the closest facts and not a
computed answer. "What is X" answers with the vocabulary's definition of X.
"""

from __future__ import annotations

import re

from kg.entities import SAC
from kg.facts import FactIndex
from kg.notes import YES_NO
from kg.query import Template
from kg.text import common_word, english_spelling, english_word, unit_key

# Words that shape a question without saying which fact it is about.
FORM_WORDS = set("""
show shows showed shown reveal revealed reveals observe observed observation observations see seen
happen happened happens happening according review reviews reported report reports describe described
tell explain explains give gives given find found discuss discussed discussion mention mentioned
say says said study studies studied work works paper papers kind type sort role function purpose reason why
called named hold holds held
any isn aren wasn weren doesn don didn hasn haven won wouldn couldn shouldn
""".split())
# A question about one experiment: what was seen, what happened, why, the role of a part, how it was made.
DETAIL = re.compile(
    r"^\s*(?:[^,?]{1,80},\s*)?why\b|\bwhat\s+(?:did|does|do|was|were|is|are)\b.*\b(?:show|reveal|observe|see|indicate|find|suggest)"
    r"|\bwhat\s+happen|\b(?:role|function|purpose)\s+of\b|\breason\b|\bhow\s+(?:was|were|is|are)\b.*\b(?:made|"
    r"prepared|synthesi[sz]ed|fabricated|obtained|formed|grown|produced)\b|\bhow\s+(?:did|does|do|can|could)\b.*\b(?:"
    r"change|grow|evolve|behave|form|work|differ|lower|reduce|improve|help|enable|promote|suppress|affect|regulate|"
    r"guide|stabili[sz]e|prevent|accelerate|facilitate|achieve)\b|\bwhere\s+(?:does|do|did)\b|\b(?:observed|seen|"
    r"visible)\b|^\s*what\s+(?:mechanism|makes|lets|allows|enables|causes)\b",
    re.IGNORECASE)
# No computed answer says why, or what part a thing plays in another: "role of SAZn in ZnSA-N-C"
WHY = re.compile(r"^\s*(?:[^,?]{1,80},\s*)?(?:why|how\s+come|for\s+what\s+reason)\b|^\s*what\s+(?:role|part|function|job)\s+(?:do|does|did|"
                 r"can|could|might)\b|^\s*(?:what\s+(?:is|was)\s+)?(?:the\s+)?(?:role|function|"
                 r"purpose)\s+of\s+\S+.*\b(?:in|on|for|within)\b", re.IGNORECASE)
DEFINITION = re.compile(r"^\s*(?:what\s+(?:is|are)|what's|define|definition\s+of|meaning\s+of|what\s+does)\s+"
                        r"(?:an?\s+|the\s+)?(?P<term>.+?)\s*(?:mean|stand\s+for)?\s*[?.!]*\s*$", re.IGNORECASE)
GOOD = 0.5  # share of the question's weighted words a fact must hold to be shown
LIMIT = 8   # facts shown at most
ALWAYS = 5  # facts shown when they hold enough, however far below the best
EXPERIMENT = ("value", "claim", "finding")  # facts of one experiment, shown together for "why ..." questions
USED_AS_WRITTEN = 3  # facts shown beside a definition that use the name as the question writes it
_WORD = re.compile(r"[^\W_]+")
# Question words the facts say otherwise: how a material was made is recorded as "made by ...".
SAID_AS = {w: "made" for w in ("prepared", "prepare", "preparation", "synthesized", "synthesised", "synthesize",
                               "synthesise", "fabricated", "fabrication", "fabricate", "produced", "obtained")}
SAID_AS.update({w: ("fig", "figure", "panel") for w in ("figure", "figures", "panel", "panels", "scheme", "schematic")})
SAID_AS.update({w: ("summary", "summarized", "summarised", "overview") for w in (
    "summary", "summarizing", "summarising", "summarize", "summarise", "summarizes", "summarises", "overview")})
SAID_AS.update({w: ("prospects", "prospect", "outlook", "perspective", "perspectives") for w in (
    "prospects", "prospect", "outlook", "perspective", "perspectives")})
SAID_AS.update({w: ("chosen", "chose", "selected", "choice") for w in (
    "pick", "picked", "picking", "choose", "chose", "chosen", "select", "selected", "selection")})
SAID_AS.update({w: ("advantages", "benefit", "promise", "favourable", "favorable") for w in (
    "advantage", "advantages", "benefit", "benefits", "merit", "merits", "strengths", "pros")})
SAID_AS.update({w: ("drawbacks", "disadvantages", "limit", "limitation", "costly") for w in (
    "drawback", "drawbacks", "disadvantage", "disadvantages", "downside", "downsides", "shortcoming", "shortcomings",
    "cons", "weakness", "weaknesses")})
_PROPER = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")
_ACRONYM = re.compile(r"[A-Z]{3,7}s?")
_TYPO_MIN = 5  # shorter words are not corrected
_YEAR = re.compile(r"(?:19|20)\d\d")  # the one kind of number a fact's words can match: a paper's year

CLOSEST = Template(
    name="closest_facts", text=FactIndex.SQL, title="The closest recorded facts",
    summary="Recorded facts holding most of the question's words, best first, each with its citation.",
    columns=("fact", "kind", "about", "reference", "where"), table=("fact", "reference", "where"))
DEFINITIONS = Template(
    name="definitions", text=FactIndex.ABOUT,
    title="Definitions of the vocabulary", summary="The SAC-KG vocabulary's definition of each term named.",
    columns=("term", "definition", "source"), table=("term", "definition", "source"))
VOCABULARY = "SAC-KG vocabulary (the curator's definition)"


def definition(kb, reading, question: str):
    """The answer to "what is X" when X is a term of the vocabulary with a definition, else None."""
    from kg.ask import Answer

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


def mention_term(reader, mention):
    """How the facts may write a thing the question names: its label, as written, or any synonym ("ALD")."""
    label, written = mention.entities[0].label, mention.text.strip(" ?.,;:!")
    names = {n for n in reader.names.written(mention.entities[0].iri.value) if len(n) >= 3} - {label, written}
    alternatives = (label, *([written] if written.lower() != label.lower() else []), *sorted(names)[:8])
    return alternatives if len(alternatives) > 1 else label


def terms(kb, reader, reading, question: str) -> tuple[dict[str, float], list[tuple[str, str]], set[str]]:
    """The question's words to look for (term -> weight), the misspelt words read as words of the facts,
    and the terms a fact must hold. A thing the question names is looked for by its label, as a phrase,
    and weighs double; so does a name-like word that names nothing known, which a fact must then hold
    unless the question also names a system or material."""
    from kg.ask import _EDGE, FIGURE_CITED, FUNCTION_WORDS, KINDS

    index = FactIndex.of(kb)
    found, corrections, named = {}, [], set()
    mentions = [*reading.mentions, *reading.baselines] if reading is not None else []
    for mention in mentions:
        named.update(w.lower() for w in _WORD.findall(mention.text))
        found[mention_term(reader, mention)] = 2.0
    required = set()
    material = any(e.classes & KINDS["material"] for m in mentions for e in m.entities)
    for proper in _PROPER.findall(question):  # "Jian Wang", "Helmholtz Institute": one name, if the facts write it
        if index.rows_with(proper) and not named & {w.lower() for w in proper.split()}:
            named.update(w.lower() for w in proper.split())
            found[proper] = 2.0
    for word in (reading.unread if reading is not None else ()):  # a name that names nothing known
        named.update(w.lower() for w in _WORD.findall(word))
        spelt = index.spelt_out(word) if _ACRONYM.fullmatch(word) and not index.rows_with(word) else []
        term = (word, *spelt) if spelt else word  # "NSFC": National Natural Science Foundation of China
        found[term] = 2.0
        if spelt:
            corrections.append((word, " or ".join(spelt)))
        if not material:  # what the question is about: a fact must name it too
            required.add(term)
    for word, written in (reading.figures if reading is not None else ()):  # "in Fig. 7C": that figure's facts
        found[(word, written)] = 2.0
        required.add((word, written))
    prose = FIGURE_CITED.sub(" ", question)
    prose = " ".join(t for t in prose.split() if unit_key(t.strip(_EDGE)) not in reader.units)  # no units
    for word in (w.lower() for w in _WORD.findall(prose)):
        if word in FUNCTION_WORDS or word in FORM_WORDS or word in named or len(word) < 2 or (
                word.isdigit() and not _YEAR.fullmatch(word)):
            continue
        word = SAID_AS.get(word, word)
        if isinstance(word, tuple):  # "picked": the facts say "chosen"
            found.setdefault(word, 1.0)
            continue
        if not index.rows_with(word) and word.isalpha() and len(word) >= _TYPO_MIN and not english_word(word):
            near = index.closest_word(word)
            if near is None and (spelt := english_spelling(word)) and index.rows_with(spelt):
                near = spelt  # "ackowledged": acknowledged, which the facts hold as "acknowledgements"
            if near is not None and near not in FUNCTION_WORDS:  # "intro" is not "into"
                corrections.append((word, near))
                word = near
        found.setdefault(word, 1.0)
    return found, corrections, required


def closest(kb, reader, reading, question: str, why: str = "", hold=((), 0), only=None, need=(), floor=GOOD):
    """The closest recorded facts as an answer, or None when no fact holds enough of the question (or,
    given `hold` = (words, n), fewer than n of those words). `only`: (terms with their weights, the terms
    every fact shown holds) to look for in place of the question's words; `need`: terms of the question
    every fact shown holds."""
    from kg.ask import Answer

    asked, corrections, required = terms(kb, reader, reading, question) if only is None else (dict(only[0]), [],
                                                                                            set(only[1]))
    for term in need:
        asked.setdefault(term, 2.0)
        required.add(term)
    hold = ([_said(dict(corrections).get(w.lower(), w.lower())) for w in hold[0]], hold[1])  # as corrected, as said
    match, hits = FactIndex.of(kb).search(asked, limit=LIMIT * 4)
    least = min(2, len(asked))  # a fact must hold two of the words of a longer question
    if reading is not None and reading.figures:  # the figure named is most of the question
        least, floor = 1, GOOD / 2
    good = [h for h in hits if h.score >= floor and _count(h.matched) >= least and required <= set(h.matched)
            and sum(1 for said in hold[0] if set(said) & _words_of(h.matched)) >= hold[1]]
    if not good:
        return None
    best = good[0].score
    shown = [h for i, h in enumerate(good) if i < ALWAYS or h.score >= best - 0.2 - 1e-9][:LIMIT]
    captions = {written for _, written in (reading.figures if reading is not None else ())}
    shown = [h for h in good if h.about in captions][:len(captions)] + [h for h in shown if h.about not in captions]
    anchor = next((h for h in shown if h.kind in EXPERIMENT), None)  # the best match from one experiment
    if anchor is not None and (about_one_experiment(question) or TWO_ASKS.search(question) or len(shown) < ALWAYS):
        seen = {h.fact for h in shown}  # "why ...", "... and what did it see?": the rest of that experiment
        shown += [h for h in FactIndex.of(kb).same_experiment(anchor) if h.fact not in seen][:max(0, LIMIT - len(shown))]
    rows = [{"fact": h.sentence, "kind": h.kind, "about": h.about, "reference": h.reference or None,
             "where": " ".join(p for p in (f"§{h.section}" if h.section else "", h.figures.replace("; ", ", ")) if p)
             or None} for h in shown]
    held = {t for h in shown for t in h.matched}
    notes = [f"Read '{m.text}' as '{m.typo_of}'." for m in (reading.mentions if reading is not None else ()) if m.typo_of]
    notes += [f"Read '{w}' as '{n}'." for w, n in corrections]
    if why:
        notes.append(why)
    notes.append("These are the recorded facts closest to the question, each with its source; "
                 "no answer was worked out from them.")
    missing = [t for t in asked if t not in held]
    what = noun_asked(question)
    if what in asked and what in missing and english_word(what) and not FactIndex.of(kb).rows_with(what):
        notes.insert(0, f"None reported: no recorded fact mentions '{what}'.")  # "which garnet electrolyte ...?"
    apart = _named_apart(reader, reading, question, shown) if YES_NO.match(question) and only is None else None
    if apart:  # "is there a K study with single Fe or Ni atoms?": no fact names them together
        notes.insert(0, f"None reported as asked: no recorded fact names {apart} together.")
    told = _unstated_of_system(reading, shown)
    if told:  # "what current density was used for the -40 °C Zn-HC test?": none of its facts states one
        notes.insert(0, f"None reported for the {' or '.join(told[1])} of {told[0]}: no fact below about it states it.")
    elif missing:
        notes.append("Not in these facts: " + ", ".join(f"'{t[-1] if isinstance(t, tuple) else t}'" for t in missing)
                     + ".")
        if YES_NO.match(question) and not apart:  # "do any ... use solid-state electrolytes?": not as asked
            notes.insert(0, "None reported as asked: no recorded fact holds all of the question.")
        else:  # "what Coulombic efficiency did X reach?": the value asked for is in none of them
            kinds = (f"{SAC}QuantityKind", f"{SAC}ConditionKind")
            asked_for = {e.label for m in (reading.mentions if reading is not None else ()) for e in m.entities[:1]
                         if any(k in e.classes for k in kinds)}
            unstated = [label for label in (t[0] if isinstance(t, tuple) else t for t in missing) if label in asked_for]
            if unstated:
                notes.insert(0, f"None reported for the {' or '.join(unstated)}: no fact below states it.")
    return Answer(question, CLOSEST, {"match": match}, {}, list(CLOSEST.columns), rows, " ".join(notes),
                  language="sql", query=f"-- match: {match}\n{FactIndex.SQL}")


def _named_apart(reader, reading, question: str, shown) -> str | None:
    """The things a yes/no question names (those joined by "or" as one) when no shown fact names them all
    together, as a phrase for the note; else None."""
    mentions = [m for m in (reading.mentions if reading is not None else ()) if m.text.lower() not in FILLER]
    if len(mentions) < 2:
        return None
    groups: list[list] = []
    for i, mention in enumerate(mentions):
        between = question[reading.tokens[mentions[i - 1].last - 1].end:reading.tokens[mention.first].start] if i else ""
        if i and re.fullmatch(r"\s*(?:,|/|\bor\b|\band/or\b)\s*", between, re.IGNORECASE):
            groups[-1].append(mention)  # "Fe or Ni": either
        else:
            groups.append([mention])
    terms = [{mention_term(reader, m) for m in group} for group in groups]
    if any(all(group & set(h.matched) for group in terms) for h in shown):
        return None
    return " and ".join(" or ".join(f"'{m.text}'" for m in group) for group in groups)


def _unstated_of_system(reading, shown) -> tuple[str, list[str]] | None:
    """The one system the question names and the quantities and test conditions it asks of it that none of
    the shown facts about that system holds, when some of them are about it; else None."""
    from kg.ask import KINDS

    if reading is None:
        return None
    systems = {e.label for m in reading.mentions for e in m.entities[:1] if e.classes & KINDS["system"]}
    kinds = (f"{SAC}QuantityKind", f"{SAC}ConditionKind")
    asked_for = [m.entities[0].label for m in reading.mentions if any(k in m.entities[0].classes for k in kinds)]
    if len(systems) != 1 or not asked_for:
        return None
    theirs = [h for h in shown if h.about in systems]
    held = {t[0] if isinstance(t, tuple) else t for h in theirs for t in h.matched}
    unstated = [label for label in asked_for if label not in held]
    return (next(iter(systems)), unstated) if theirs and unstated else None


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
    held = [w for w in left if any(index.rows_with(s) for s in _said(w))]  # else the facts say it otherwise
    found = (len(held) > 1 and closest(kb, reader, answer.reading, question, hold=(held, 2), floor=LOOSE)
             or held and closest(kb, reader, answer.reading, question, hold=(held, 1))
             or closest(kb, reader, answer.reading, question))
    if found is None:
        return []
    systems = {str(r.get(c)) for r in answer.rows for c in ("systemName", "system") if r.get(c)}
    others = index.systems() - systems if systems else set()  # no fact about a system the rows do not show
    return [r for r in found.rows if r["about"] not in others][:RELATED]


def _said(word: str) -> tuple:
    """How the facts may say a question's word: "picked" as "chosen", "chose", ..."""
    said = SAID_AS.get(word.lower(), word.lower())
    return said if isinstance(said, tuple) else (said,)


COMPUTED = ("count", "compare", "rank", "best", "overview")  # forms whose answer facts cannot give
_HOW_MANY = re.compile(r"\bhow\s+many\b|\bcount\b|\bnumber\s+of\b", re.IGNORECASE)


def holding(kb, reader, reading, question: str, choice, refusal):
    """In place of a refusal: the closest recorded facts when each of them holds every part of the question
    the best reading cannot apply (a named thing, or a test condition as written), so that none is dropped;
    not for a bound or a ranking, which facts do not apply, unless the question asks why. Else None."""
    from kg.compose import unused_mentions

    if (reading.threshold is not None and reading.threshold.above is not None or reading.more_numbers
            or reading.direction and not re.search(r"\bwhy\b", question, re.IGNORECASE)
            or choice.template.name.startswith(COMPUTED) or _HOW_MANY.search(question) or YES_NO.match(question)):
        return None  # facts count, rank and compare nothing, nor say yes or no
    parts = getattr(refusal, "message", str(refusal)).split(": SAC-KG reads", 1)[0]
    need = [mention_term(reader, m) for i, m in enumerate(reading.mentions)
            if i in unused_mentions(choice, reading) or f"'{m.text}' (" in parts]
    need += [(c.text, f"{c.value.normalize():f} {c.unit_symbol}") if c.unit_symbol else c.text  # as written or as stored
             for c in (*reading.conditions, *([reading.threshold] if reading.threshold else ()))]
    if not need:
        return None
    found = closest(kb, reader, reading, question, need=need)
    numbers = [re.compile(rf"(?<![\d.,]){re.escape(f'{c.value.normalize():f}')}(?![\d.,])")
               for c in (*reading.conditions, *([reading.threshold] if reading.threshold else ()))]
    if found is not None:  # "5 mA cm-2" is no part of "0.5 mA cm-2", which the index's words would let through
        found.rows = [r for r in found.rows if all(n.search(r["fact"]) for n in numbers)]
    if found is None or not found.rows:
        return None
    held = "them" if len(need) > 1 else "it"
    found.note = f"No question form applies {parts.removeprefix('cannot apply ')}; every fact below holds {held}. {found.note}"
    return found


def _count(matched: list) -> int:
    """How many of the question's words a fact holds: a person's name ("Hongzhen Lin") counts for two."""
    return len(matched) + sum(1 for t in matched if isinstance(t, str) and _PROPER.fullmatch(t))


def _words_of(matched: list) -> set[str]:
    """The words of the terms a fact holds, a phrase ("Hongzhen Lin") holding each of its words."""
    return {w.lower() for term in matched for text in (term if isinstance(term, tuple) else (term,))
            for w in _WORD.findall(text)}


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
    import periodictable

    symbols = {e.symbol: e for e in periodictable.elements if e.number}
    names = {e.name: e for e in periodictable.elements if e.number}
    words = [w for w in re.split(r"\s*(?:,|/|\bor\b|\band\b)\s*", match.group("named")) if w]
    elements = [symbols.get(w) or names.get(w.lower()) for w in words]
    if not all(elements) or {e.symbol for e in elements} & COVERED:
        return None
    told = ", ".join(e.symbol for e in elements)
    why = (f"None reported: SAC-KG records single-atom catalysts for Li, Na and K metal anodes only; "
           f"the review reports none for {told} metal anodes.")
    return closest(kb, reader, reading, question, why=why,  # by name: a symbol also names centre metals
                   only=({e.name: 2.0 for e in elements}, ())) or none_found(question, why)


# A question with two asks: "which Na study used in situ TEM and what did it see?", "... test: which
# temperature and how many cycles?", "Does Zn-HC change the SEI? By how much does NaF increase?"
_ASK = r"(?:what|which|how|where|why|when|who)\b"
TWO_ASKS = re.compile(rf"(?:\?\s*|\b(?:and|but)\s+)(?:by\s+|in\s+|at\s+|with\s+)?(?:{_ASK}|(?:is|are|was|were|does"
                      rf"|do|did|has|have)\b)(?=\s*\S+\s+\S+)", re.IGNORECASE)  # two words more: not "? which mechanisms"


_BACK = re.compile(r"\b(?:what|which|who)\s+(?:are|were|is|was)\s+(?:they|them|those|these|it)\b", re.IGNORECASE)


def asks_twice(question: str, reading) -> bool:
    """Whether a question asks two things that no one computed answer holds; not when the second ask
    points back at the first ("how many ..., and what are they?") or a number or ranking is asked, which
    only a computed answer applies."""
    if (reading.threshold is not None or reading.conditions or reading.direction or _BACK.search(question)
            or YES_NO.match(question)):  # "is there a ...? what's its substrate?": the systems found show it
        return False
    return bool(TWO_ASKS.search(question.strip().rstrip("?.! ")))


def about_one_experiment(question: str) -> bool:
    return bool(DETAIL.search(question))


# Words that say where a fact is told, not what it is: never a reason to look beyond a reading.
FILLER = {"review", "reviews", "paper", "papers", "study", "studies", "work", "according", "reported", "report",
          "reports", "described", "discussed", "mentioned", "given", "listed", "literature", "discuss", "discusses",
          "describe", "describes", "mention", "mentions"}


def left_unread(reader, template, reading) -> list[str]:
    """The question's words that no template cues on and that name nothing: what a reading by `template`
    leaves unread."""
    from kg.ask import _EDGE, DOMAIN_WORDS, FUNCTION_WORDS, OPERATOR_WORDS

    known = FUNCTION_WORDS | DOMAIN_WORDS | OPERATOR_WORDS | FILLER | reader.cue_words | set(template.cues)
    named = {w.lower() for m in reading.mentions for w in _WORD.findall(m.text)}
    found = []
    for word in reading.words:
        word = word.strip(_EDGE)
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
    if found is None and (asks_twice(question, reading) or WHY.match(question) or about_one_experiment(question)
                          and not reader.complete(choices[0], reading)):
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
                   and not any(index.rows_with(said) for said in _said(w)) and index.closest_word(w.lower()) is None]
        return none_found(question, "No: none reported as asked; no recorded fact mentions "
                          + ", ".join(f"'{w}'" for w in unheard) + ".") if unheard else None
    if not left:
        return None
    return closest(kb, reader, reading, question, hold=(left, len(left))) or none_found(
        question, "No: none reported as asked; no recorded fact holds " + ", ".join(f"'{w}'" for w in left) + ".")


_EITHER = re.compile(r"\bor\s+[^\W\d_][\w-]*\s*[?.!]*\s*$", re.IGNORECASE)  # "... bowl-like or spherical?"
_COMPOUND = re.compile(r"[^\W\d_]{2,}(?:-[^\W\d_]{2,})+")


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


def none_found(question: str, note: str):
    """An answer from the fact index with no fact in it, and `note` saying why."""
    from kg.ask import Answer

    return Answer(question, CLOSEST, {"match": ""}, {}, list(CLOSEST.columns), [], note, language="sql",
                  query=FactIndex.SQL)


# What a question asks for, when its first words say it: "morphology of ...", "what kind of SEI ..."
_ASKED = re.compile(r"^\s*(?:(?:what|which)\s+(?:(?:kind|type|sort)s?\s+of\s+)?(?P<noun>[^\W\d_]+)"
                    r"|who\s+(?P<verb>[^\W\d_]+)|(?P<head>[^\W\d_]+)\s+of\b)", re.IGNORECASE)


def noun_asked(question: str) -> str | None:
    """The noun after "what"/"which" that a question begins with, when a function word follows it ("which
    garnet or ...", "what price per ..."), not an adjective before its noun ("what reversible capacity")."""
    match = _ASKED.match(question)
    if not match or not match.group("noun"):
        return None
    following = _WORD.findall(question[match.end():])[:1]
    return match.group("noun").lower() if not following or following[0].lower() in _NOUN_ENDS else None


_NOUN_ENDS = set("or and nor was were is are did does do has have had of in on for to with per at by from "
                 "could can would should will might".split())


def thing_asked(question: str) -> str | None:
    """What a question asks for, when its first words say it: the noun after "what"/"which", the verb after
    "who" ("who funded ..."), or the head of "X of ..."."""
    match = _ASKED.match(question)
    return next(g for g in match.group("noun", "verb", "head") if g).lower() if match else None
