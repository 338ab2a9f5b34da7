"""The closest recorded facts to a question (kg.engine.facts), as an answer with its citations.

A question's words become weighted search terms (a thing it names is looked for by its label and
synonyms, as a phrase, and counts double); the facts holding most of them are the answer, under a note
saying they are the closest facts and not a computed answer, and saying what none of them states. When
`ask` turns here is decided in kg.ask.fallback.
"""

from __future__ import annotations

import re

from kg.ask.notes import YES_NO
from kg.engine.facts import FactIndex
from kg.engine.names import SAC
from kg.engine.templates import Template
from kg.model.text import english_spelling, english_word, unit_key

# Words that shape a question without saying which fact it is about.
FORM_WORDS = set("""
show shows showed shown reveal revealed reveals observe observed observation observations see seen
happen happened happens happening according review reviews reported report reports describe described
tell explain explains give gives given find found discuss discussed discussion mention mentioned
say says said study studies studied work works paper papers kind type sort role function purpose reason why
called named hold holds held nickname nicknamed dubbed termed
introduction intro section sections conclusion conclusions
any isn aren wasn weren doesn don didn hasn haven won wouldn couldn shouldn
""".split())
# A question about one experiment: what was seen, what happened, why, the role of a part, how it was made.
DETAIL = re.compile(
    r"^\s*(?:[^,?]{1,80},\s*)?why\b|\bwhat\s+(?:did|does|do|was|were|is|are)\b.*\b(?:show|reveal|observe|see|indicate|find|suggest)"
    r"|\bwhat\s+happen|\b(?:role|function|purpose)\s+of\b|\breason\b|\bhow\s+(?:was|were|is|are)\b.*\b(?:made|"
    r"prepared|synthesi[sz]ed|fabricated|obtained|formed|grown|produced)\b|\bhow\s+(?:did|does|do|can|could)\b.*\b(?:"
    r"change|grow|evolve|behave|form|work|differ|lower|reduce|improve|help|enable|promote|suppress|affect|regulate|"
    r"guide|stabili[sz]e|prevent|accelerate|facilitate|achieve)\b|\bwhere\s+(?:does|do|did)\b|\b(?:observed|seen|"
    r"visible)\b|^\s*what\s+(?:mechanism|makes|lets|allows|enables|causes)\b"
    r"|\bconsequences?\s+of\b|\bwhat\s+(?:is|was|are|were)\s+the\s+(?:effect|impact|result|outcome)s?\s+of\b",
    re.IGNORECASE)
GOOD = 0.5  # share of the question's weighted words a fact must hold to be shown
LIMIT = 8   # facts shown at most
ALWAYS = 5  # facts shown when they hold enough, however far below the best
EXPERIMENT = ("value", "claim", "finding")  # facts of one experiment, shown together for "why ..." questions
WORD = re.compile(r"[^\W_]+")
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
SAID_AS.update({w: ("to raise", "to improve", "to enhance", "to boost", "to increase", "to lower", "to reduce",
                     "to suppress", "to stabilise", "to stabilize", "so as to", "in order to", "aim", "goal", "purpose")
                for w in ("aim", "aims", "aimed", "goal", "goals", "intended", "intent", "motivation", "rationale",
                          "designing", "objective", "objectives")})
_ROLE = re.compile(r"\b(?:role|function|purpose|job|aim|goal|point)\s+of\b|\bwhat\s+(?:is|was|are|were)\s+\S+(?:\s+\S+)?\s+"
                   r"(?:for|used\s+for|meant\s+to\s+do)\b|\bwhat\s+(?:does|did|do)\s+.+\s+do\s+(?:in|for|on)\b", re.IGNORECASE)
_PER = re.compile(r"\b(?:per|according\s+to|in|from|by|does|did|do|has|have|can|will|would)\s+(?:the\s+|this\s+)?$", re.IGNORECASE)
_SECTION = re.compile(r"\b(?P<intro>introduction|intro)\b|\bsection\s+(?P<number>\d(?:\.\d)?)\b|\b(?P<beyond>(?:K|Na|potassium|"
                      r"sodium|Na\s+and\s+K|K\s+and\s+Na)\s+section|beyond\s+lithium)\b|\b(?P<end>conclusions?)\b", re.IGNORECASE)


