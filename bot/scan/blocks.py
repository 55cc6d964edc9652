"""An input stream cut into blocks of whole lines, numbered, in bounded memory."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

from bot.core.record import Record

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import BinaryIO

BLOCK_BYTES = 4 * 1024 * 1024
READ_BYTES = 1024 * 1024
MAX_LINE = 8 * 1024 * 1024  # a longer line is scanned in pieces of this size...
OVERLAP = 64 * 1024  # ...each repeating the end of the one before, so no signature is cut


class Block(Record):
    data: bytes  # whole lines; the last one has no newline only at the end of the input
    offset: int  # of data[0] in the input
    first_line: int  # 1-based number of the line data[0] belongs to
    newlines: int = 0  # data.count(b"\n"): what the next block's first line number adds
    piece: bool = False  # one piece of a line longer than MAX_LINE (no newline in it)

    @property
    def last_line(self) -> int:
        """The number of the line data[-1] belongs to."""
        ends_line = self.data.endswith(b"\n")
        return self.first_line + self.newlines - (1 if ends_line else 0)


def blocks_of(stream: BinaryIO, first: bytes = b"", size: int = BLOCK_BYTES) -> Iterator[Block]:
    """The input (`first`, then the rest of `stream`) as blocks of whole lines.

    When reading fails (a .gz cut short or corrupt), what was read before is still yielded,
    then the error is raised.

    The input is read into one buffer, used again for every block: each block's bytes are then
    copied once. (Joining reads and cutting the result made three new objects of megabytes a
    block, and the pages of each new one fault in: 20 MB took 30-50 ms of a core, not 10.)
    """
    buffer = bytearray(max(size, len(first)) + READ_BYTES)
    buffer[: len(first)] = first
    held = len(first)  # buffer[:held] is read and not yet given
    offset = 0
    line = 1
    ended = False
    failure: BaseException | None = None
    # Buffered streams (files, stdin, gzip) read into the buffer; others (a raw stream may
    # not have readinto) are read and copied.
    readinto = stream.readinto if isinstance(stream, io.BufferedIOBase) else None

    def fill(wanted: int) -> None:
        """Read until `held` reaches `wanted`, or the end."""
        nonlocal buffer, held, ended, failure
        if len(buffer) < wanted:
            grown = bytearray(wanted + READ_BYTES)
            grown[:held] = memoryview(buffer)[:held]
            buffer = grown
        with memoryview(buffer) as view:
            try:
                while held < wanted:
                    # small reads: a failing one loses little
                    with view[held : min(wanted, held + READ_BYTES)] as part:
                        if readinto is not None:
                            got = readinto(part) or 0
                        else:
                            chunk = stream.read(len(part))
                            got = len(chunk)
                            part[:got] = chunk
                    if not got:
                        ended = True
                        break
                    held += got
            except (OSError, EOFError, zlib.error) as exc:
                failure, ended = exc, True

    def take(count: int, keep: int | None = None) -> bytes:
        """The first `keep` bytes held (all `count` by default); what follows the first
        `count` moves to the front."""
        nonlocal held
        with memoryview(buffer) as view:
            data = bytes(view[: count if keep is None else keep])
            with view[count:held] as rest:
                # bytearray copies a slice with memcpy: overlapping parts go through a copy
                buffer[: held - count] = bytes(rest) if held - count > count else rest
        held -= count
        return data

    while True:
        if not ended and held < size:
            fill(size)
        if not held:
            break
        cut = buffer.rfind(b"\n", 0, held) + 1
        if not cut and not ended:
            if held >= MAX_LINE:
                piece = take(MAX_LINE - OVERLAP, keep=MAX_LINE)
                yield Block(piece, offset, line, piece=True)
                offset += MAX_LINE - OVERLAP
            else:  # a long line: read on to its end
                fill(held + size)
            continue
        if ended:
            cut = held  # with the last line, which may have no newline
        data = take(cut)
        block = Block(data, offset, line, data.count(b"\n"))
        offset += cut
        line += block.newlines
        yield block
    if failure is not None:
        raise failure
