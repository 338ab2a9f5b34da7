"""Choosing a template for a reading and filling its parameters."""

from __future__ import annotations

from kg.ask.compose import MINOR, names_a_system, only_describes, repeats, unused_mentions
from kg.ask.describe import described_system
from kg.ask.words import FUNCTION_WORDS, KINDS, NEAR, NUMBER, SIZE_WORDS, Choice, NoReading, QuestionError, Reading
from kg.engine.binding import ANY
from kg.engine.templates import Template
from kg.model.iris import SAC
from kg.model.numbers import plain
from kg.model.terms import Iri
from kg.model.text import common_word, shown


class Choosing:
    """The part of the reader (kg.ask.reader) that picks and fills templates."""

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
                if index in choice.used or any(e.iri in bound for e in mention.entities) or repeats(choice, mention, reading):
                    continue
                if about_a_system and only_describes(mention):
                    continue
                if "origin" in template.columns and self.computational(mention):
                    continue  # "DFT binding energies": the computed values (kg.ask.compose.by_columns)
                minor = all(e.classes & MINOR for e in mention.entities)
                choice.score -= 0.5 if minor else 3
            choice.score -= 3 * len(reading.unread)
            if not template.params and cue < 3 and not self._lists_what_has_both(choice, reading):
                choice.missing.append(("cue", "words"))
            choices.append(choice)
        return sorted(choices, key=lambda c: (bool(c.missing), -c.score, -len(c.template.params), c.template.name))

    @staticmethod
    def _lists_what_has_both(choice: Choice, reading: Reading) -> bool:
        """Whether a template that lists systems reads a question as asking for the systems with two or more
        things it names ("Co single atoms that are defect-trapped"), with no word left over and no system named."""
        filters = sum(1 for name, _ in choice.template.optional
                      if isinstance(choice.bindings.get(name), Iri) and choice.bindings[name] != ANY)
        return (filters >= 2 and "systemName" in choice.template.table and not reading.unread
                and not names_a_system(choice, reading))

    def computational(self, mention) -> bool:
        """Whether `mention` names a computational technique (DFT, MD, a calculation)."""
        if not any(f"{SAC}Technique" in e.classes for e in mention.entities):
            return False
        if not hasattr(self, "_computational"):
            from kg.engine.templates import template

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
                       and not NUMBER.match(w) and len(w) >= 2]
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


