"""The lines of a big log worth matching, chosen as the scan goes, in bounded memory.

Kept: the start of the file whole (people write their words there), and the lines further on
that the matcher would read as prose (so that its keywords are the same); for every signature, the first lines it really matches (as many as the
matcher counts); the lines around each of those (the rest of the request: a quoted response,
a stack trace, the runtime); and the newest lines that may quote a Lambda response, as a paste's
newest megabyte is read for them. Every confirmed line is counted, kept or not.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable

from bot.core.record import Record
from bot.scan.blocks import Block
from bot.scan.plan import ScanPlan, Target, normalised_line

HEAD_LINES = 200  # the start of a file is kept whole...
HEAD_BYTES = 64 * 1024
PROSE_LINES = 5000  # ...and its prose as far as the matcher's prose_of reads (normalised lines)
CONTEXT_LINES = 50  # on each side of a kept line...
CONTEXT_BYTES = 4096  # ...and at most this much of them
TAIL_BYTES = 1024 * 1024  # the newest lines looked at for quoted responses
TAIL_QUOTES = 8
MAX_KEPT_LINE = 1024 * 1024  # longer lines are kept around the match (the matcher reads such a
CLIPPED_LINE = 64 * 1024  # long "JSON" line as plain text anyway)
SELECTION_BUDGET = 8 * 1024 * 1024  # past this, lines are counted but no more are kept


class Selected(Record):
    text: str  # the kept lines, in order, joined by newlines
    line_numbers: tuple[int, ...]  # the original number of each
    lines: int  # lines read
    matched: dict[str, int]  # entry id -> lines one of its signatures matched
    cut: bool  # SELECTION_BUDGET was reached


class Selection:
    def __init__(self, plan: ScanPlan, per_signature: int) -> None:
        self.plan = plan
        self.per_signature = per_signature
        self.kept: dict[int, str] = {}
        self.kept_bytes = 0
        self.cut = False
        self.hits_kept = [0] * len(plan.targets)
        self.matched: Counter[str] = Counter()
        self.lines = 0
        self._head_left = HEAD_LINES
        self._head_bytes = HEAD_BYTES
        self._prose_left = PROSE_LINES
        self._previous: list[tuple[int, bytes]] = []  # the last lines of the block before
        self._after = (0, 0)  # context still owed to the lines at the end of the block before
        self._last_line: tuple[int, set[int]] = (0, set())  # a line spanning blocks: found on it
        self._recent: list[Block] = []  # the last blocks, for the newest quoted responses
        self._clipped: set[int] = set()  # kept lines that are a part of a longer line
        self._marker_words = _marker_words(plan.quote_markers)
        self._head_offset = -1  # the offset of the last block whose start of file was taken
        # read_head may be called from the thread that hands an engine its blocks (grep's)
        self._lock = threading.Lock()

    # -- feeding -------------------------------------------------------------------------------

    def add(self, block: Block, candidates: Iterable[tuple[int | None, int]]) -> None:
        """Take what is worth keeping from `block`; `candidates` are (target index or None for
        any target, a position inside the line) proposed by an engine."""
        with self._lock:
            self._add(block, candidates)

    @property
    def wants_head(self) -> bool:
        return self._prose_left > 0

    def read_head(self, block: Block) -> None:
        """Take what the start of the file needs from `block`, once. The scan calls it as soon as
        the engine has the block, so that this work overlaps the engine's scan of it."""
        with self._lock:
            self._read_head(block)

    def _read_head(self, block: Block) -> None:
        if self._prose_left > 0 and block.offset > self._head_offset:
            self._head_offset = block.offset
            self._take_head(block)

    def _add(self, block: Block, candidates: Iterable[tuple[int | None, int]]) -> None:
        data = block.data
        self.lines = block.last_line
        self._read_head(block)
        if self._after[0] and not block.piece:
            self._take_after(block, 0, block.first_line, *self._after)
            self._after = (0, 0)
        by_line: dict[int, tuple[set[int] | None, int]] = {}  # line start -> (targets, a position)
        for index, position in candidates:
            start = data.rfind(b"\n", 0, position) + 1
            known = by_line.get(start)
            if known is None:
                by_line[start] = (None if index is None else {index}, position)
            elif known[0] is not None:
                if index is None:
                    by_line[start] = (None, known[1])
                else:
                    known[0].add(index)
        number, counted_to = block.first_line, 0
        for start in sorted(by_line):
            number += data.count(b"\n", counted_to, start)
            counted_to = start
            indexes, position = by_line[start]
            self._confirm(block, start, number, indexes, position)
        self._remember_end(block)

    def _confirm(
        self, block: Block, start: int, number: int, indexes: set[int] | None, position: int
    ) -> None:
        data = block.data
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        text, lowered = normalised_line(data[start:end])
        targets: Iterable[Target] = (
            self.plan.targets if indexes is None else (self.plan.targets[i] for i in sorted(indexes))
        )
        seen = self._last_line[1] if self._last_line[0] == number else set()
        confirmed = [t for t in targets if t.number not in seen and t.confirms(text, lowered)]
        if not confirmed:
            return
        counted_entries = {self.plan.targets[i].entry_id for i in seen}
        self.matched.update({t.entry_id for t in confirmed} - counted_entries)
        self._last_line = (number, seen | {t.number for t in confirmed})
        wanted = [t for t in confirmed if self.hits_kept[t.number] < self.per_signature]
        if not wanted:
            return
        for target in wanted:
            self.hits_kept[target.number] += 1
        self._keep(number, data[start:end], around=position - start)
        if not block.piece:
            self._take_before(block, start, number)
            self._take_after(block, end + 1, number + 1, CONTEXT_LINES, CONTEXT_BYTES)

    # -- lines kept ----------------------------------------------------------------------------

    def _keep(self, number: int, raw: bytes, around: int | None = None, limit: int = MAX_KEPT_LINE) -> bool:
        """Keep line `number` (past `limit` bytes, a part of it around position `around`);
        False when the budget refuses it."""
        clipped = len(raw) > limit
        if clipped:
            size = min(limit, CLIPPED_LINE)
            begin = 0 if around is None else max(0, around - size // 2)
            raw = raw[begin : begin + size]
        if number in self.kept and (number not in self._clipped or around is None):
            return True
        if self.kept_bytes + len(raw) > SELECTION_BUDGET:
            self.cut = True
            return False
        text = raw.decode("utf-8", "replace").replace("\x00", "").removesuffix("\r")
        if number in self.kept:  # another part of a long line holds another match
            text = self.kept[number] + " " + text
        self.kept[number] = text
        self.kept_bytes += len(raw) + 1
        if clipped:
            self._clipped.add(number)
        return True

    def _take_head(self, block: Block) -> None:
        """The first HEAD_LINES lines whole, and the lines the matcher would read as prose."""
        data = block.data
        position, number = 0, block.first_line
        while self._head_left > 0 and self._head_bytes > 0 and position < len(data):
            end = data.find(b"\n", position)
            end = len(data) if end < 0 else end
            raw = data[position:end]
            self._keep(number, raw, limit=self._head_bytes)
            self._head_left -= 1
            self._head_bytes -= min(len(raw), self._head_bytes) + 1
            position, number = end + 1, number + 1
        if block.piece:
            self._prose_left = 0  # a line of many megabytes: no prose is read after it
            return
        window = _first_lines(data, self._prose_left)
        if window and not window[-1] and data.endswith(b"\n"):
            window.pop()  # after the last newline: no line
        self._take_prose(window, block.first_line)

    def _take_prose(self, window: list[bytes], number: int) -> None:
        """Keep the lines of `window` (from line `number`) that prose_of reads, counting the
        normalised lines it reads. Most logs have none: then one call, not one per line."""
        from bot.core.matching.matcher import prose_of
        from bot.core.matching.normalize import normalize

        joined = normalize(b"\n".join(window).decode("utf-8", "replace").replace("\x00", ""))
        prose = set(prose_of(joined).split("\n")) - {""}
        if not prose:
            self._prose_left -= joined.count("\n") + 1
            return
        texts = b"\n".join(window).decode("utf-8", "replace").replace("\x00", "").split("\n")
        for raw, text in zip(window, texts, strict=True):
            if self._prose_left <= 0:
                return
            if _CHANGED_BY_NORMALIZE.search(text):
                lines = normalised_line(raw[:MAX_KEPT_LINE])[0].split("\n")
            else:
                lines = [text.replace("\t", " ")]
            self._prose_left -= len(lines)
            if any(line.strip() in prose for line in lines):
                self._keep(number, raw)
            number += 1

    def _take_before(self, block: Block, start: int, number: int) -> None:
        data, budget = block.data, CONTEXT_BYTES
        previous = dict(self._previous)
        for wanted in range(number - 1, max(0, number - 1 - CONTEXT_LINES), -1):
            if start > 0:
                begin = data.rfind(b"\n", 0, start - 1) + 1
                raw = data[begin : start - 1]
                start = begin
            elif wanted in previous:
                raw = previous[wanted]
            else:
                return
            budget -= len(raw) + 1
            if budget < 0 or not self._keep(wanted, raw):
                return

    def _take_after(self, block: Block, position: int, number: int, lines: int, budget: int) -> None:
        data = block.data
        while lines > 0:
            if position >= len(data):
                if lines > self._after[0]:
                    self._after = (lines, budget)  # owed by the next block
                return
            end = data.find(b"\n", position)
            end = len(data) if end < 0 else end
            budget -= end - position + 1
            if budget < 0 or not self._keep(number, data[position:end]):
                return
            position, number, lines = end + 1, number + 1, lines - 1

    def _remember_end(self, block: Block) -> None:
        self._recent = [*self._recent[-1:], block]
        self._previous = [] if block.piece else _last_lines(block, CONTEXT_LINES)

    # -- the end -------------------------------------------------------------------------------

    def finish(self) -> Selected:
        self._take_newest_quotes()
        numbers = tuple(sorted(self.kept))
        return Selected(
            text="\n".join(self.kept[n] for n in numbers),
            line_numbers=numbers,
            lines=self.lines,
            matched=dict(self.matched.most_common()),
            cut=self.cut,
        )

    def _take_newest_quotes(self) -> None:
        markers, found = self.plan.quote_markers, 0
        for block in reversed(self._recent):
            if block.piece:
                return
            data = block.data
            floor = max(0, len(data) - TAIL_BYTES)
            tail = data[floor:].lower()
            # From the newest line back, only as far as the TAIL_QUOTES newest quoting lines.
            ends = {word: len(tail) for word in self._marker_words}
            while ends:
                found_at = {word: tail.rfind(word, 0, end) for word, end in ends.items()}
                ends = {word: at for word, at in found_at.items() if at >= 0}
                if not ends:
                    break
                begin = data.rfind(b"\n", 0, floor + max(ends.values())) + 1
                line_start = begin - floor  # next time: before this line; the others found again
                ends = {w: line_start if at >= line_start else at + len(w) for w, at in ends.items()}
                end = data.find(b"\n", begin)
                raw = data[begin : end if end >= 0 else len(data)]
                if any(marker in normalised_line(raw)[1] for marker in markers):
                    number = block.first_line + block.newlines - data.count(b"\n", begin)
                    self._keep(number, raw)
                    self._take_before(block, begin, number)
                    self._take_after(block, begin + len(raw) + 1, number + 1, CONTEXT_LINES, CONTEXT_BYTES)
                    found += 1
                    if found >= TAIL_QUOTES:
                        return
                if begin <= floor:
                    break
            if floor > 0:
                return


_CHANGED_BY_NORMALIZE = re.compile(r"[{&`\r]")  # else normalize only turns tabs into spaces


def _lines_backwards(block: Block, floor: int):
    """(number, start, raw) of the lines of `block` from the last one back to `floor`."""
    data = block.data
    end = len(data) - 1 if data.endswith(b"\n") else len(data)
    number = block.last_line
    while end >= floor and end >= 0:
        begin = data.rfind(b"\n", 0, end) + 1
        yield number, begin, data[begin:end]
        if begin == 0:
            return
        end, number = begin - 1, number - 1


def _last_lines(block: Block, count: int) -> list[tuple[int, bytes]]:
    lines: list[tuple[int, bytes]] = []
    for number, _, raw in _lines_backwards(block, 0):
        if len(lines) >= count:
            break
        lines.append((number, raw))
    return lines[::-1]


def _first_lines(data: bytes, count: int) -> list[bytes]:
    """data.split(b"\n", count)[:count], without copying the rest of a block of megabytes (3 ms
    of a 20 MB log's 150): most lines are short, so the first lines are split from a part."""
    part = data[: count * 256]
    if len(part) < len(data) and part.count(b"\n") < count:
        part = data
    return part.split(b"\n", count)[:count]


def _marker_words(markers: tuple[str, ...]) -> tuple[bytes, ...]:
    """A word of each marker that any raw form of a line holding the marker holds too."""
    from bot.core.matching.prefilter import raw_word

    return tuple((raw_word(marker) or marker).encode() for marker in markers)
