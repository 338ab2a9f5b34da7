"""Reading the curated YAML files, keeping the line of every record and field."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from kg.model.errors import SackgError
from kg.model.text import escaped, shown


class Record(dict):
    """A YAML mapping that remembers where it and each of its keys stand."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        """The line of field `key`; `a.b` is field b of the mapping in field a."""
        if key in self.key_lines:
            return self.key_lines[key]
        outer, _, inner = key.partition(".")
        nested = self.get(outer) if inner else None
        if isinstance(nested, Record):
            return nested.line_of(inner)
        return self.key_lines.get(outer, self.line)

    def field_lines(self) -> tuple:
        """(field, line) of every field, and of the fields of a mapping in a field (as `a.b`)."""
        pairs = list(self.key_lines.items())
        for key, value in self.items():
            if isinstance(value, Record):
                pairs += [(f"{key}.{inner}", line) for inner, line in value.key_lines.items()]
        return tuple(pairs)


LIST_FIELDS = {"synonyms", "centre_metals", "alkali_metals", "roles", "synthesis", "techniques", "figures", "sources",
               "evidence", "authors", "cited_in_sections", "reproduced_in_figures", "kinds", "concerns",
               "members", "candidates", "compared_with", "corresponding_authors", "grants"}
MAPPING_FIELDS = {"support", "conditions", "baselines", "panels", "inferred_techniques", "inferred_evidence",
                  "affiliations", "acknowledgements", "biographies"}
_SCALARS = (str, int, float, bool, date)


def wrong_shape(key: str, value) -> str | None:
    """Why `value` cannot be the value of field `key` (a list field, a mapping, or one plain value)."""
    if key in MAPPING_FIELDS or value is None:
        return None
    if key == "authors" and not (isinstance(value, list) and all(isinstance(a, str) for a in value)):
        return "expected the list of author names in order, e.g. [\"X. Wang\", \"Y. Li\"]"
    if key in LIST_FIELDS:
        items = value if isinstance(value, list) else [value]
        if any(item is None or str(item).strip() == "" for item in items):
            return "an item of the list is empty"
        if not all(isinstance(item, _SCALARS) for item in items):
            return "expected a list of names or numbers (no lists or mappings inside)"
        return None
    if not isinstance(value, _SCALARS):
        return f"expected one value, not a {'list' if isinstance(value, list) else 'mapping'}: {shown(_flow(value), quote=False)}"
    return None


def _flow(value) -> str:
    """A list or mapping written as YAML's flow style writes it: [Na, K], {name: x}."""
    if isinstance(value, list):
        return "[" + ", ".join(map(_flow, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    return str(value)


MAX_FILE_BYTES = 1_000_000
MAX_TEXT = 10_000
MAX_DEPTH = 10
# C0 and C1 controls (tab and newline allowed), lone surrogates, bidirectional overrides, U+FFFE/U+FFFF
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit floats (`0.50` stays the string the curator wrote), without aliases
    (the format needs none, and they allow exponential expansion), nested at most MAX_DEPTH deep."""

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not accepted; write the value out", mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:float"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_record(loader: _Loader, node: yaml.MappingNode) -> Record:
    loader.flatten_mapping(node)
    record = Record()
    record.line = node.start_mark.line + 1
    record.key_lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.MarkedYAMLError(problem="a key must be a plain name, not a list or mapping",
                                       problem_mark=key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in record:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key '{key}'", problem_mark=key_node.start_mark
            )
        record[key] = loader.construct_object(value_node, deep=True)
        record.key_lines[key] = key_node.start_mark.line + 1
    return record


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_record)

if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):
        """The same reading, parsed by libyaml (about ten times faster); used for a text it reads without
        trouble, with no anchor or alias and no deeper than MAX_DEPTH, so every message comes from _Loader."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_record)
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = None


def _depth(value) -> int:
    """Nesting as _Loader counts it: every node, a scalar included, is one level."""
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 1


def _parsed(text: str):
    """The YAML text read with libyaml when that gives exactly what _Loader gives, else with _Loader."""
    if _FastLoader is not None and "&" not in text and "*" not in text:
        try:
            content = yaml.load(text, Loader=_FastLoader)
        except (yaml.YAMLError, RecursionError):
            content = None  # _Loader says what is wrong
        else:
            if _depth(content) <= MAX_DEPTH:
                return content
    return yaml.load(text, Loader=_Loader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the source, located as precisely as the format allows."""

    file: str
    line: int | None
    record: str
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where, self.record] if self.record else [where]
        if self.field:
            parts.append(f"field '{self.field}'")
        return escaped(": ".join(parts + [self.message]))  # one problem, one line, whatever the input held


def readable_file(path, shown_as: str) -> str:
    """The UTF-8 text of a regular file of at most MAX_FILE_BYTES; SackgError (one line) otherwise.
    Devices and FIFOs are refused before they are opened, so reading never blocks or runs forever."""
    problem = file_problem(path, shown_as)
    if problem is not None:
        raise SackgError(str(problem))
    text, problem = _read_text(path, shown_as)
    if problem is not None:
        raise SackgError(str(problem))
    return text


def file_problem(path, shown_as: str) -> Problem | None:
    """Why `path` is not a regular file that can be read, or None."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return Problem(shown_as, None, "", None, "no such file" if exc.errno == 2 else f"cannot read file ({exc.strerror})")
    if not stat.S_ISREG(mode):
        return Problem(shown_as, None, "", None, "not a regular file")
    return None


def _read_text(path, shown_as: str) -> tuple[str | None, Problem | None]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, Problem(shown_as, None, "", None, f"cannot read file ({exc.strerror})")
    if len(raw) > MAX_FILE_BYTES:
        return None, Problem(shown_as, None, "", None, f"file is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, Problem(shown_as, None, "", None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")


def load_yaml(path: Path, shown_as: str) -> tuple[Record | None, Problem | None]:
    """Parse one file; a syntax error or a text the store cannot hold becomes a Problem naming the file and line."""
    text, problem = _read_text(path, shown_as) if os.path.isfile(path) else (None, file_problem(path, shown_as))
    if problem is not None:
        return None, problem
    try:
        content = _parsed(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        return None, Problem(shown_as, line, "", None, f"invalid YAML: {reason}")
    except yaml.YAMLError as exc:
        return None, Problem(shown_as, None, "", None, f"invalid YAML: {str(exc).splitlines()[0][:200]}")
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting first
        return None, Problem(shown_as, None, "", None, f"invalid YAML: nested deeper than {MAX_DEPTH} levels")
    if content is None:
        return None, Problem(shown_as, None, "", None, "file is empty")
    if not isinstance(content, Record):
        return None, Problem(shown_as, 1, "", None, "expected a mapping with a 'reference' block at the top level")
    return content, _bad_text(content, shown_as)


def _bad_text(value, shown_as: str, record: Record | None = None, key=None) -> Problem | None:
    """The first text the store cannot hold: a forbidden character, or longer than MAX_TEXT."""
    if isinstance(value, Record):
        for k, v in value.items():
            found = _bad_text(k, shown_as, value, k) or _bad_text(v, shown_as, value, k)
            if found:
                return found
        return None
    if isinstance(value, list):
        for item in value:
            found = _bad_text(item, shown_as, record, key)
            if found:
                return found
        return None
    if not isinstance(value, str):
        return None
    line = record.line_of(key) if record is not None else None
    field = str(key) if key is not None and _FORBIDDEN.search(str(key)) is None else None
    bad = _FORBIDDEN.search(value)
    if bad:
        return Problem(shown_as, line, "", field, f"contains the character U+{ord(bad.group(0)):04X}, "
                       "which is not allowed in text (control, bidirectional-override or surrogate)")
    if len(value) > MAX_TEXT:
        return Problem(shown_as, line, "", field, f"text of {len(value):,} characters; at most {MAX_TEXT:,} are allowed")
    return None
