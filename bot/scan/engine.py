"""What every engine is: something that proposes candidate lines, block by block.

An engine never decides: it proposes (target index, or None for "any target", and a position
inside the line) for every line a signature may match, and `Selection` confirms each one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from bot.scan.blocks import Block

Candidates = list[tuple[int | None, int]]

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:  # engines have this shape; nothing checks it at run time
    from typing import Protocol

    class Engine(Protocol):
        name: str

        def candidates(self, blocks: Iterable[Block]) -> Iterator[tuple[Block, Candidates]]:
            """Each block, in order, with the candidates found in it."""
            ...


class EngineUnavailable(RuntimeError):
    """This engine cannot run here (not installed, or a signature it cannot take)."""


def cache_file(name: str) -> str:
    from bot.core.kb.cache import cache_dir

    return os.path.join(cache_dir(), name)


def write_atomically(path: str, content: bytes) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)  # concurrent readers see the old file or the new one
    except OSError:
        return  # a read-only home: build it again next time
    from bot.core.kb.cache import prune

    prune(os.path.dirname(path))
