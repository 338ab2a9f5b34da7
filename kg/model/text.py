"""Normalising names so that `ZnSA-N-C`, `Zn_SA-N-C` and `Zn SA-N-C` are one key."""

from __future__ import annotations

import functools
import re
import unicodedata

_DROP = re.compile(r"[\s\-_‐‑‒–—―−·]+")


# British spellings in names, read as the American ones the review mostly uses
_SPELLING = re.compile(r"fibre|sulphur|aluminium|caesium|vapour|colour|characteris|polymeris|anodis|ionis")
_AMERICAN = {"fibre": "fiber", "sulphur": "sulfur", "aluminium": "aluminum", "caesium": "cesium", "vapour": "vapor",
             "colour": "color", "characteris": "characteriz", "polymeris": "polymeriz", "anodis": "anodiz",
             "ionis": "ioniz"}


def name_key(text: str) -> str:
    """Case-, width-, sub/superscript-, dash-, space- and British/American-spelling-insensitive key of a name."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _DROP.sub("", _SPELLING.sub(lambda m: _AMERICAN[m.group(0)], folded))


_UNIT_SPELLINGS = (
    (re.compile(r"[·*×]"), " "),                                   # mA·cm⁻², mA*cm-2
    (re.compile(r"(?<![A-Za-z])[uµ](?=[AVW]|g\b|m\b)"), "μ"),       # uAh, µA -> μA
    (re.compile(r"(?<=[mμkKM]A)h|(?<=\bA)h|(?<=[mkM]W)h|(?<=\bW)h"), " h"),  # mAh -> mA h, Wh -> W h
    (re.compile(r"\s*/\s*([A-Za-z]+)\s*\^?\s*([2-3²³])"), lambda m: f" {m.group(1)}-{'2' if m.group(2) in '2²' else '3'}"),
    (re.compile(r"\s*/\s*([A-Za-z]+)"), r" \1-1"),                 # /g -> g-1, /mol -> mol-1
    (re.compile(r"\^\s*-?\s*"), "-"),                              # cm^-2 -> cm-2
    (re.compile(r"\b(hours?|hrs?)\b", re.I), "h"),
    (re.compile(r"\b(minutes?|mins?)\b", re.I), "min"),
    (re.compile(r"\bdeg(?:rees?)?\s*C\b"), "°C"),
)


def unit_key(text: str) -> str:
    """The name key of a unit however it is spelt: mAh/cm2, mA·cm⁻², uAh/cm2, mAh/g, kJ/mol, Wh/kg, hours."""
    text = unicodedata.normalize("NFKC", str(text)).replace("⁻", "-")
    for pattern, replacement in _UNIT_SPELLINGS:
        text = pattern.sub(replacement, text)
    return name_key(text)


def closest(query: str, choices: dict[str, str], limit: int = 3, floor: float = 60, spread: float = 12,
            plain: bool = False) -> list[str]:
    """Labels of the choices (name_key -> label) nearest to `query`: at most `limit`, all within
    `spread` points of the best match and above `floor` (rapidfuzz WRatio, or plain Levenshtein
    similarity for short codes such as reference keys, 0-100)."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import Levenshtein

    key = name_key(query)
    if len(key) <= 3:  # a partial match inside a long name means nothing for a symbol such as "Rb"
        plain, floor = True, min(floor, 50)
    scorer = (lambda a, b, **_: 100 * Levenshtein.normalized_similarity(a, b)) if plain else fuzz.WRatio
    found = process.extract(key, list(choices), scorer=scorer, limit=None, score_cutoff=floor)
    found.sort(key=lambda match: (-match[1], choices[match[0]]))
    if not found:
        return []
    best = found[0][1]
    labels: list[str] = []
    for key, score, _ in found:
        label = choices[key]
        if score >= best - spread and label not in labels:
            labels.append(label)
    return labels[:limit]


def _joined(labels: list[str]) -> str:
    quoted = [f"'{label}'" for label in labels]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def did_you_mean(labels: list[str]) -> str:
    return f"; did you mean {_joined(labels)}?" if labels else ""


