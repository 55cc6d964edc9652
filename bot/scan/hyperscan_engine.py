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
        found: Candidates = []

        def on_match(index: int, start: int, end: int, flags: int, context: object) -> None:
            found.append((index, end - 1))  # a position inside the line (matches are never empty)

        for block in blocks:
            found = []
            self._database.scan(block.data, match_event_handler=on_match, scratch=self._scratch)
            yield block, found

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
