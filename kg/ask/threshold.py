"""A number with its unit and comparison in a question: the threshold of a reading."""

from __future__ import annotations

import re

from kg.ask.words import (
    ABOVE,
    BELOW,
    BEST_WORDS,
    BETTER,
    BETWEEN,
    COUNTS,
    DOMAIN_WORDS,
    EDGE,
    FUNCTION_WORDS,
    HIGH_WORDS,
    INCLUSIVE_AFTER,
    INCLUSIVE_BEFORE,
    LOW_WORDS,
    NEGATED,
    NUMBER,
    RANGE_END,
    STRONGER,
    WORST_WORDS,
    QuestionError,
    Threshold,
    count_word,
)
from kg.model.numbers import parse_decimal
from kg.model.text import shown, unit_key


class ThresholdReading:
    """The part of the reader (kg.ask.reader) that finds a threshold."""

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
            ranged = BETWEEN.search(before)
            if ranged and not sign:  # "between 1000 and 1600 h": at least the first, at most the second
                above, inclusive = ranged.group(1) is None, True
                if unit is None and ranged.group(1) is None:  # the first number takes the second's unit
                    ahead = RANGE_END.match(question[token.end:])
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
                relative = BETTER.search(before)
                if relative:  # "stronger than": below for an energy where lower is better, unless said otherwise
                    said = (relative.group(2) or "").lower()
                    above = False if re.search(r"more negative|lower|smaller", said) else True if re.search(
                        r"more positive|less negative|higher|larger", said) else (
                        "better" if relative.group(1) in STRONGER else "worse")
            after = k + 1 + used
            pair = tuple(t.text.lower().strip(EDGE) for t in tokens[after:after + 2])
            following = tokens[after + 2].text if after + 2 < len(tokens) else ""
            if pair in INCLUSIVE_AFTER and not any(taken[j] for j in range(after, after + 2)) and not (
                    above is not None and NUMBER.match(following)):  # "above 5 mV and below 20 mV": the next bound
                above, inclusive = INCLUSIVE_AFTER[pair], True
                taken[after] = taken[after + 1] = True
            for j in range(k, min(k + 1 + used, len(tokens))):
                taken[j] = True
            count = None
            if unit is None and not rest and k + 1 < len(tokens) and count_word(tokens[k + 1].text.lower().strip(EDGE)):
                count, used = COUNTS[count_word(tokens[k + 1].text.lower().strip(EDGE))], 1
                taken[k + 1] = True
            text = question[tokens[k].start:tokens[min(k + used, len(tokens) - 1)].end]
            unknown = None
            if unit is None and rest:
                unknown = rest
            elif unit is None and k + 1 < len(tokens) and not taken[k + 1]:
                word = tokens[k + 1].text.strip(EDGE)
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
