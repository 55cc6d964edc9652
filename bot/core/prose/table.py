"""The prose model's feature index as a hash table inside the cached blob, read in place.

A dict of the model's 6,000-odd feature names took 2.5 ms to load at every start (one string
object and one insertion each), while a paste looks up a few dozen of them. Here the names, their
row numbers and an open-addressing table live in the bytes after the rows (mapped, not read, by
bot.core.kb.cache.map_blob), and a lookup hashes the name with crc32 (stable across processes,
unlike `hash`) and compares bytes. `FeatureTable` answers `get`, `len` and iteration as the dict
did; nothing else of the model changes.

Layout, in the machine's byte order (the cached copy is this machine's own): names (UTF-8, back to
back, padded to a multiple of 4 bytes), then the n + 1 uint32 offsets of the names,
then the table's uint32 slots (row number + 1, 0 for an empty slot), a power of two at least
twice n.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any


def build(names: list[str]) -> tuple[bytes, dict[str, int]]:
    """The table's bytes for `names` (row i is names[i]), and the layout to keep beside them."""
    encoded = [name.encode("utf-8", "surrogatepass") for name in names]
    offsets = [0]
    for name in encoded:
        offsets.append(offsets[-1] + len(name))
    size = 1
    while size < 2 * max(len(names), 1):
        size *= 2
    slots = [0] * size
    for row, name in enumerate(encoded):
        slot = zlib.crc32(name) & (size - 1)
        while slots[slot]:
            slot = (slot + 1) & (size - 1)
        slots[slot] = row + 1
    blob = b"".join(encoded)
    blob += b"\0" * (-len(blob) % 4)
    layout = {"names": len(blob), "count": len(names), "slots": size}
    return blob + _uint32(offsets) + _uint32(slots), layout


class FeatureTable:
    """Row numbers by feature name, from `build`'s bytes (a memoryview of the mapped blob)."""

    def __init__(self, data: memoryview, layout: dict[str, int]) -> None:
        names, count, size = int(layout["names"]), int(layout["count"]), int(layout["slots"])
        if len(data) != names + 4 * (count + 1) + 4 * size or size & (size - 1):
            raise ValueError("the feature table does not have its layout")
        self._names = data[:names]
        self._offsets = data[names : names + 4 * (count + 1)].cast("I")
        self._slots = data[names + 4 * (count + 1) :].cast("I")
        self._mask = size - 1
        self._count = count

    def get(self, name: str, default: Any = None) -> int | Any:
        key = name.encode("utf-8", "surrogatepass")
        slots, offsets, names, mask = self._slots, self._offsets, self._names, self._mask
        slot = zlib.crc32(key) & mask
        for _ in range(mask + 1):
            row = slots[slot]
            if not row:
                return default
            start, end = offsets[row - 1], offsets[row]
            if end - start == len(key) and names[start:end] == key:
                return row - 1
            slot = (slot + 1) & mask
        return default

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        offsets, names = self._offsets, self._names
        for row in range(self._count):
            yield bytes(names[offsets[row] : offsets[row + 1]]).decode("utf-8", "surrogatepass")


def _uint32(values: list[int]) -> bytes:
    import array

    table = array.array("I", values)
    if table.itemsize != 4:  # "I" is 4 bytes on every platform CPython builds for today
        raise ValueError("no 4-byte unsigned int array on this platform")
    return table.tobytes()
