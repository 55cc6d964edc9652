"""Candidate lines from GNU grep, where Hyperscan has no wheel: `grep -E` for all signatures.

What grep looks for is chosen by bot.scan.literals: for most signatures the strings one of
which every match holds (grep's DFA reads those several times faster than the widened regexes),
for the rest the widened signature itself (bot.scan.patterns).

The input is piped through grep as it is read (so files, `.gz` and standard input are all
scanned the same way): one process, and past SOLO_BLOCKS blocks a second one, the two taking
turns with the blocks. After each block a sentinel line, which only grep's own extra pattern
matches, marks where the block ends in grep's output; so every candidate is known to belong to
a block still held in memory, and at most WINDOW blocks are ever unanswered.

grep prints whole matching lines, not `-o` matches: with a hundred patterns GNU grep's `-o` is
quadratic in the length of a matching line (20 KB: 1.6 s; one 8 MB piece: hours). Where a match
sits matters only on a line long enough to be clipped; there the words of `python_engine` find it.
"""

from __future__ import annotations

import contextlib
import os
import queue
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

LANES = 2  # grep processes at most, taking turns with the blocks (grep is the slow part)...
SOLO_BLOCKS = 8  # ...once this many blocks went to the first: a second grep's start-up costs
# more than it saves on a small log (20 MB: 0.22 s against 0.18 s)
WINDOW = 3  # blocks dealt to the lanes and not yet answered for (4 MB each: memory)
PIPE_BYTES = 1024 * 1024  # Linux's default ceiling for an unprivileged process
_ENV = {**os.environ, "LC_ALL": "C"}  # bytes, not characters: the patterns are written for that


class GrepEngine:
    name = "grep"

    def __init__(self, plan: ScanPlan) -> None:
        grep = shutil.which("grep")
        if not grep:
            raise EngineUnavailable("grep is not on the PATH")
        self._grep: str = grep
        self._words = _words_of(plan)
        # Cached once this grep has accepted them: a grep upgraded or replaced is asked again.
        self._patterns = cache_file(f"grep-{plan.key}-{_covers_version()}-{_identity(grep)}.ere")
        if not os.path.exists(self._patterns):
            self._patterns = self._accepted(plan)

    def _accepted(self, plan: ScanPlan) -> str:
        """The patterns written, tried on this grep, then cached: the path to read them from."""
        import tempfile

        try:
            expressions = grep_expressions([t.source for t in plan.targets], [t.literals for t in plan.targets])
        except Untranslatable as exc:
            raise EngineUnavailable(f"grep cannot take the signatures: {exc}") from None
        content = ("\n".join(expressions) + "\n").encode("latin-1")
        handle, private = tempfile.mkstemp(suffix=".ere")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        probe = subprocess.run(
            [self._grep, *_OPTIONS, "-f", private], input=b"", capture_output=True, env=_ENV, check=False,
        )  # exit status 1: nothing matched, the expected answer
        if probe.returncode not in (0, 1):
            os.unlink(private)
            raise EngineUnavailable(f"grep rejects the patterns: {probe.stderr.decode(errors='replace')[:200]}")
        write_atomically(self._patterns, content)
        if not os.path.exists(self._patterns):
            return private  # a read-only home: the file of our own, for this process
        os.unlink(private)
        return self._patterns

    def candidates(self, blocks: Iterable[Block]) -> Iterator[tuple[Block, Candidates]]:
        sentinel = f"@@badgateway-{os.urandom(12).hex()}@@".encode()
        command = [self._grep, *_OPTIONS, "-f", self._patterns, "-e", f"^{sentinel.decode()}$"]
        dealer = _Dealer(command, sentinel, max(1, min(LANES, os.cpu_count() or 1)))
        dealer.start(blocks)
        answers: dict[int, Iterator[tuple[Block, list[tuple[int, int]]]]] = {}
        try:
            while (taker := dealer.order.get()) is not None:  # the lane of each block, in order
                if taker not in answers:
                    answers[taker] = dealer.lanes[taker].answers()
                answer = next(answers[taker], None)
                if answer is None:
                    break  # grep stopped: found out below
                dealer.slots.release()
                block, lines = answer
                found: Candidates = []
                for start, length in lines:
                    found.extend(self._positions(block, start, length))
                yield block, found
        finally:
            dealer.stop()
        if dealer.failures:
            raise dealer.failures[0]  # reading the input failed (e.g. a corrupt .gz): the caller says so
        for lane in dealer.lanes:
            if lane.process.returncode not in (0, 1, -9) or lane.pending:
                raise EngineUnavailable(f"grep stopped early (exit status {lane.process.returncode})")

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


_OPTIONS = ("-E", "-i", "-a", "-b", "--line-buffered")


