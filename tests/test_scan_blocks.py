"""bot.scan.blocks: any input cut into numbered blocks of whole lines, nothing lost."""

from __future__ import annotations

import io
import random

import pytest

from bot.scan import blocks


@pytest.mark.parametrize("seed", range(300))
def test_blocks_cover_the_input_with_whole_lines_and_right_numbers(seed, monkeypatch):
    rng = random.Random(seed)
    monkeypatch.setattr(blocks, "MAX_LINE", 1000)
    monkeypatch.setattr(blocks, "OVERLAP", 100)
    size = rng.choice([7, 64, 512])
    monkeypatch.setattr(blocks, "READ_BYTES", rng.choice([1, 5, size]))
    data = b"".join(
        b"x" * rng.choice([0, 1, 5, 50, 300, 2000]) + (b"\n" if rng.random() < 0.9 else b"")
        for _ in range(rng.randint(0, 30))
    )
    split = rng.randint(0, len(data))
    found = list(blocks.blocks_of(io.BytesIO(data[split:]), data[:split], size=size))
    covered: set[int] = set()
    for block in found:
        assert data[block.offset : block.offset + len(block.data)] == block.data
        assert block.first_line == data[: block.offset].count(b"\n") + 1
        assert len(block.data) <= max(split, 1000) + 2 * size  # memory does not follow the input
        covered.update(range(block.offset, block.offset + len(block.data)))
    assert covered == set(range(len(data)))
    whole = [block for block in found if not block.piece]
    assert all(block.data.endswith(b"\n") for block in whole[:-1])


def test_what_was_read_before_a_failing_read_is_still_given():
    class Failing(io.RawIOBase):
        def __init__(self) -> None:
            self.calls = 0

        def read(self, size: int = -1) -> bytes:
            self.calls += 1
            if self.calls > 2:
                raise EOFError("Compressed file ended before the end-of-stream marker was reached")
            return b"line one\nline two"

    found = []
    with pytest.raises(EOFError):
        for block in blocks.blocks_of(Failing(), size=1 << 20):
            found.append(block)
    assert b"".join(block.data for block in found) == b"line one\nline twoline one\nline two"
