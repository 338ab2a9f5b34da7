"""What every back-end offers: SELECT with bound parameters, saved answers and summaries, a time limit."""

from __future__ import annotations

import json
import os
import threading
import zlib

from kg.model.errors import SackgError
from kg.model.terms import decoded

ANSWERS = "answers"  # answers of templates marked `# precomputed: yes`, saved with the store


def answer_key(bindings: dict) -> str:
    """A binding written canonically: the name of a precomputed answer."""
    from kg.engine.binding import sparql_term

    return json.dumps(sorted((name, sparql_term(value)) for name, value in bindings.items()))


def answer_file(directory: str, name: str, key: str) -> str:
    return os.path.join(directory, ANSWERS, f"{name}-{zlib.crc32(key.encode()):08x}.json")


def save_answer(directory: str, name: str, bindings: dict, columns: list[str], rows: list[dict]) -> None:
    """Save an answer of a precomputed template with the store, whole or not at all (a reader may be
    saving the same one)."""
    from kg.model.terms import encoded

    key = answer_key(bindings)
    path = answer_file(directory, name, key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    scratch = f"{path}.tmp-{os.getpid()}-{threading.get_ident()}"
    with open(scratch, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"key": key, "columns": columns, "rows": encoded(rows)}, ensure_ascii=False))
    os.replace(scratch, path)


class Backend:
    """A read-only SPARQL view of the knowledge base; subclasses supply `select` and `__len__`."""

    path: str | None = None
    local = True  # runs queries in this process (an endpoint is a server with its own policy)

    def __init__(self):
        self._summaries: dict = {}

    def run_template(self, template, bindings: dict) -> tuple[list[str], list[dict]]:
        """A template's answer: saved with the store (by its build, see `precompute`, or by the first
        process that asked after an incremental update), else worked out from a saved ranking where the
        template names one (kg.engine.narrow), else queried. An optional parameter not given is left open."""
        from kg.engine.binding import ANY

        bindings = {**{name: ANY for name, _ in template.optional}, **bindings}
        saved = self.saved_answer(template, bindings)
        if saved is not None:
            return saved
        if template.candidates and self.path is not None:
            from kg.engine.narrow import answered

            found = answered(self, template, bindings)
            if found is not None:
                return found
        columns, rows = self.select(template.text, bindings)
        missing = [c for c in template.columns if c not in columns]
        if missing:  # only an endpoint that does not answer the query it was sent
            raise SackgError(f"the answer to {template.name} lacks the column ?{missing[0]}")
        rows = template.canonical(rows)
        if template.precomputed and self.path is not None:
            try:
                save_answer(self.path, template.name, bindings, columns, rows)
            except OSError:
                pass  # a store this process may not write to answers as well without
        return columns, rows

    def saved_answer(self, template, bindings: dict) -> tuple[list[str], list[dict]] | None:
        """The answer saved with the store for this template and binding, or None."""
        if not template.precomputed or self.path is None:
            return None
        key = answer_key(bindings)
        try:
            with open(answer_file(self.path, template.name, key), encoding="utf-8") as handle:
                saved = json.load(handle)
        except FileNotFoundError:
            return None
        if saved["key"] != key:
            return None
        return saved["columns"], decoded(saved["rows"])

    def select(self, query: str, bindings: dict | None = None) -> tuple[list[str], list[dict]]:
        raise NotImplementedError

    def __len__(self) -> int:
        _, rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        count = rows[0].get("n") if rows else None
        if not isinstance(count, int):
            raise SackgError(f"the answer to a triple count is not a number: {str(count)[:40]!r}")
        return count

    def saved(self, name: str):
        """A JSON summary written with the store when it was built, or None."""
        if self.path is None:
            return None
        try:
            with open(os.path.join(self.path, f"{name}.json"), encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return None

    def summary(self, name: str) -> list[dict]:
        """Rows of a summary template: saved with the store when it was built, else queried."""
        if name not in self._summaries:
            saved = self.saved(name)
            if saved is not None:
                rows = decoded(saved)
            else:
                from kg.engine.templates import run

                rows = run(self, name)[1]
            self._summaries[name] = rows
        return self._summaries[name]


def within(seconds: float | None, work):
    """`work()`'s result, or SackgError once `seconds` (None: no limit) have passed; Ctrl-C interrupts the
    wait. A query still running then is left to its daemon thread, which ends with the process."""
    box: dict = {}

    def run():
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller
            box["error"] = exc

    worker = threading.Thread(target=run, name="sackg-query", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise SackgError(f"the query did not finish within {seconds:g} s (SACKG_TIMEOUT)")
    if "error" in box:
        raise box["error"]
    return box["value"]
