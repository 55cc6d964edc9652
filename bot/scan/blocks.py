"""An input stream cut into blocks of whole lines, numbered, in bounded memory."""

from __future__ import annotations

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
    """
    carry = first
    offset = 0
    line = 1
    ended = False
    failure: BaseException | None = None

    def more(wanted: int) -> None:
        nonlocal carry, ended, failure
        parts = [carry]
        got = 0
        try:
            while got < wanted:
                chunk = stream.read(READ_BYTES)  # small reads: a failing one loses little
                if not chunk:
                    ended = True
                    break
                parts.append(chunk)
                got += len(chunk)
        except (OSError, EOFError, zlib.error) as exc:
            failure, ended = exc, True
        carry = b"".join(parts)

    while True:
        if not ended and len(carry) < size:
            more(size - len(carry))
        if not carry:
            break
        cut = carry.rfind(b"\n") + 1
        if not cut and not ended:
            if len(carry) >= MAX_LINE:
                yield Block(carry[:MAX_LINE], offset, line, piece=True)
                offset += MAX_LINE - OVERLAP
                carry = carry[MAX_LINE - OVERLAP :]
            else:  # a long line: read on to its end
                more(size)
            continue
        if ended:
            cut = len(carry)  # with the last line, which may have no newline
        data = carry[:cut]
        block = Block(data, offset, line, data.count(b"\n"))
        offset += cut
        line += block.newlines
        carry = carry[cut:]
        yield block
    if failure is not None:
        raise failure