class _Dealer:
    """Deals the blocks to the lanes (a thread of its own), at most WINDOW unanswered, and
    says in `order` which lane took each block (None: no more)."""

    def __init__(self, command: list[str], sentinel: bytes, most: int) -> None:
        self.command, self.sentinel, self.most = command, sentinel, most
        self.lanes: list[_Lane] = []
        self.order: queue.Queue[int | None] = queue.Queue()
        self.slots = threading.Semaphore(WINDOW)
        self.failures: list[BaseException] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, blocks: Iterable[Block]) -> None:
        self.lanes.append(_Lane(self.command, self.sentinel))  # before the thread: errors show here
        self._thread = threading.Thread(target=self._deal, args=(blocks,), daemon=True)
        self._thread.start()

    def _deal(self, blocks: Iterable[Block]) -> None:
        try:
            for turn, block in enumerate(blocks):
                while not self.slots.acquire(timeout=0.2):
                    if self._stop.is_set():
                        return
                if turn >= SOLO_BLOCKS and len(self.lanes) < self.most:
                    self.lanes.append(_Lane(self.command, self.sentinel))
                taker = turn % len(self.lanes) if turn >= SOLO_BLOCKS else 0
                if self._stop.is_set() or not self.lanes[taker].give(block, self._stop):
                    return
                self.order.put(taker)
        except BaseException as exc:  # the input could not be read: handed to the reading side
            self.failures.append(exc)
        finally:
            for lane in self.lanes:
                lane.give(None, self._stop)
            self.order.put(None)

    def stop(self) -> None:
        self._stop.set()
        self.slots.release()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for lane in self.lanes:
            lane.close()


class _Lane:
    """One grep process, the blocks given to it and the thread that writes them to it."""

    def __init__(self, command: list[str], sentinel: bytes) -> None:
        self.sentinel = sentinel
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_ENV,
        )
        _widen_pipe(self.process.stdin)
        self.inbox: queue.Queue[Block | None] = queue.Queue(WINDOW)  # given, not yet written
        self.pending: deque[tuple[Block, int]] = deque()  # written, not yet answered: (block, offset)
        self.stopped = threading.Event()
        self.writer = threading.Thread(target=self._write, daemon=True)
        self.writer.start()

    def give(self, block: Block | None, stop: threading.Event) -> bool:
        """Hand `block` (None: the input ended) to this lane; False when the scan stopped."""
        while not stop.is_set():
            try:
                self.inbox.put(block, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _write(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        position = 0
        try:
            while not self.stopped.is_set():
                try:
                    block = self.inbox.get(timeout=0.2)
                except queue.Empty:
                    continue
                if block is None:
                    break
                data = block.data if block.data.endswith(b"\n") else block.data + b"\n"
                self.pending.append((block, position))
                stdin.write(data)
                stdin.write(self.sentinel + b"\n")
                position += len(data) + len(self.sentinel) + 1
        except (BrokenPipeError, ValueError, OSError):
            pass  # grep was stopped
        finally:
            with contextlib.suppress(OSError, ValueError):
                stdin.close()

    def answers(self) -> Iterator[tuple[Block, list[tuple[int, int]]]]:
        """Each block written, in order, with (start, length) of its lines grep printed."""
        assert self.process.stdout is not None
        lines: list[tuple[int, int]] = []
        for output in self.process.stdout:
            offset, _, line = output.partition(b":")
            if line.rstrip(b"\n") == self.sentinel:
                block, _ = self.pending.popleft()
                yield block, lines
                lines = []
            elif self.pending and offset.isdigit():
                lines.append((int(offset) - self.pending[0][1], len(line)))  # start in its block

    def close(self) -> None:
        self.stopped.set()
        self.process.kill()
        self.process.wait()
        with contextlib.suppress(OSError, ValueError):
            self.process.stdout.close()  # type: ignore[union-attr]
        self.writer.join(timeout=5)


def _covers_version() -> str:
    """A digest of bot.scan.literals, which chooses what grep looks for: part of the cache key."""
    from bot.core.kb.cache import hasher
    from bot.scan import literals

    digest = hasher()
    with open(literals.__file__, "rb") as handle:
        digest.update(handle.read())
    return digest.hexdigest()[:12]


def _identity(program: str) -> str:
    """Which grep this is, cheaply: its size and modification time."""
    try:
        status = os.stat(program)
    except OSError:
        return "0"
    return f"{status.st_size:x}{int(status.st_mtime):x}"


def _words_of(plan: ScanPlan) -> list[bytes]:
    """One word of each signature, to place a match on a long line (empty: some have none)."""
    try:
        return sorted(signature_words(plan))
    except EngineUnavailable:
        return []


def _widen_pipe(pipe) -> None:
    """A pipe of 1 MB, not 64 KB: grep then reads in big chunks instead of switching with the
    writer every 64 KB. Linux only; elsewhere the pipe stays as it is."""
    import fcntl

    with contextlib.suppress(AttributeError, OSError):
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
