"""Candidate lines from Hyperscan: every signature at once, one pass, gigabytes a second.

The compiled database is cached on disk (compiling takes about a second; loading it, under a
millisecond), keyed by the plan, the Hyperscan version and the machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from bot.scan.blocks import Block
from bot.scan.engine import Candidates, EngineUnavailable, cache_file, write_atomically
from bot.scan.patterns import HYPERSCAN, Untranslatable, raw_patterns
from bot.scan.plan import ScanPlan


class _ScanThread:
    """One block's scan on a thread of its own. (Not concurrent.futures: its import, logging
    with it, costs 8-10 ms of a 20 MB diagnosis that takes 150.)"""

    def __init__(self, scan, block: Block, scratch: object) -> None:  # type: ignore[no-untyped-def]
        import threading

        self.scratch = scratch
        self._result: Candidates = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(scan, block, scratch), name="badgateway-scan", daemon=True
        )
        self._thread.start()

    def _run(self, scan, block: Block, scratch: object) -> None:  # type: ignore[no-untyped-def]
        try:
            self._result = scan(block, scratch)
        except BaseException as exc:  # raised on the reading side, by outcome()
            self._error = exc

    def join(self) -> None:
        self._thread.join()

    def outcome(self) -> Candidates:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what this process may use (containers, taskset)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class HyperscanEngine:
    name = "hyperscan"

    def __init__(self, plan: ScanPlan) -> None:
        try:
            import hyperscan
        except ImportError:
            raise EngineUnavailable("the hyperscan package is not installed") from None
        self._hyperscan = hyperscan
        self._database = self._load(plan)
        self._scratch = hyperscan.Scratch(self._database)  # a loaded database comes without one

    def candidates(self, blocks: Iterable[Block]) -> Iterator[tuple[Block, Candidates]]:
        """Each block with its candidates, in order. With two cores or more, blocks are scanned
        two at a time on threads of their own (Hyperscan lets go of the GIL while it scans; each
        thread has its own scratch): on an idle 2-core machine, 20 MB in 15 ms instead of 29."""
        if _cores() < 2:
            for block in blocks:
                yield block, self._scan(block, self._scratch)
            return
        from collections import deque

        free: list[object] = [self._scratch, self._hyperscan.Scratch(self._database)]
        pending: deque[tuple[Block, _ScanThread]] = deque()  # oldest first
        failure: BaseException | None = None
        iterator = iter(blocks)
        try:
            while True:
                try:
                    block = next(iterator)
                except StopIteration:
                    break
                except Exception as exc:  # a .gz cut short: what was read is still answered, then this
                    failure = exc
                    break
                ready = None
                if not free:  # both scratches busy: the oldest block's scan ends first
                    done, thread = pending.popleft()
                    ready = (done, thread.outcome())
                    free.append(thread.scratch)
                thread = _ScanThread(self._scan, block, free.pop())
                pending.append((block, thread))
                if ready is not None:  # handed back while two scans run
                    yield ready
            while pending:
                done, thread = pending.popleft()
                yield done, thread.outcome()
        finally:
            for _, thread in pending:  # the caller stopped early: no scan outlives the scratches
                thread.join()
        if failure is not None:
            raise failure

    def _scan(self, block: Block, scratch: object) -> Candidates:
        found: Candidates = []

        def on_match(index: int, start: int, end: int, flags: int, context: object) -> None:
            found.append((index, end - 1))  # a position inside the line (matches are never empty)

        self._database.scan(block.data, match_event_handler=on_match, scratch=scratch)
        return found

    def _load(self, plan: ScanPlan):
        hyperscan = self._hyperscan
        version = getattr(hyperscan, "__version__", "0")
        machine = os.uname().machine if hasattr(os, "uname") else os.name  # (platform costs 2 ms)
        path = cache_file(f"hyperscan-{plan.key}-{version}-{machine}.db")
        try:
            with open(path, "rb") as handle:
                return hyperscan.loadb(handle.read(), hyperscan.HS_MODE_BLOCK)
        except (OSError, hyperscan.error, TypeError, ValueError):
            pass  # not cached yet, or built for another CPU: compile it
        try:
            expressions = raw_patterns(
                [t.source for t in plan.targets], [t.literals for t in plan.targets], HYPERSCAN
            )
            database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            database.compile(
                expressions=[e.encode("ascii") for e in expressions],
                ids=[t.number for t in plan.targets],
                elements=len(expressions),
                flags=hyperscan.HS_FLAG_CASELESS,
            )
        except (Untranslatable, hyperscan.error) as exc:
            raise EngineUnavailable(f"hyperscan cannot take the signatures: {exc}") from None
        write_atomically(path, hyperscan.dumpb(database))
        return database