def suggestion(query: str, choices: dict[str, str], small: int = 8) -> str:
    """'; did you mean ...?' for the nearest choices, or the whole list when it is short. Among a short
    list only a near spelling counts as near ('guessed' is not 'set')."""
    every = sorted(set(choices.values()))
    short = 0 < len(every) <= small
    labels = closest(query, choices, plain=True, floor=70) if short else closest(query, choices)
    if labels:
        return did_you_mean(labels)
    return f"; expected {_joined(every)}" if short else ""


_CITED_AS = re.compile(r"\s*\[ref\. (\d+)\]$")


def cited_as(citation: str) -> tuple[str, int | None]:
    """A reference's label split from the number the review cites it by (the ' [ref. N]' ending that
    kg.source.references writes): ('J. Wang et al., Nano Lett., 2021', 8), or (label, None)."""
    found = _CITED_AS.search(citation)
    return (citation[:found.start()], int(found.group(1))) if found else (citation, None)


def sorted_list(text: str | None, separator: str = "; ") -> str:
    """Engines concatenate group values in any order: sort them, so every back-end prints the same."""
    return separator.join(sorted(v for v in (text or "").split(separator) if v))


SHOWN_LIMIT = 80
# C0 and C1 controls, line and paragraph separators, bidirectional overrides, lone surrogates
_UNPRINTABLE = r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def escaped(text: str, keep: str = "") -> str:
    """Text with control, bidirectional-override and lone-surrogate characters written as escapes, except
    the characters in `keep`. The pattern is compiled only when a character may need it."""
    if text.isprintable():
        return text

    def escape(match) -> str:
        char = match.group(0)
        if char in keep:
            return char
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or f"\\u{ord(char):04x}"

    return re.sub(_UNPRINTABLE, escape, text)


def terminal_safe(text: str) -> str:
    """Text as printed in a table: nothing in it can move the cursor or reorder the line (tab and
    newline kept)."""
    return escaped(text, keep="\t\n")


def shown(text, limit: int = SHOWN_LIMIT, quote: bool = True) -> str:
    """Input echoed in a message: quoted, escaped and shortened to `limit` characters."""
    text = str(text)
    cut = escaped(text if len(text) <= limit else text[:limit - 1] + "…")
    return f"'{cut}'" if quote else cut


def skeleton(text: str) -> str:
    """`name_key(text)` with letters of other scripts that look like Latin ones (Greek Ν, Cyrillic С)
    replaced by those (Unicode confusables, via confusable_homoglyphs): two names with one skeleton look
    the same on screen."""
    from confusable_homoglyphs import categories, confusables

    out = []
    for char in unicodedata.normalize("NFKC", text):
        if char.isascii() or categories.alias(char) in ("LATIN", "COMMON"):
            out.append(char)
            continue
        found = confusables.is_confusable(char, preferred_aliases=["latin", "common"], greedy=True) or []
        latin = [h["c"] for f in found for h in f["homoglyphs"] if len(h["c"]) == 1 and h["c"].isascii()]
        out.append(latin[0] if latin else char)
    return name_key("".join(out))


@functools.cache
def _english():
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


COMMON = 3000  # pyspellchecker's count above which a word is everyday English ("say", "safe", "stem")


def common_word(word: str) -> bool:
    """Whether `word` is an everyday English word, too common to be meant as an abbreviation written in
    lower case ("say" is not SAY, the single Y atoms; "sem" may be SEM)."""
    return _english().word_frequency[word.lower()] >= COMMON


def english_spelling(word: str) -> str | None:
    """The English word nearest to a misspelt `word` (one edit away), if there is one."""
    found = _english().correction(word.lower())
    return found if found and found != word.lower() else None


def english_word(word: str) -> bool:
    """Whether `word` is an ordinary English word (pyspellchecker's dictionary, loaded on first use):
    a word spelt right is never read as a misspelling of something else."""
    return word.lower() in _english()


@functools.cache
def elements() -> dict:
    """The chemical elements by symbol (periodictable, loaded on first use: only a misspelt name or an
    anode of another element needs it)."""
    import periodictable

    return {e.symbol: e for e in periodictable.elements if e.number}


def elements_in(name: str) -> list[str]:
    """The two-letter element symbols a name is written with, in order ("SAZn@NG": Zn): a name that
    swaps one for another ("SAMn@NG") names another material, however close the spelling."""
    return [s for s in re.findall(r"[A-Z][a-z]", name) if s in elements()]
