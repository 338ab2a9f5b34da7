"""Words of a question that are names misspelt: corrected when one name is near enough."""

from __future__ import annotations

import re

from kg.ask.words import EDGE, FUNCTION_WORDS, KINDS, Mention
from kg.model.text import elements_in, english_word, name_key


class TypoReading:
    """The part of the reader (kg.ask.reader) that corrects misspelt names."""

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
            word = tokens[k].text.lower().strip(EDGE)
            if len(word) >= 5 and word.isalpha():
                from rapidfuzz import process  # only for a word no name or cue spells: most questions have none
                from rapidfuzz.distance import Levenshtein

                if vocabulary is None:
                    vocabulary = [w for w in skip if len(w) >= 5 and w.isalpha()]
                allowed = 2 if len(word) >= 8 else 1
                near = process.extractOne(word, vocabulary, scorer=Levenshtein.distance, score_cutoff=allowed)
                if near and not self._label_word(word) and not self._spelt_right(tokens[k].text.strip(EDGE)):
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
        from kg.engine.facts import FactIndex

        if any(c.isupper() for c in word[1:]):
            return False
        return english_word(word) or FactIndex.of(self.kb).has_word(word)

    def _label_word(self, word: str) -> bool:
        """Whether `word` is written in some name of the knowledge base ("binding" in "binding energy"), so
        that it is spelt right whatever word of the question's vocabulary it is near."""
        if not hasattr(self, "_label_text"):
            self._label_text = " ".join(self.names.keys())
        return name_key(word) in self._label_text
