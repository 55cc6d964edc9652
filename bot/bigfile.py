"""Big log files: let grep pick the lines worth reading, then match only those.

A 20 MB log is mostly healthy lines. `grep -F -i` finds the few that hold a word of some
signature an order of magnitude faster than Python can scan for each signature in turn. The
selection is a superset: every line a signature can match holds one of the words (see
`bot.core.prefilter.grep_words`), so the diagnosis is the same as reading the whole file.
Line numbers are kept by putting empty lines where the others were.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import TYPE_CHECKING

from bot.inputs import MAX_INPUT_BYTES, InputText

if TYPE_CHECKING:
    from bot.core.prefilter import GrepPrefilter

PREFILTER_MIN_BYTES = 4 * 1024 * 1024  # below this, reading it all in Python is as fast
# (bot.commands.diagnose.BIG_FILE_BYTES repeats it, so that small pastes never import this module)
HEAD_LINES = 200  # the start of a file is kept whole: it is where people write their words


def read_big_file(
    path: str | None, prefilter: GrepPrefilter | None, *, min_bytes: int = PREFILTER_MIN_BYTES
) -> InputText | None:
    """The file reduced to its candidate lines, or None when the ordinary read should be used."""
    grep = shutil.which("grep")
    if not grep or not prefilter or not path or path == "-" or not os.path.isfile(path):
        return None
    size = os.path.getsize(path)
    if size < min_bytes:
        return None
    with open(path, "rb") as handle:
        head = handle.read(65536)
    from bot.inputs import looks_binary

    if looks_binary(head[:8192]) or b"@message" in head.split(b"\n", 1)[0]:
        return None  # binary: the ordinary read says so; CSV rows may span lines: read it all
    selected = _grep_line_numbers(grep, path, prefilter)
    if selected is None:
        return None
    text = _with_line_numbers_kept(head, selected)
    truncated = len(text) > MAX_INPUT_BYTES
    if truncated:
        text = text[-MAX_INPUT_BYTES:].split("\n", 1)[-1]
    return InputText(text=text, source=path, size=size, truncated=truncated)


def _grep_line_numbers(grep: str, path: str, prefilter: GrepPrefilter) -> bytes | None:
    """`N:line` output of the greps of `prefilter`, run side by side, merged in line order."""
    listings = []
    processes = []
    runs = [("-F", prefilter.words), ("-E", prefilter.extended)]
    runs += [("-P", (pattern,)) for pattern in prefilter.perl]  # grep -P takes one pattern
    try:
        for flag, items in runs:
            if not items:
                continue
            with tempfile.NamedTemporaryFile(
                "w", suffix=".grep", delete=False, encoding="utf-8"
            ) as listing:
                listing.write("\n".join(items) + "\n")
            listings.append(listing.name)
            processes.append(subprocess.Popen(
                [grep, flag, "-i", "-n", "-a", "-f", listing.name, path],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "LC_ALL": "C"},
            ))
        outputs = []
        for process in processes:
            out, _ = process.communicate(timeout=120)
            if process.returncode not in (0, 1):  # 1: no line matched, which is an answer too
                return None  # e.g. a grep without -P: read the whole file instead
            outputs.append(out)
    except (OSError, subprocess.SubprocessError):
        for process in processes:
            process.kill()
        return None
    finally:
        for name in listings:
            os.unlink(name)
    if len(outputs) == 1:
        return outputs[0]
    lines: dict[int, bytes] = {}
    for out in outputs:
        for raw in out.split(b"\n"):
            number, _, _ = raw.partition(b":")
            if number.isdigit():
                lines[int(number)] = raw
    return b"\n".join(lines[n] for n in sorted(lines))


def _with_line_numbers_kept(head: bytes, grep_output: bytes) -> str:
    head_lines = head.split(b"\n")[:HEAD_LINES]
    if len(head_lines) == HEAD_LINES or not head.endswith(b"\n"):
        head_lines = head_lines[:-1]  # the last one may be cut in the middle
    pieces = [line.decode("utf-8", "replace") for line in head_lines]
    current = len(pieces)  # lines written so far
    for raw in grep_output.split(b"\n"):
        number, _, line = raw.partition(b":")
        if not number.isdigit():
            continue
        index = int(number) - 1
        if index < current:
            continue  # already in the head
        pieces.extend([""] * (index - current))
        pieces.append(line.decode("utf-8", "replace").replace("\x00", ""))
        current = index + 1
    return "\n".join(pieces)
