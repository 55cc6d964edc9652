"""Parsed copies of the files `badgateway diagnose` reads at every start, in the user's cache.

The knowledge files are YAML and the prose model is a JSON file of several hundred KB: parsing them again at
each start cost more than the rest of the start-up together. A copy is kept in `marshal` form,
which loads plain data (dicts, lists, strings, numbers) several times faster than `json`. Each
copy carries the key it was made for (the source files' names, sizes and modification times), so
a stale copy is never used. marshal's format belongs to one Python version: the version is in the
file name, and an unreadable copy is simply made again.

The copies are the user's own, in the user's cache folder, as Python's own .pyc files are.
"""

from __future__ import annotations

import _thread
import marshal
import os
import sys
import zlib

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any


# marshal's format belongs to one interpreter and version ("cpython-311"); FORMAT to this module's
# layout of a copy, and a caller's `name` carries the version of what it stores.
_VERSION = sys.implementation.cache_tag or f"py{sys.version_info[0]}{sys.version_info[1]}"
FORMAT = b"BGC1"
_HEADER = len(FORMAT) + 8  # FORMAT, then the payload's length and crc32, 4 bytes each


def hasher():  # type: ignore[no-untyped-def]
    """A blake2b digest for cache keys. hashlib would load OpenSSL first: 8 ms of a start."""
    try:
        from _blake2 import blake2b
    except ImportError:  # another interpreter than CPython
        from hashlib import blake2b
    return blake2b(digest_size=16)


def cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "badgateway")


def file_key(paths: list[str]) -> list[list[Any]]:
    """What a copy of these files is valid for: their names, sizes and modification times."""
    key = []
    for path in paths:
        status = os.stat(path)
        key.append([path, status.st_size, status.st_mtime_ns])
    return key


def folder_tag(folder: str) -> str:
    """A short name for a folder: each knowledge folder has its own copies, so that two
    installs sharing a HOME do not keep evicting each other's."""
    return f"{zlib.crc32(folder.encode('utf-8', 'surrogatepass')):08x}"


def cache_path(name: str) -> str:
    return os.path.join(cache_dir(), f"{name}-{_VERSION}.marshal")


def read(name: str, key: Any) -> Any | None:
    """The value stored under `name` for exactly this `key`, else None (also for a damaged copy:
    the payload's length and checksum are checked before marshal reads a byte of it)."""
    try:
        with open(cache_path(name), "rb") as handle:
            data = handle.read()  # then marshal.loads: marshal.load(handle) reads in small pieces
        length, checksum = int.from_bytes(data[4:8], "big"), int.from_bytes(data[8:12], "big")
        payload = memoryview(data)[_HEADER:]
        if data[:4] != FORMAT or len(payload) != length or zlib.crc32(payload) != checksum:
            return None
        stored = marshal.loads(payload)
    except (OSError, EOFError, ValueError, TypeError, MemoryError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != key:
        return None
    return stored.get("value")


def write(name: str, key: Any, value: Any) -> None:
    """Store `value` (plain data only) under `name` for `key`; a read-only home stores nothing."""
    path = cache_path(name)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        payload = marshal.dumps({"key": key, "value": value})
        header = FORMAT + len(payload).to_bytes(4, "big") + zlib.crc32(payload).to_bytes(4, "big")
        temporary = f"{path}.{os.getpid()}.{_thread.get_ident()}.tmp"  # threads of one server too
        with open(temporary, "wb") as handle:
            handle.write(header + payload)
        os.replace(temporary, path)  # atomic: a concurrent reader sees the old copy or the new one
    except (OSError, ValueError):
        return  # no cache (Lambda, read-only containers): parse again next time
    prune(os.path.dirname(path))


STALE_DAYS = 30  # a copy not rewritten for this long is removed (it is made again if needed)
STALE_TEMPORARY_SECONDS = 3600


def prune(folder: str) -> int:
    """Remove what earlier versions, other checkouts and interrupted writes left in `folder`:
    files not written for STALE_DAYS, temporaries older than an hour. Runs when a copy is
    written (rarely: the data changed), so the folder does not grow with every upgrade."""
    import time

    now, removed = time.time(), 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
            if age > STALE_DAYS * 86400 or (entry.name.endswith(".tmp") and age > STALE_TEMPORARY_SECONDS):
                os.remove(entry.path)
                removed += 1
        except OSError:
            continue  # removed meanwhile, or not ours to remove
    return removed
