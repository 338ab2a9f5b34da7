"""Reading the curated YAML files, keeping the line of every record and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


class Record(dict):
    """A YAML mapping that remembers where it and each of its keys stand."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit floats: `0.50` stays the string the curator wrote."""


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
        key = loader.construct_object(key_node, deep=True)
        if key in record:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key '{key}'", problem_mark=key_node.start_mark
            )
        record[key] = loader.construct_object(value_node, deep=True)
        record.key_lines[key] = key_node.start_mark.line + 1
    return record


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_record)


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
        return ": ".join(parts + [self.message])


def load_yaml(path: Path, shown_as: str) -> tuple[Record | None, Problem | None]:
    """Parse one file; a syntax error becomes a Problem naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, Problem(shown_as, None, "", None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        return None, Problem(shown_as, None, "", None, f"cannot read file ({exc.strerror})")
    try:
        content = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        return None, Problem(shown_as, line, "", None, f"invalid YAML: {reason}")
    except yaml.YAMLError as exc:
        return None, Problem(shown_as, None, "", None, f"invalid YAML: {exc}")
    if content is None:
        return None, Problem(shown_as, None, "", None, "file is empty")
    if not isinstance(content, Record):
        return None, Problem(shown_as, 1, "", None, "expected a mapping with a 'reference' block at the top level")
    return content, None
