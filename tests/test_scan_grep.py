"""bot.scan.grep_engine with several grep processes: blocks answered in order, none lost."""

from __future__ import annotations

import io
import shutil

import pytest

from bot.scan import blocks, choose_engine, grep_engine, plan_for
from bot.scan.blocks import blocks_of

pytestmark = pytest.mark.skipif(shutil.which("grep") is None, reason="grep is not installed")

HEALTHY = b"2024-01-01T00:00:00Z\tabc\tINFO\tprocessed order 42 for customer c-7 in 3.1 ms\n"
CAUSES = [
    b"2024-01-01T00:00:00Z\tabc\tTask timed out after 3.00 seconds\n",
    b'{"message": "x\\tEACCES: permission denied, open \'\\/var\\/task\\/index.js\'"}\n',
    b"(abc) Method completed with status: 502\n",
]


def _log(lines: int) -> tuple[bytes, set[int]]:
    out, wanted = [], set()
    for number in range(1, lines + 1):
        if number % 97 == 0:
            out.append(CAUSES[number % len(CAUSES)])
            wanted.add(number)
        else:
            out.append(HEALTHY)
    return b"".join(out), wanted


@pytest.fixture
def engine(matcher, monkeypatch):
    monkeypatch.setattr(grep_engine, "SOLO_BLOCKS", 2)
    monkeypatch.setattr(grep_engine, "LANES", 2)
    monkeypatch.setattr(grep_engine.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(blocks, "READ_BYTES", 4096)  # blocks of 32 KB, not of 1 MB and more
    return choose_engine(plan_for(matcher), "grep")


def test_blocks_shared_by_two_greps_come_back_in_order_with_every_candidate(engine, monkeypatch):
    started = []

    class Counted(grep_engine._Lane):
        def __init__(self, *args) -> None:
            started.append(self)
            super().__init__(*args)

    monkeypatch.setattr(grep_engine, "_Lane", Counted)
    data, wanted = _log(20_000)
    offsets, proposed = [], set()
    for block, candidates in engine.candidates(blocks_of(io.BytesIO(data), size=32 * 1024)):
        offsets.append(block.offset)
        for _, position in candidates:
            proposed.add(block.first_line + block.data.count(b"\n", 0, position))
    assert len(offsets) > 20  # many blocks, most of them shared between the two greps
    assert offsets == sorted(offsets) and offsets[0] == 0
    assert proposed == wanted
    assert len(started) == 2


def test_a_scan_stopped_early_stops_its_greps(engine):
    data, _ = _log(20_000)
    scanning = engine.candidates(blocks_of(io.BytesIO(data), size=32 * 1024))
    for turn, _ in enumerate(scanning):
        if turn == 5:
            break
    scanning.close()  # the greps are killed and waited for; nothing hangs


def test_an_input_that_fails_midway_raises_its_error(engine):
    data, _ = _log(20_000)

    class Failing(io.RawIOBase):
        def __init__(self) -> None:
            self.given = 0

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            if self.given > 400_000:
                raise OSError("the disk went away")
            chunk = data[self.given : self.given + min(size, 16 * 1024)]
            self.given += len(chunk)
            return chunk

    with pytest.raises(OSError, match="disk went away"):
        for _ in engine.candidates(blocks_of(Failing(), size=32 * 1024)):
            pass
