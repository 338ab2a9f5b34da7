"""A SAC system named by what it is made of: "single Co on defective iron sulfide", "Fe-Ni atoms on carbon
nanofiber paper". The question names a centre metal and words of one system's support that no other name
of the question reads; the system whose recorded description holds most of those words, and more than any
other system with that centre metal, is read as named.
"""

from __future__ import annotations

import re

from kg.engine.names import SAC
from kg.model.text import name_key

_WORD = re.compile(r"[^\W\d_]{3,}")
# Words of every description, which tell no system from another.
_SHARED = {"single", "atom", "atoms", "atomic", "dual", "binary", "with", "and", "the", "into", "from", "onto"}
_DESCRIPTION = "SELECT about, sentence FROM facts WHERE kind = 'system'"


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def descriptions(kb) -> list[tuple[str, set[str], set[str]]]:
    """Each system's name, centre metals and the words of its support as the fact index records them."""
    from kg.engine.facts import FactIndex

    found = []
    for about, sentence in FactIndex.of(kb).connection.execute(_DESCRIPTION):
        statement = sentence.split(": ", 1)[1].split("; coordination")[0]  # "single Co atoms on ... carbon"
        centres = re.match(r"single ([^;]*?) atoms? ", statement)
        metals = set(re.split(r",\s*", centres.group(1))) if centres else set()
        found.append((about, metals, {_stem(w) for w in _WORD.findall(statement)} - _SHARED))
    return found


def described_system(reader, reading, read_otherwise: bool = True) -> bool:
    """Read a system named by its centre metal and support words as that system (in place): the words and
    names it covers become one mention of it; beside a system named by its name, a second one described
    by two words of its own ("the Zn hollow nanotube and Zn-N-C"). `read_otherwise`: the question reads well without it, so a
    word that no other name reads must be among those words. Whether it was read so."""
    from kg.ask.words import FUNCTION_WORDS, Mention

    systems = {e.iri for m in reading.mentions for e in m.entities if f"{SAC}SACSystem" in e.classes}
    elements = [m for m in reading.mentions if any(f"{SAC}ChemicalElement" in e.classes for e in m.entities[:1])]
    if not elements:
        return False
    named = {k for m in reading.mentions for k in range(m.first, m.last)}
    words = {}  # token index -> stem, for words of the question no name reads, and names of elements
    for k, token in enumerate(reading.tokens):
        text = token.text.lower()
        if len(text) >= 3 and text.isalpha() and text not in FUNCTION_WORDS:
            words[k] = _stem(text)
    free = {k for k in words if k not in named}
    symbols = {e.label for m in elements for e in m.entities[:1]}
    scored = []
    for name, metals, support in descriptions(reader.kb):
        if not metals & symbols:
            continue
        held = {k for k, w in words.items() if w in support}
        if systems and len(held & free) < 2:
            continue  # beside a named system, only a second one described in words of its own
        if held & free or held and not read_otherwise:  # not "hard carbon" alone, which a name already reads
            scored.append((len(held), name, held, metals))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < 2 or len(scored) > 1 and scored[1][0] == scored[0][0]:
        return False
    _, name, held, metals = scored[0]
    entity = next((reader.names.entity(i) for i in reader.names.iris(name_key(name))), None)
    if entity is None or entity.iri in systems:
        return False
    covered = held | {k for m in elements if m.entities[0].label in metals for k in range(m.first, m.last)}
    first, last = min(covered), max(covered) + 1
    reading.mentions = sorted([m for m in reading.mentions if not (first <= m.first and m.last <= last)]
                              + [Mention(first, last, _span(reading, first, last), [entity], typo_of=entity.label)], key=lambda m: m.first)
    inside = {reading.tokens[k].text.lower() for k in range(first, last)}
    reading.words = [w for w in reading.words if w not in inside]
    reading.unread = [w for w in reading.unread if w.lower() not in inside]
    return True


def _span(reading, first: int, last: int) -> str:
    return " ".join(t.text for t in reading.tokens[first:last])
