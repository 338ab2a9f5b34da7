"""The cache of built stores, shared safely by many processes.

Each store `kb-FP` has a lock file beside it, `kb-FP.lock`. A reader holds a shared lock on it for as
long as the process may read the store; one builder at a time holds it exclusively; and a store is only
removed or replaced by whoever holds it exclusively. So no store is ever removed while it is open, and
concurrent commands wait for one build instead of each building (and removing) the same store.

This module is on the `sackg ask` path: it imports shutil only where it removes something.
"""

from __future__ import annotations

import fcntl
import os

from kg.model.errors import SackgError

COMPLETE = "BUILD-COMPLETE"
LOCK = ".lock"
HELD: dict[str, int] = {}  # store path -> descriptor holding its lock shared, for the life of the process


def complete(path: str, wanted: str) -> bool:
    try:
        with open(os.path.join(path, COMPLETE), encoding="utf-8") as handle:
            return handle.read() == wanted
    except OSError:
        return False


def locked(lock_path: str, mode: int) -> int:
    """A descriptor holding `flock(mode)` on `lock_path` (created if missing); when the file was removed
    by a pruner meanwhile, the lock is taken again on the file that now has that name."""
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise SackgError(f"{lock_path}: cannot open the store lock ({exc.strerror})") from None
        fcntl.flock(fd, mode)
        try:
            if os.fstat(fd).st_ino == os.stat(lock_path).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


def hold(path: str) -> None:
    if path not in HELD:
        HELD[path] = locked(path + LOCK, fcntl.LOCK_SH)


def release(path: str) -> None:
    fd = HELD.pop(path, None)
    if fd is not None:
        os.close(fd)


def unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def prune(keep: str, source: str) -> None:
    """Remove what no process needs: older stores of this data directory, stores of data directories
    that no longer exist, and scratch builds whose builder died. A store is removed only while its lock
    is held exclusively (no reader has it open, no builder is writing it)."""
    import shutil

    parent = os.path.dirname(keep)
    for name in sorted(os.listdir(parent)):
        full = os.path.join(parent, name)
        if not name.startswith("kb-") or full == keep or full == keep + LOCK:
            continue
        store = full.split(".", 1)[0]
        if name.endswith(LOCK):
            if not os.path.exists(store):  # an orphan lock file
                _try_exclusive(full, lambda: None)
        elif "." in name:  # kb-FP.tmp-PID (a build) or kb-FP.trash-PID (a removal) whose owner died
            _try_exclusive(store + LOCK, lambda: shutil.rmtree(full, ignore_errors=True),
                           keep_lock=os.path.isdir(store))
        elif _stale(full, source):
            def remove(full=full):
                trash = f"{full}.trash-{os.getpid()}"
                os.rename(full, trash)
                shutil.rmtree(trash, ignore_errors=True)
            _try_exclusive(full + LOCK, remove)


def _stale(store: str, source: str) -> bool:
    """Built from older files of this data directory, from one that is gone, or never completed."""
    try:
        with open(os.path.join(store, COMPLETE), encoding="utf-8") as handle:
            handle.readline()
            built_from = handle.readline().removeprefix("source ").rstrip("\n")
    except OSError:
        return True
    return built_from == source or not os.path.isdir(built_from)


def _try_exclusive(lock_path: str, action, keep_lock: bool = False) -> bool:
    """Run `action` if the lock can be had exclusively at once (then remove the lock file unless
    `keep_lock`); False when some process holds it."""
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        try:
            action()
        except OSError:
            return False
        if not keep_lock:
            unlink(lock_path)  # a process waiting on this file takes the lock again on a new one (_locked)
        return True
    finally:
        os.close(fd)


def remove_scratch(store: str) -> None:
    """Remove scratch builds of `store` left by processes that died. Call holding its lock exclusively."""
    import shutil

    parent, name = os.path.split(store)
    for other in os.listdir(parent):
        if other.startswith(name + ".tmp-"):
            shutil.rmtree(os.path.join(parent, other), ignore_errors=True)
