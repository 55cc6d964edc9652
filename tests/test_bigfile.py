"""The grep prefilter for big files gives exactly the diagnosis of reading the whole text."""

from __future__ import annotations

import shutil

import pytest
import yaml

from bot.bigfile import read_big_file
from bot.core.prefilter import required_literals, to_posix_ere

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not shutil.which("grep"), reason="needs grep")


def all_texts(knowledge) -> list[str]:
    corpus = yaml.safe_load((ROOT / "tests" / "corpus" / "real_world.yaml").read_text(encoding="utf-8"))
    texts = [item["text"] for item in corpus]
    for entry in knowledge.entries:
        texts.extend(entry.examples_match)
        texts.extend(entry.examples_no_match)
    return texts


def test_prefiltered_file_diagnoses_like_the_whole_text(matcher, knowledge, tmp_path):
    """Every corpus text and entry example, buried in healthy log lines, read through grep."""
    prefilter = matcher.grep_prefilter()
    assert prefilter is not None
    filler = "2024-01-01T00:00:00.000Z\t0f1e\tINFO\torder 42 processed in 12 ms\n" * 50
    for number, text in enumerate(all_texts(knowledge)):
        log = tmp_path / f"{number}.log"
        log.write_text(filler + text + "\n" + filler, encoding="utf-8")
        reduced = read_big_file(str(log), prefilter, min_bytes=0)
        assert reduced is not None
        whole = matcher.diagnose(log.read_text(encoding="utf-8"))
        fast = matcher.diagnose(reduced.text)
        assert [m.id for m in fast.matches] == [m.id for m in whole.matches], text[:200]
        assert [m.evidence for m in fast.matches] == [m.evidence for m in whole.matches], text[:200]


def test_line_numbers_survive_the_prefilter(matcher, tmp_path):
    log = tmp_path / "numbers.log"
    lines = ["healthy line"] * 500 + ["Task timed out after 3.00 seconds"] + ["healthy"] * 10
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reduced = read_big_file(str(log), matcher.grep_prefilter(), min_bytes=0)
    evidence = matcher.diagnose(reduced.text).matches[0].evidence[0]
    assert evidence.line_number == 501


def test_small_files_csv_and_binary_are_read_the_ordinary_way(matcher, tmp_path):
    small = tmp_path / "small.log"
    small.write_text("Task timed out after 3.00 seconds\n", encoding="utf-8")
    assert read_big_file(str(small), matcher.grep_prefilter()) is None
    csv = tmp_path / "export.csv"
    csv.write_text("@timestamp,@message\n" + "x\n" * 10, encoding="utf-8")
    assert read_big_file(str(csv), matcher.grep_prefilter(), min_bytes=0) is None
    assert read_big_file("-", matcher.grep_prefilter(), min_bytes=0) is None


def test_required_literals_and_ere_translation():
    assert required_literals(r"\btoomanyrequestsexception\b") == ("toomanyrequestsexception",)
    assert required_literals(r"\b(?:typeerror|rangeerror): \S") == ("typeerror", "rangeerror")
    assert required_literals(r"a+b") is None
    assert to_posix_ere(r"status: ?50\d(?:\.\d+)?") == r"status: ?50[0-9](\.[0-9]+)?"
    assert to_posix_ere(r"(?=x)y") is None
    assert to_posix_ere(r"size: (\d+) mb max used: \1 mb") is None  # back-reference: grep -P


def test_the_command_and_the_module_agree_on_what_is_big():
    from bot.bigfile import PREFILTER_MIN_BYTES
    from bot.commands.diagnose import BIG_FILE_BYTES

    assert BIG_FILE_BYTES == PREFILTER_MIN_BYTES
