"""Candidate lines found by Python alone, for machines with neither Hyperscan nor grep.

One word of each signature's required literals (bot.core.matching.prefilter.raw_word) is looked for with
bytes.find in the lower-cased block: slower than the others, and just as complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bot.core.matching.prefilter import raw_word
from bot.scan.blocks import Block
from bot.scan.engine import Candidates, EngineUnavailable
from bot.scan.plan import ScanPlan


class PythonEngine:
    name = "python"

    def __init__(self, plan: ScanPlan) -> None:
        self._words = signature_words(plan)

    def candidates(self, blocks: Iterable[Block]) -> Iterator[tuple[Block, Candidates]]:
        for block in blocks:
            lowered = block.data.lower()
            found: Candidates = []
            for word, indexes in self._words.items():
                position = lowered.find(word)
                while position >= 0:
                    found.extend((index, position) for index in indexes)
                    position = lowered.find(word, position + len(word))
            yield block, found


def signature_words(plan: ScanPlan) -> dict[bytes, list[int]]:
    """word -> the targets it stands for: one word of each literal a target requires.

    EngineUnavailable when a signature has none (then only a pattern engine can scan for it).
    """
    words: dict[bytes, list[int]] = {}
    for target in plan.targets:
        if not target.literals:
            raise EngineUnavailable(f"signature {target.name} has no literal to look for")
        for literal in target.literals:
            word = raw_word(literal)
            if word is None:
                raise EngineUnavailable(f"signature {target.name} has no word to look for")
            words.setdefault(word.encode(), []).append(target.number)
    return words
