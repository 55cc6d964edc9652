"""Candidate lines from GNU grep, where Hyperscan has no wheel: one `grep -E` for all signatures.

What grep looks for is chosen by bot.scan.literals: for most signatures the strings one of
which every match holds (grep's DFA runs an order of magnitude faster on those than on the
widened regexes), for the rest the widened signature itself (bot.scan.patterns).

The input is piped through one grep process as it is read (so files, `.gz` and standard input
are all scanned the same way). After each block a sentinel line, which only grep's own extra
pattern matches, marks where the block ends in grep's output; so every candidate is known to
belong to a block still held in memory, and at most WINDOW blocks are ever held.

grep prints whole matching lines, not `-o` matches: with a hundred patterns GNU grep's `-o` is
quadratic in the length of a matching line (20 KB: 1.6 s; one 8 MB piece: hours). Where a match
sits matters only on a line long enough to be clipped; there the words of `python_engine` find it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Iterable, Iterator

from bot.scan.blocks import Block
from bot.scan.engine import Candidates, EngineUnavailable, cache_file, write_atomically
from bot.scan.literals import grep_expressions
from bot.scan.patterns import Untranslatable
from bot.scan.plan import ScanPlan
from bot.scan.python_engine import signature_words
from bot.scan.selection import MAX_KEPT_LINE

PIPE_BYTES = 1024 * 1024  # Linux's default ceiling for an unprivileged process
WINDOW = 3  # blocks written to grep and not yet answered for
_ENV = {**os.environ, "LC_ALL": "C"}  # bytes, not characters: the patterns are written for that
_PROBED: dict[tuple[str, str], str] = {}  # (grep, patterns) -> "" or why grep refused them


class GrepEngine:
    name = "grep"

    def __init__(self, plan: ScanPlan) -> None:
        grep = shutil.which("grep")
        if not grep:
            raise EngineUnavailable("grep is not on the PATH")
        self._grep: str = grep
        self._words = _words_of(plan)
        self._patterns = cache_file(f"grep-{plan.key}-{_covers_version()}.ere")
        if not os.path.exists(self._patterns):
            try:
                expressions = grep_expressions(
                    [t.source for t in plan.targets], [t.literals for t in plan.targets]
                )
            except Untranslatable as exc:
                raise EngineUnavailable(f"grep cannot take the signatures: {exc}") from None
            write_atomically(self._patterns, ("\n".join(expressions) + "\n").encode("latin-1"))
            if not os.path.exists(self._patterns):  # a read-only home: a file of our own
                self._patterns = _private_copy(expressions)
        problem = _PROBED.get((self._grep, self._patterns))
        if problem is None:
            probe = subprocess.run(
                [self._grep, "-E", "-i", "-a", "-b", "--line-buffered", "-f", self._patterns],
                input=b"", capture_output=True, env=_ENV, check=False,
            )  # exit status 1: nothing matched, the expected answer
            problem = "" if probe.returncode in (0, 1) else probe.stderr.decode(errors="replace")[:200]
            _PROBED[(self._grep, self._patterns)] = problem
        if problem:
            raise EngineUnavailable(f"grep rejects the patterns: {problem}")

    def candidates(self, blocks: Iterable[Block]) -> Iterator[tuple[Block, Candidates]]:
        sentinel = f"@@badgateway-{secrets.token_hex(12)}@@".encode()
        process = subprocess.Popen(
            [self._grep, "-E", "-i", "-a", "-b", "--line-buffered", "-f", self._patterns,
             "-e", f"^{sentinel.decode()}$"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_ENV,
        )
        assert process.stdin is not None and process.stdout is not None
        _widen_pipe(process.stdin)
        pending: deque[tuple[Block, int]] = deque()  # written, not yet answered: (block, offset)
        slots = threading.Semaphore(WINDOW)
        stop = threading.Event()
        failures: list[BaseException] = []
        writer = threading.Thread(
            target=_feed, args=(process.stdin, blocks, sentinel, pending, slots, stop, failures),
            daemon=True,
        )
        writer.start()
        found: Candidates = []
        try:
            for output in process.stdout:
                offset, _, line = output.partition(b":")
                if line.rstrip(b"\n") == sentinel:
                    block, _ = pending.popleft()
                    slots.release()
                    yield block, found
                    found = []
                elif pending and offset.isdigit():
                    start = int(offset) - pending[0][1]  # where the line starts in its block
                    found.extend(self._positions(pending[0][0], start, len(line)))
        finally:
            stop.set()
            slots.release()
            process.kill()
            process.wait()
            writer.join(timeout=5)
        if failures:
            raise failures[0]  # reading the input failed (e.g. a corrupt .gz): the caller says so
        if process.returncode not in (0, 1, -9) or pending:
            raise EngineUnavailable(f"grep stopped early (exit status {process.returncode})")


    def _positions(self, block: Block, start: int, length: int) -> Candidates:
        """Candidates for the matching line at `start`: its start, or on a line that will be
        clipped, where each of the signatures' words is found in it."""
        if length <= MAX_KEPT_LINE or not self._words:
            return [(None, start)]
        lowered = block.data[start : start + length].lower()
        found: Candidates = []
        for word in self._words:
            at = lowered.find(word)
            if at >= 0:
                found.append((None, start + at))
        return found or [(None, start)]


def _covers_version() -> str:
    """A digest of bot.scan.literals, which chooses what grep looks for: part of the cache key."""
    import hashlib

    from bot.scan import literals

    with open(literals.__file__, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def _words_of(plan: ScanPlan) -> list[bytes]:
    """One word of each signature, to place a match on a long line (empty: some have none)."""
    try:
        return sorted(signature_words(plan))
    except EngineUnavailable:
        return []


def _feed(stdin, blocks, sentinel, pending, slots, stop, failures) -> None:
    """Write every block, then its sentinel line, to grep (on a thread of its own)."""
    position = 0
    try:
        for block in blocks:
            while not slots.acquire(timeout=0.2):
                if stop.is_set():
                    return
            if stop.is_set():
                return
            data = block.data if block.data.endswith(b"\n") else block.data + b"\n"
            pending.append((block, position))
            stdin.write(data)
            stdin.write(sentinel + b"\n")
            position += len(data) + len(sentinel) + 1
    except (BrokenPipeError, ValueError):
        pass  # grep was stopped
    except BaseException as exc:  # the input could not be read: handed to the reading side
        failures.append(exc)
    finally:
        with contextlib.suppress(OSError, ValueError):
            stdin.close()


def _widen_pipe(pipe) -> None:
    """A pipe of 1 MB, not 64 KB: grep then reads in big chunks instead of switching with the
    writer every 64 KB (a fifth of grep's time on a 20 MB log). Linux only; else as it is."""
    import fcntl

    with contextlib.suppress(AttributeError, OSError):
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _private_copy(expressions: list[str]) -> str:
    import tempfile

    handle, path = tempfile.mkstemp(suffix=".ere")
    with os.fdopen(handle, "wb") as out:
        out.write(("\n".join(expressions) + "\n").encode("latin-1"))
    return path