def section_named(question: str) -> str | None:
    """The review section a question points to ("according to the introduction": 1), or None."""
    match = _SECTION.search(question)
    if match is None:
        return None
    return "1" if match["intro"] else match["number"] or ("4" if match["beyond"] else "6")


_PROPER = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")
_ACRONYM = re.compile(r"[A-Z]{3,7}s?")
_TYPO_MIN = 5  # shorter words are not corrected
_YEAR = re.compile(r"(?:19|20)\d\d")  # the one kind of number a fact's words can match: a paper's year

CLOSEST = Template(
    name="closest_facts", text=FactIndex.SQL, title="The closest recorded facts",
    summary="Recorded facts holding most of the question's words, best first, each with its citation.",
    columns=("fact", "kind", "about", "reference", "where"), table=("fact", "reference", "where"))


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
    from kg.ask.words import EDGE, FIGURE_CITED, FUNCTION_WORDS, KINDS

    index = FactIndex.of(kb)
    found, corrections, named = {}, [], set()
    mentions = [*reading.mentions, *reading.baselines] if reading is not None else []
    for mention in mentions:
        named.update(w.lower() for w in WORD.findall(mention.text))
        if all(f"{SAC}Review" in e.classes for e in mention.entities) and reading is not None and _PER.search(
                question[:reading.tokens[mention.first].start]):
            continue  # "per the review": every fact is from it
        found[mention_term(reader, mention)] = 2.0
    required = set()
    material = any(e.classes & KINDS["material"] for m in mentions for e in m.entities)
    for proper in _PROPER.findall(question):  # "Jian Wang", "Helmholtz Institute": one name, if the facts write it
        if index.rows_with(proper) and not named & {w.lower() for w in proper.split()}:
            named.update(w.lower() for w in proper.split())
            found[proper] = 2.0
    for word in (reading.unread if reading is not None else ()):  # a name that names nothing known
        named.update(w.lower() for w in WORD.findall(word))
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
    prose = " ".join(t for t in prose.split() if unit_key(t.strip(EDGE)) not in reader.units)  # no units
    for word in (w.lower() for w in WORD.findall(prose)):
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


def closest(kb, reader, reading, question: str, why: str = "", hold=((), 0), only=None, need=(), floor=GOOD,
            sources=()):
    """The closest recorded facts as an answer, or None when no fact holds enough of the question (or,
    given `hold` = (words, n), fewer than n of those words). `only`: (terms with their weights, the terms
    every fact shown holds) to look for in place of the question's words; `need`: terms of the question
    every fact shown holds; `sources`: references (labels) every fact shown is from ("in ref 70")."""
    from kg.ask.words import Answer

    asked, corrections, required = terms(kb, reader, reading, question) if only is None else (dict(only[0]), [],
                                                                                            set(only[1]))
    for term in need:
        asked.setdefault(term, 2.0)
        required.add(term)
    hold = ([said_as(dict(corrections).get(w.lower(), w.lower())) for w in hold[0]], hold[1])  # as corrected, as said
    match, hits = FactIndex.of(kb).search(asked, limit=LIMIT * 4)
    least = min(2, len(asked))  # a fact must hold two of the words of a longer question
    if reading is not None and reading.figures:  # the figure named is most of the question
        least, floor = 1, GOOD / 2
    good = [h for h in hits if h.score >= floor and _count(h.matched) >= least and required <= set(h.matched)
            and sum(1 for said in hold[0] if set(said) & _words_of(h.matched)) >= hold[1]
            and all(paper in h.reference for paper in sources)]
    section = section_named(question)
    if section:  # "according to the introduction", "in the K section": that section's facts first
        good = [h for h in good if h.section and (h.section == section or h.section.startswith(section + "."))] or good
    if not good:
        return None
    best = good[0].score
    shown = [h for i, h in enumerate(good) if i < ALWAYS or h.score >= best - 0.2 - 1e-9][:LIMIT]
    captions = {written for _, written in (reading.figures if reading is not None else ())}
    shown = [h for h in good if h.about in captions][:len(captions)] + [h for h in shown if h.about not in captions]
    if reading is not None and _ROLE.search(question):  # "the function of ZnSA-HCNT": what the system is for
        seen = {h.fact for h in shown}
        systems = [e.label for m in reading.mentions for e in m.entities[:1] if f"{SAC}SACSystem" in e.classes]
        shown += [h for label in systems for h in FactIndex.of(kb).description(label) if h.fact not in seen]
    anchor = next((h for h in shown if h.kind in EXPERIMENT), None)  # the best match from one experiment
    if anchor is not None and (about_one_experiment(question) or TWO_ASKS.search(question) or len(shown) < ALWAYS):
        seen = {h.fact for h in shown}  # "why ...", "... and what did it see?": the rest of that experiment
        shown += [h for h in FactIndex.of(kb).same_experiment(anchor) if h.fact not in seen][:max(0, LIMIT - len(shown))]
    rows = [{"fact": h.sentence, "kind": h.kind, "about": h.about, "reference": h.reference or None,
             "where": " ".join(p for p in (f"§{h.section}" if h.section else "", h.figures.replace("; ", ", ")) if p)
             or None} for h in shown]
    held = {t for h in shown for t in h.matched} | {t for t in asked if isinstance(t, tuple) and t[0] in sources}
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
    from kg.ask.words import KINDS

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


