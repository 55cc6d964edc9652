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
    try:
        payload = marshal.dumps({"key": key, "value": value})
    except ValueError:
        return
    header = FORMAT + len(payload).to_bytes(4, "big") + zlib.crc32(payload).to_bytes(4, "big")
    _store(cache_path(name), header + payload)


# A blob: bytes that are read in place (mapped) rather than loaded, for a big table of which a
# run reads a few rows (the prose model's weights: 1 MB, of which a paste reads a few KB).
# Its header holds a digest of the key it was made for; its bytes carry no checksum (reading
# them all to check would cost what mapping saves), and a blob is numbers only, never code.
BLOB_FORMAT = b"BGB1"
_BLOB_HEADER = len(BLOB_FORMAT) + 16 + 8  # format, the key's digest, the length of the bytes


def write_blob(name: str, key: Any, blob: bytes) -> None:
    """Store `blob` under `name` for `key` (nothing when the cache cannot be written)."""
    _store(_blob_path(name), BLOB_FORMAT + _key_digest(key) + len(blob).to_bytes(8, "big") + blob)


def map_blob(name: str, key: Any) -> memoryview | None:
    """The bytes stored under `name` for exactly this `key`, mapped read-only, else None."""
    import mmap

    try:
        with open(_blob_path(name), "rb") as handle:
            header = handle.read(_BLOB_HEADER)
            size = os.fstat(handle.fileno()).st_size
            if (len(header) != _BLOB_HEADER or header[:4] != BLOB_FORMAT or header[4:20] != _key_digest(key)
                    or int.from_bytes(header[20:28], "big") != size - _BLOB_HEADER):
                return None
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    return memoryview(mapped)[_BLOB_HEADER:]


def _blob_path(name: str) -> str:
    return os.path.join(cache_dir(), f"{name}-{_VERSION}.blob")


def _key_digest(key: Any) -> bytes:
    digest = hasher()
    digest.update(marshal.dumps(key))
    return digest.digest()  # type: ignore[no-any-return]


def _store(path: str, data: bytes) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.{_thread.get_ident()}.tmp"  # threads of one server too
        with open(temporary, "wb") as handle:
            handle.write(data)
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
