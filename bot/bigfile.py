"""Big logs: streamed once through bot.scan, and only the lines worth matching are matched.

A day of CloudWatch logs is gigabytes of healthy lines. The scan reads it in blocks, finds every
line a signature matches (Hyperscan, else GNU grep, else Python), and keeps the start of the
file, those lines (the first few per signature) and the lines around them, with their original
numbers; memory does not grow with the file. The diagnosis is the one the whole text would get
(tests/test_bigfile.py proves it on every corpus text), and says how much was read and how many
lines matched what.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from bot.core.record import Record

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import TextIO

    from bot.core.matching.matcher import Matcher
    from bot.inputs import OpenedInput

PROGRESS_BYTES = 256 * 1024 * 1024  # inputs past this show progress (in a terminal)


class BigRead(Record):
    text: str  # the selected lines
    line_numbers: tuple[int, ...]  # their numbers in the input
    source: str
    bytes_read: int  # decompressed, for a .gz
    compressed: bool
    lines: int
    engine: str  # "hyperscan", "grep" or "python"
    seconds: float
    matched: dict[str, int]  # entry id -> lines matched, most first
    cut: bool  # more lines matched than could be kept (all were counted)
    error: str | None  # the input broke off there (e.g. a truncated .gz)


def read_big(
    opened: OpenedInput,
    matcher: Matcher,
    *,
    engine: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> BigRead:
    """Scan the whole of `opened` for `matcher`'s signatures."""
    from bot.scan import plan_for, scan

    started = time.perf_counter()
    result = scan(opened.stream, plan_for(matcher), first=opened.first, engine=engine,
                  progress=progress)
    return BigRead(
        text=result.text,
        line_numbers=result.line_numbers,
        source=opened.source,
        bytes_read=result.bytes_read,
        compressed=opened.compressed,
        lines=result.lines,
        engine=result.engine,
        seconds=time.perf_counter() - started,
        matched=result.matched,
        cut=result.cut,
        error=result.error,
    )


def notes(big: BigRead, lang: str) -> tuple[str, ...]:
    """What the diagnosis says about the read, in `lang`: how much, and what matched."""
    from bot.core.kb.messages import SCAN_NOTES

    says = SCAN_NOTES.get(lang, SCAN_NOTES["en"])
    matched = ", ".join(
        says["lines_of"].format(entry=entry, count=_number(count, lang))
        for entry, count in big.matched.items()
    ) or says["none"]
    found = [says["read"].format(
        size=_size(big.bytes_read, lang),
        decompressed=says["decompressed"] if big.compressed else "",
        lines=_number(big.lines, lang),
        engine=big.engine,
        seconds=_decimal(big.seconds, lang),
        matched=matched,
    )]
    if big.cut:
        found.append(says["cut"])
    if big.error:
        found.append(says["broken"].format(source=big.source, error=big.error))
    return tuple(found)


def _number(value: int, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "it" else text


def _decimal(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "it" else text


def _size(count: int, lang: str) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if count >= scale:
            return f"{_decimal(count / scale, lang)} {unit}"
    return f"{count} B"


class Progress:
    """One line of stderr rewritten as a big input is read (in a terminal, past PROGRESS_BYTES)."""

    def __init__(self, opened: OpenedInput, out: TextIO | None = None) -> None:
        self.opened = opened
        self.out = out or sys.stderr
        self.shown = False
        self._last = 0.0

    @staticmethod
    def wanted(out: TextIO | None = None) -> bool:
        stream = out or sys.stderr
        return stream is not None and stream.isatty()

    def __call__(self, bytes_read: int) -> None:
        total = self.opened.size_on_disk
        now = time.monotonic()
        if (total or bytes_read) < PROGRESS_BYTES or now - self._last < 0.2:
            return
        self._last = now
        done = self.opened.position() if self.opened.compressed else bytes_read
        shown = _size(bytes_read, "en")
        if total:
            shown += f" ({min(100, 100 * done // total)}% of {_size(total, 'en')})"
        self.out.write(f"\rbadgateway: reading {self.opened.source}: {shown}\x1b[K")
        self.out.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.out.write("\r\x1b[K")
            self.out.flush()