def said_as(word: str) -> tuple:
    """How the facts may say a question's word: "picked" as "chosen", "chose", ..."""
    said = SAID_AS.get(word.lower(), word.lower())
    return said if isinstance(said, tuple) else (said,)


def _count(matched: list) -> int:
    """How many of the question's words a fact holds: a person's name ("Hongzhen Lin") counts for two."""
    return len(matched) + sum(1 for t in matched if isinstance(t, str) and _PROPER.fullmatch(t))


def _words_of(matched: list) -> set[str]:
    """The words of the terms a fact holds, a phrase ("Hongzhen Lin") holding each of its words."""
    return {w.lower() for term in matched for text in (term if isinstance(term, tuple) else (term,))
            for w in WORD.findall(text)}


# A question with two asks: "which Na study used in situ TEM and what did it see?", "... test: which
# temperature and how many cycles?", "Does Zn-HC change the SEI? By how much does NaF increase?"
_ASK = r"(?:what|which|how|where|why|when|who)\b"
TWO_ASKS = re.compile(rf"(?:\?\s*|\b(?:and|but)\s+)(?:by\s+|in\s+|at\s+|with\s+)?(?:{_ASK}|(?:is|are|was|were|does"
                      rf"|do|did|has|have)\b)(?=\s*\S+\s+\S+)", re.IGNORECASE)  # two words more: not "? which mechanisms"


def about_one_experiment(question: str) -> bool:
    return bool(DETAIL.search(question))


# Words that say where a fact is told, not what it is: never a reason to look beyond a reading.
FILLER = {"review", "reviews", "paper", "papers", "study", "studies", "work", "according", "reported", "report",
          "reports", "described", "discussed", "mentioned", "given", "listed", "literature", "discuss", "discusses",
          "describe", "describes", "mention", "mentions"}


def none_found(question: str, note: str):
    """An answer from the fact index with no fact in it, and `note` saying why."""
    from kg.ask.words import Answer

    return Answer(question, CLOSEST, {"match": ""}, {}, list(CLOSEST.columns), [], note, language="sql",
                  query=FactIndex.SQL)


# What a question asks for, when its first words say it: "morphology of ...", "what kind of SEI ..."
ASKED = re.compile(r"^\s*(?:(?:what|which)\s+(?:(?:kind|type|sort)s?\s+of\s+)?(?P<noun>[^\W\d_]+)"
                    r"|who\s+(?P<verb>[^\W\d_]+)|(?P<head>[^\W\d_]+)\s+of\b)", re.IGNORECASE)


def noun_asked(question: str) -> str | None:
    """The noun after "what"/"which" that a question begins with, when a function word follows it ("which
    garnet or ...", "what price per ..."), not an adjective before its noun ("what reversible capacity")."""
    match = ASKED.match(question)
    if not match or not match.group("noun"):
        return None
    following = WORD.findall(question[match.end():])[:1]
    return match.group("noun").lower() if not following or following[0].lower() in _NOUN_ENDS else None


_NOUN_ENDS = set("or and nor was were is are did does do has have had of in on for to with per at by from "
                 "could can would should will might".split())
