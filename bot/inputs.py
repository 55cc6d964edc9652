"""Reading what the user hands us: a file, or standard input, plain or gzip-compressed.

`open_input` opens either one as a stream of bytes (a `.gz` decompressed as it is read, known
by its first bytes, not its name) and reads its first STREAM_BYTES. An input that ends within
them is a paste, read whole as text (`InputText`); a longer one is streamed by bot.bigfile.

Every failure here is a `UsageError` with a one-line message; nothing here raises anything else.
"""

from __future__ import annotations

import os
import sys

from bot.core.record import Record
from bot.errors import UsageError

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import BinaryIO

# Inputs this long or longer are streamed through bot.scan instead of read whole.
STREAM_BYTES = 4 * 1024 * 1024
# What a whole read keeps at most (the newest part: in a log the newest lines matter most).
MAX_INPUT_BYTES = 32 * 1024 * 1024
_BINARY_SAMPLE = 8192
_GZIP_MAGIC = b"\x1f\x8b"


class InputText(Record):
    text: str
    source: str
    size: int  # bytes in the source
    truncated: bool  # True when only the last MAX_INPUT_BYTES were read

    @property
    def note(self) -> str | None:
        if not self.truncated:
            return None
        return (
            f"{self.source} is {self.size / 1048576:.0f} MB; "
            f"only its last {MAX_INPUT_BYTES // 1048576} MB were read"
        )


class OpenedInput(Record):
    """An input opened for reading, with its first bytes already read."""

    source: str  # the file name, or "standard input"
    stream: BinaryIO  # what follows `first` (decompressed for a .gz)
    first: bytes
    size_on_disk: int | None  # None for a pipe
    compressed: bool
    raw_file: BinaryIO | None = None  # the file under a gzip stream, for `position`

    @property
    def complete(self) -> bool:
        """True when `first` is the whole input."""
        return len(self.first) < STREAM_BYTES

    @property
    def is_insights_csv(self) -> bool:
        """A Logs Insights CSV export, whose rows may span lines: read whole, not streamed."""
        return b"@message" in self.first[:4096].split(b"\n", 1)[0]

    def position(self) -> int:
        """Bytes of the source consumed so far (compressed bytes for a .gz), for progress."""
        try:
            return (self.raw_file or self.stream).tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        for handle in (self.stream, self.raw_file):
            if handle is not None and handle is not getattr(sys.stdin, "buffer", None):
                handle.close()

    def __enter__(self) -> OpenedInput:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_input(source: str | None, *, peek: int = STREAM_BYTES) -> OpenedInput:
    """Open FILE, or standard input for None or '-', and read its first `peek` bytes."""
    if source in (None, "-"):
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("no input: give a FILE, or pipe the error text to standard input")
        return _opened("standard input", sys.stdin.buffer, None, peek)
    if not os.path.exists(source):
        raise UsageError(f"{source}: no such file")
    if os.path.isdir(source):
        raise UsageError(f"{source}: is a directory, not a file")
    try:
        handle = open(source, "rb")  # noqa: SIM115 (closed by OpenedInput.close)
    except PermissionError:
        raise UsageError(f"{source}: permission denied") from None
    except OSError as exc:
        raise UsageError(f"{source}: cannot be read ({exc.strerror or exc})") from None
    size = os.fstat(handle.fileno()).st_size or None  # pipes and special files report 0
    try:
        return _opened(source, handle, size, peek)
    except BaseException:
        handle.close()
        raise


def _opened(source: str, handle: BinaryIO, size: int | None, peek: int) -> OpenedInput:
    import zlib

    start = b""
    try:
        start = _peek_bytes(handle, 2)
        stream: BinaryIO = handle
        raw = None
        if start == _GZIP_MAGIC:
            import gzip
            from typing import BinaryIO, cast

            raw = handle
            stream = cast(BinaryIO, gzip.GzipFile(fileobj=cast(BinaryIO, _Prefixed(start, handle)), mode="rb"))
            first = _read_up_to(stream, peek)
        else:
            first = start + _read_up_to(handle, peek - len(start))
    except (EOFError, zlib.error, OSError) as exc:
        if start == _GZIP_MAGIC:
            raise UsageError(f"{source}: not a readable gzip file ({exc})") from None
        raise UsageError(f"{source}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if not first.strip():
        raise UsageError(f"{source} is empty: paste the error text, a log excerpt or a description")
    if looks_binary(first[:_BINARY_SAMPLE]):
        raise UsageError(f"{source} looks like a binary file, not log text")
    return OpenedInput(source, stream, first, size, raw is not None, raw)


def read_input(source: str | None, *, limit: int = MAX_INPUT_BYTES) -> InputText:
    """Read FILE, or standard input for None or '-', decoded as UTF-8 (bad bytes replaced);
    past `limit` bytes, the last `limit`."""
    with open_input(source, peek=min(limit, STREAM_BYTES)) as opened:
        return whole_text(opened, limit=limit)


def whole_text(opened: OpenedInput, *, limit: int = MAX_INPUT_BYTES) -> InputText:
    """The rest of an opened input read as text, keeping only its last `limit` bytes."""
    import zlib

    try:
        data, size = _read_stream_tail(opened.stream, limit, opened.first)
    except (EOFError, zlib.error, OSError) as exc:
        raise UsageError(f"{opened.source}: cannot be read to its end ({exc})") from None
    text = data.decode("utf-8", errors="replace").replace("\x00", "")
    truncated = size > limit
    if truncated:
        text = text.split("\n", 1)[-1]  # drop the partial first line
    return InputText(text=text, source=opened.source, size=size, truncated=truncated)


def _read_stream_tail(stream: BinaryIO, limit: int, first: bytes = b"") -> tuple[bytes, int]:
    """Read a stream to its end, keeping only its last `limit` bytes in memory."""
    kept = bytearray(first[-limit:])
    total = len(first)
    while chunk := stream.read(1 << 20):
        total += len(chunk)
        kept += chunk
        if len(kept) > 2 * limit:
            del kept[: len(kept) - limit]
    return bytes(kept[-limit:]), total


def _peek_bytes(handle: BinaryIO, count: int) -> bytes:
    data = b""
    while len(data) < count and (chunk := handle.read(count - len(data))):
        data += chunk
    return data


def _read_up_to(stream: BinaryIO, count: int) -> bytes:
    """`count` bytes, fewer only at the end of the input (a pipe delivers them piece by piece)."""
    parts = []
    while count > 0 and (chunk := stream.read(count)):
        parts.append(chunk)
        count -= len(chunk)
    return b"".join(parts)


class _Prefixed:
    """A file whose first bytes were already read: gzip reads them again through this."""

    def __init__(self, prefix: bytes, handle: BinaryIO) -> None:
        self._prefix = prefix
        self._handle = handle

    def read(self, size: int = -1) -> bytes:
        if self._prefix:
            head, self._prefix = self._prefix, b""
            if size < 0:
                return head + self._handle.read()
            return head + self._handle.read(max(0, size - len(head)))
        return self._handle.read(size)


def looks_binary(sample: bytes) -> bool:
    """Text has few control bytes; zip, images and executables have many (gzip is opened)."""
    if not sample:
        return False
    if sample.startswith((b"\x1f\x8b", b"PK\x03\x04", b"\x7fELF", b"\x89PNG")):
        return True
    control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13, 12, 27))
    return control / len(sample) > 0.10
