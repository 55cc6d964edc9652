"""One streaming pass over a big log for every signature at once, in bounded memory.

    result = scan(stream, plan_for(matcher), first=first_bytes)
    matcher.diagnose(result.text, line_numbers=result.line_numbers)

The input is read in blocks of whole lines (bot.scan.blocks); an engine proposes the lines a
signature may match (Hyperscan, else GNU grep, else Python: `ENGINES`, in that order); the
selection confirms each with the matcher's own patterns and keeps what the matcher needs, with
the original line numbers (bot.scan.selection). Memory does not grow with the input.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator

from bot.core.record import Record
from bot.scan.blocks import Block, blocks_of
from bot.scan.engine import EngineUnavailable
from bot.scan.plan import ScanPlan, plan_for

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import BinaryIO

    from bot.scan.engine import Engine
    from bot.scan.selection import Selection

__all__ = ["ENGINES", "ScanResult", "choose_engine", "plan_for", "scan"]

ENGINES = ("hyperscan", "grep", "python")
ENGINE_VARIABLE = "BADGATEWAY_SCAN_ENGINE"  # forces one of ENGINES (benchmarks, tests)


class ScanResult(Record):
    text: str  # the selected lines, joined by newlines
    line_numbers: tuple[int, ...]  # the original number of each
    lines: int  # lines read
    bytes_read: int
    matched: dict[str, int]  # entry id -> lines one of its signatures matched, most first
    engine: str
    cut: bool  # so many lines matched that some were counted but not kept
    error: str | None = None  # the input broke off (e.g. a truncated .gz): what was read counts


def choose_engine(plan: ScanPlan, name: str | None = None) -> Engine:
    """The first engine of ENGINES that runs here, or the one named (or set in the environment)."""
    name = name or os.environ.get(ENGINE_VARIABLE) or None
    if name is not None and name not in ENGINES:
        raise ValueError(f"{ENGINE_VARIABLE} must be one of {', '.join(ENGINES)}, not {name!r}")
    problems = []
    for kind in [name] if name else ENGINES:
        try:
            return _engine_kind(kind)(plan)
        except EngineUnavailable as exc:
            problems.append(f"{kind}: {exc}")
    raise EngineUnavailable("; ".join(problems))


def _engine_kind(kind: str) -> Callable[[ScanPlan], Engine]:
    """The engine's class, imported only when it is tried (grep's needs subprocess and threads)."""
    if kind == "hyperscan":
        from bot.scan.hyperscan_engine import HyperscanEngine

        return HyperscanEngine
    if kind == "grep":
        from bot.scan.grep_engine import GrepEngine

        return GrepEngine
    from bot.scan.python_engine import PythonEngine

    return PythonEngine


def scan(
    stream: BinaryIO,
    plan: ScanPlan,
    *,
    first: bytes = b"",
    engine: Engine | str | None = None,
    per_signature: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScanResult:
    """Read `first` then the rest of `stream`, and select the lines worth matching."""
    from bot.core.matching.matcher import MAX_HITS_PER_SIGNATURE
    from bot.scan.selection import Selection

    chosen = engine if engine is not None and not isinstance(engine, str) else choose_engine(plan, engine)
    selection = Selection(plan, per_signature or MAX_HITS_PER_SIGNATURE)
    read = [0]
    error = None
    try:
        blocks = _heads_read_early(_prefetched(_counted(blocks_of(stream, first), read, progress)), selection)
        for block, candidates in chosen.candidates(blocks):
            selection.add(block, candidates)
    except (OSError, EOFError, zlib.error) as exc:  # e.g. a .gz cut short or corrupt
        error = str(exc) or type(exc).__name__
    selected = selection.finish()
    return ScanResult(
        text=selected.text,
        line_numbers=selected.line_numbers,
        lines=selected.lines,
        bytes_read=read[0],
        matched=selected.matched,
        engine=chosen.name,
        cut=selected.cut,
        error=error,
    )


def _counted(blocks: Iterator[Block], read: list[int], progress: Callable[[int], None] | None):
    for block in blocks:
        read[0] = block.offset + len(block.data)
        if progress is not None:
            progress(read[0])
        yield block


def _heads_read_early(blocks: Iterator[Block], selection: Selection) -> Iterator[Block]:
    """`blocks`; when the engine asks for the next one, the one it has is handed to the selection
    for the start of the file (its prose: 10-15 ms of a 20 MB log), while the engine scans it."""
    given = None
    for block in blocks:
        if given is not None and selection.wants_head:
            selection.read_head(given)
        given = block
        yield block
    if given is not None and selection.wants_head:
        selection.read_head(given)


def _prefetched(blocks: Iterator[Block], ahead: int = 2) -> Iterator[Block]:
    """`blocks`, read on a thread of their own: reading and cutting the next block overlaps
    with scanning this one (Hyperscan and file reads let go of the GIL)."""
    import queue
    import threading

    handoff: queue.Queue[tuple[Block | None, BaseException | None]] = queue.Queue(ahead)
    stop = threading.Event()

    def read() -> None:
        try:
            for block in blocks:
                while not stop.is_set():
                    try:
                        handoff.put((block, None), timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            handoff.put((None, None))
        except BaseException as exc:  # handed to the scanning side, which raises it
            handoff.put((None, exc))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        while True:
            block, failure = handoff.get()
            if failure is not None:
                raise failure
            if block is None:
                return
            yield block
    finally:
        stop.set()
        reader.join(timeout=5)
