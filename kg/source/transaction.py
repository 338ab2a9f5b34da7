"""All-or-nothing changes to the curated data directory, safe against a crash at any point.

A change is staged beside its targets (`*.sackg-new`), then committed by atomically renaming a journal
into place, then applied. Whoever next takes the lock finishes a committed change (the journal is
there) or discards an uncommitted one (staged files without a journal), so the data is always the old
set of files or the new one. The lock is `flock` on the data directory itself: no lock file appears in
the data, and the kernel releases it when a holder dies, even by `kill -9`.
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager

from kg.model.errors import SackgError

JOURNAL = ".sackg-journal"
STAGED = ".sackg-new"


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _open(data_dir: str) -> int:
    try:
        return os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise SackgError(f"{data_dir}: cannot open data directory ({exc.strerror})") from None


@contextmanager
def locked(data_dir: str):
    """Hold the data directory's lock (waiting for any other writer), with any interrupted change settled."""
    fd = _open(data_dir)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _recover(data_dir)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def reading(data_dir: str):
    """Read the data as one consistent set of files: settle an interrupted change, then hold a shared
    lock so that no writer is part-way through a change while the files are read."""
    settle(data_dir)
    fd = _open(data_dir)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def pending(data_dir: str) -> bool:
    """Whether a writer died here: a journal to finish, or staged files to discard."""
    for _root, _dirs, names in os.walk(data_dir):
        if any(n.startswith(JOURNAL) or n.endswith(STAGED) for n in names):
            return True
    return False


def settle(data_dir: str) -> None:
    """Before reading: finish a change that a killed writer committed, or discard one it had only staged."""
    if pending(data_dir):
        if not os.access(data_dir, os.W_OK):
            raise SackgError(f"{data_dir}: an interrupted change needs finishing, but the directory is read-only")
        with locked(data_dir):
            pass


def commit(data_dir: str, writes: dict[str, bytes], deletes: list[str]) -> None:
    """Replace or create the files `writes` (relative paths) and remove `deletes`, all or nothing.

    Call with the lock held (`locked`).
    """
    for rel in [*writes, *deletes]:
        if os.path.isabs(rel) or os.pardir in rel.split(os.sep):
            raise SackgError(f"{rel}: not a file of the data directory; nothing was changed")
    for rel, data in sorted(writes.items()):
        target = os.path.join(data_dir, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _write_synced(target + STAGED, data)
    for folder in sorted({os.path.dirname(os.path.join(data_dir, rel)) for rel in writes}):
        _fsync_dir(folder)
    plan = {"write": sorted(writes), "delete": sorted(deletes)}
    journal = os.path.join(data_dir, JOURNAL)
    _write_synced(journal + ".tmp", json.dumps(plan).encode())
    os.replace(journal + ".tmp", journal)  # the commit point
    _fsync_dir(data_dir)
    _apply(data_dir, plan)


def _apply(data_dir: str, plan: dict) -> None:
    folders = {data_dir}
    for rel in plan["write"]:
        target = os.path.join(data_dir, rel)
        if os.path.exists(target + STAGED):
            os.replace(target + STAGED, target)
        folders.add(os.path.dirname(target))
    for rel in plan["delete"]:
        target = os.path.join(data_dir, rel)
        if os.path.exists(target):
            os.unlink(target)
        folders.add(os.path.dirname(target))
    for folder in sorted(folders):
        _fsync_dir(folder)
    os.unlink(os.path.join(data_dir, JOURNAL))
    _fsync_dir(data_dir)


def _recover(data_dir: str) -> None:
    journal = os.path.join(data_dir, JOURNAL)
    if os.path.exists(journal):
        with open(journal, encoding="utf-8") as handle:
            _apply(data_dir, json.loads(handle.read()))
    for root, _dirs, names in os.walk(data_dir):
        for name in names:
            if name.endswith(STAGED) or name == JOURNAL + ".tmp":
                os.unlink(os.path.join(root, name))  # staged by a writer that died before committing
