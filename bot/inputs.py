"""Reading what the user hands us: a file, or standard input, as text.

Every failure here is a `UsageError` with a one-line message; nothing here raises anything else.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from bot.errors import UsageError

# Past this we keep the end of the input: in a log the newest lines are the ones that matter.
MAX_INPUT_BYTES = 32 * 1024 * 1024
_BINARY_SAMPLE = 8192


@dataclass(frozen=True)
class InputText:
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


def read_input(source: str | None, *, limit: int = MAX_INPUT_BYTES) -> InputText:
    """Read FILE, or standard input for None or '-', decoded as UTF-8 (bad bytes replaced)."""
    if source in (None, "-"):
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("no input: give a FILE, or pipe the error text to standard input")
        data, size = _read_stream_tail(sys.stdin.buffer, limit)
        return _decode(data, "standard input", size, limit)
    if not os.path.exists(source):
        raise UsageError(f"{source}: no such file")
    if os.path.isdir(source):
        raise UsageError(f"{source}: is a directory, not a file")
    try:
        with open(source, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                handle.seek(size - limit)
            data = handle.read(limit) if size else handle.read(limit + 1)[:limit]
            if not size:  # pipes and special files report size 0
                size = len(data)
    except PermissionError:
        raise UsageError(f"{source}: permission denied") from None
    except OSError as exc:
        raise UsageError(f"{source}: cannot be read ({exc.strerror or exc})") from None
    return _decode(data, source, size, limit)


def _read_stream_tail(stream, limit: int) -> tuple[bytes, int]:
    """Read a stream to its end, keeping only its last `limit` bytes in memory."""
    kept = bytearray()
    total = 0
    while chunk := stream.read(1 << 20):
        total += len(chunk)
        kept += chunk
        if len(kept) > 2 * limit:
            del kept[: len(kept) - limit]
    return bytes(kept[-limit:]), total


def _decode(data: bytes, source: str, size: int, limit: int) -> InputText:
    if not data.strip():
        raise UsageError(f"{source} is empty: paste the error text, a log excerpt or a description")
    if looks_binary(data[:_BINARY_SAMPLE]):
        raise UsageError(f"{source} looks like a binary file, not log text")
    text = data.decode("utf-8", errors="replace").replace("\x00", "")
    truncated = size > limit
    if truncated:
        text = text.split("\n", 1)[-1]  # drop the partial first line
    return InputText(text=text, source=source, size=size, truncated=truncated)


def looks_binary(sample: bytes) -> bool:
    """Text has few control bytes; gzip, zip, images and executables have many."""
    if not sample:
        return False
    if sample.startswith((b"\x1f\x8b", b"PK\x03\x04", b"\x7fELF", b"\x89PNG")):
        return True
    control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13, 12, 27))
    return control / len(sample) > 0.10
