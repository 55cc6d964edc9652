"""A big log streamed through bot.scan gives exactly the diagnosis of reading the whole text.

Every engine is checked: Hyperscan, the grep fallback and the Python one, on every corpus text
and entry example buried in healthy lines (past the start that is always kept, in a text long
enough not to be a paste).
"""

from __future__ import annotations

import io
import json
import shutil

import pytest
import yaml

from bot.core.matching.matcher import FUZZY_MAX_TEXT
from bot.core.matching.normalize import normalize
from bot.core.matching.runtime import detect_runtime
from bot.scan import choose_engine, plan_for, scan
from bot.scan.engine import EngineUnavailable
from bot.scan.selection import HEAD_LINES

from .conftest import ROOT

FILLER_LINE = (
    "2024-01-01T00:00:00.000Z\t0f1e2d3c-aaaa-4bbb-8ccc-0123456789ab\tINFO\tcache stats "
    + " ".join(f"shard{n}=hits:{n * 7} misses:{n % 3}" for n in range(24)) + "\n"
)
BEFORE = HEAD_LINES + 40  # the buried text starts past the start of the file that is kept whole
AFTER = max(10, (FUZZY_MAX_TEXT - BEFORE * len(FILLER_LINE)) // len(FILLER_LINE) + 10)  # no paste


def engines() -> list[str]:
    found = ["python"]
    if shutil.which("grep"):
        found.append("grep")
    try:
        import hyperscan  # noqa: F401

        found.append("hyperscan")
    except ImportError:
        pass
    return found


def sample_texts(knowledge) -> list[str]:
    """Texts of every kind, a fixed sample (each one buried costs a tenth of a second per engine):
    a few examples of each entry, matching and not, and every CORPUS_STEP-th real paste."""
    corpus = yaml.safe_load((ROOT / "tests" / "corpus" / "real_world.yaml").read_text(encoding="utf-8"))
    texts = [item["text"] for item in corpus[::CORPUS_STEP]]
    for entry in knowledge.entries:
        texts.extend(entry.examples_match[:EXAMPLES_PER_ENTRY])
        texts.extend(entry.examples_no_match[:1])
    return texts


CORPUS_STEP = 6
EXAMPLES_PER_ENTRY = 4


def buried(text: str) -> str:
    return FILLER_LINE * BEFORE + text + "\n" + FILLER_LINE * AFTER


_ENGINES: dict[str, object] = {}


def scanned(matcher, data: bytes, engine: str, **options):
    plan = plan_for(matcher)
    if engine not in _ENGINES:  # built once: the grep engine checks grep takes its patterns
        _ENGINES[engine] = choose_engine(plan, engine)
    result = scan(io.BytesIO(data), plan, engine=_ENGINES[engine], **options)
    return result, matcher.diagnose(result.text, line_numbers=result.line_numbers)


def summary(diagnosis, *, with_line_numbers: bool) -> dict:
    return {
        "language": diagnosis.language,
        "runtime": diagnosis.runtime,
        "matches": [
            (m.id, m.score, m.keywords, [(d.path, d.message["en"]) for d in m.details],
             [(e.signature, e.line, e.line_number if with_line_numbers else None) for e in m.evidence])
            for m in diagnosis.matches
        ],
    }


@pytest.fixture(scope="module")
def whole_diagnoses(matcher, knowledge):
    """(text, the diagnosis of the whole buried text read as a paste is read) for every text."""
    return [(text, matcher.diagnose(buried(text))) for text in sample_texts(knowledge)]


@pytest.mark.parametrize("engine", engines())
def test_scanned_log_diagnoses_like_the_whole_text(matcher, whole_diagnoses, engine):
    for text, whole in whole_diagnoses:
        log = buried(text)
        _, fast = scanned(matcher, log.encode("utf-8"), engine)
        # normalize() turns a JSON line into several: the whole text numbers those, the scan
        # gives the original line numbers (checked in test_json_lines_keep_their_line_number).
        same_lines = normalize(log).count("\n") == log.count("\n")
        expected = summary(whole, with_line_numbers=same_lines)
        got = summary(fast, with_line_numbers=same_lines)
        if whole.runtime is None and fast.runtime is not None:
            # The whole text's runtime is looked for in its start and around its evidence; the
            # scan's selection holds more of the text (its prose, the lines around): it may see
            # the runtime the whole text shows, never another.
            assert fast.runtime == detect_runtime(normalize(log)), text[:300]
            got["runtime"] = None
        assert got == expected, text[:300]


@pytest.mark.parametrize("engine", engines())
def test_line_numbers_are_the_original_ones(matcher, engine):
    lines = ["healthy line"] * 5000 + ["Task timed out after 3.00 seconds"] + ["healthy"] * 10
    _, diagnosis = scanned(matcher, "\n".join(lines).encode(), engine)
    assert diagnosis.matches[0].id == "function-timeout"
    assert diagnosis.matches[0].evidence[0].line_number == 5001


@pytest.mark.parametrize("engine", engines())
def test_json_lines_keep_their_line_number(matcher, engine):
    record = {"timestamp": 1, "message": "2024-01-01T00:00:00Z abc\tTask timed out after 3.00 seconds"}
    lines = [FILLER_LINE.rstrip("\n")] * 400 + [json.dumps(record)] + [FILLER_LINE.rstrip("\n")] * 10
    _, diagnosis = scanned(matcher, "\n".join(lines).encode(), engine)
    assert diagnosis.matches[0].id == "function-timeout"
    assert {e.line_number for e in diagnosis.matches[0].evidence} == {401}


@pytest.mark.parametrize("engine", engines())
def test_escaped_forms_of_a_signature_are_found(matcher, engine):
    """Tabs for spaces, JSON escapes and HTML escapes: the raw line differs from what the
    matcher reads, and the scan still proposes it."""
    lines = [
        json.dumps({"message": "x\tError: Cannot find module 'aws-sdk'\nRequire stack:"}),
        "abc\tTask\ttimed out after 3.00 seconds",
        json.dumps({"log": "EACCES: permission denied, open '/var/task/index.js'"}).replace("/", "\\/"),
    ]
    data = (FILLER_LINE * BEFORE + "\n".join(lines) + "\n" + FILLER_LINE * 10).encode()
    result, diagnosis = scanned(matcher, data, engine)
    ids = [m.id for m in diagnosis.matches]
    assert {"import-module-error", "function-timeout", "package-permission-denied"} <= set(ids), ids
    assert {n for n in result.line_numbers if n > BEFORE} >= {BEFORE + 1, BEFORE + 2, BEFORE + 3}


@pytest.mark.parametrize("engine", engines())
def test_evidence_stays_bounded_however_many_lines_match(matcher, engine):
    """30,000 matching lines: each is counted, a few are kept, memory does not follow."""

    class Endless:
        line = b"2024-01-01T00:00:00Z abc Task timed out after 3.00 seconds\n"

        def __init__(self, count: int) -> None:
            self.left = count

        def read(self, size: int) -> bytes:
            lines = min(self.left, max(1, size // len(self.line)))
            self.left -= lines
            return self.line * lines

    result = scan(Endless(30_000), plan_for(matcher), engine=engine)
    assert result.matched["function-timeout"] == 30_000
    assert result.lines == 30_000
    assert len(result.text) < 100_000  # the start of the file and a few lines around the first hits


@pytest.mark.parametrize("engine", engines())
def test_a_line_of_20_mb_is_read_in_pieces_without_losing_a_signature(matcher, engine):
    from bot.scan.blocks import MAX_LINE

    line = b"x" * (MAX_LINE - 10) + b" Invalid permissions on Lambda function " + b"y" * 12_000_000
    result, diagnosis = scanned(matcher, b"first line\n" + line + b"\nlast line\n", engine)
    assert [m.id for m in diagnosis.matches] == ["missing-invoke-permission"]
    assert diagnosis.matches[0].evidence[0].line_number == 2
    assert result.lines == 3
    assert len(result.text) < 200_000  # the long line is kept around its match, not whole


def test_the_start_of_a_file_is_kept_whole_and_its_prose_further_on(matcher):
    log_line = "2024-01-01T00:00:00.000Z\tabc\tINFO\torder 42 served in 12 ms"
    head = [f"line {n} of someone's notes" if n == 3 else log_line for n in range(HEAD_LINES)]
    prose = "my function keeps timing out behind API Gateway, what do I check"
    data = "\n".join([*head, log_line, prose, *[log_line] * 6000]).encode()
    result, diagnosis = scanned(matcher, data, "python")
    assert result.line_numbers[:HEAD_LINES] == tuple(range(1, HEAD_LINES + 1))
    assert HEAD_LINES + 2 in result.line_numbers  # the prose line; not the log line before it
    assert HEAD_LINES + 1 not in result.line_numbers
    assert summary(diagnosis, with_line_numbers=True) == summary(
        matcher.diagnose(data.decode()), with_line_numbers=True
    )


def test_every_signature_compiles_for_every_engine(matcher):
    plan = plan_for(matcher)
    for engine in engines():
        assert choose_engine(plan, engine).name == engine


def test_an_unknown_engine_is_refused(matcher):
    with pytest.raises(ValueError, match="must be one of"):
        choose_engine(plan_for(matcher), "ripgrep")


def test_the_grep_engine_is_unavailable_without_grep(matcher, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(EngineUnavailable, match="grep"):
        choose_engine(plan_for(matcher), "grep")


@pytest.mark.parametrize("engine", engines())
def test_the_newest_quoted_responses_are_read_as_a_paste_reads_them(matcher, engine):
    """A rejected response quoted near the end, with no signature line near it, is still found,
    among healthy quotes, and with what is wrong with it."""
    healthy = '(abc) Endpoint response body before transformations: {"statusCode":200,"body":"ok"}'
    rejected = '(abc) Endpoint response body before transformations: {"statusCode": 200, "body": {"id": 42}}'
    lines = [FILLER_LINE.rstrip("\n")] * (AFTER + 400) + [healthy] * 3 + [rejected] + [healthy] * 3
    data = "\n".join(lines)
    _, diagnosis = scanned(matcher, data.encode(), engine)
    assert summary(diagnosis, with_line_numbers=True) == summary(matcher.diagnose(data), with_line_numbers=True)
    assert diagnosis.matches[0].id == "malformed-proxy-response" and diagnosis.matches[0].details


@pytest.mark.skipif("hyperscan" not in engines(), reason="the hyperscan package is not installed")
@pytest.mark.parametrize("cores", [1, 2])
def test_hyperscan_hands_back_every_block_in_order_on_one_core_or_two(matcher, monkeypatch, cores):
    """Two blocks are scanned at a time on two cores: the blocks still come back in order, each
    with its own candidates, and those read before a broken stream are answered, then its error."""
    from bot.scan import hyperscan_engine
    from bot.scan.blocks import Block
    from bot.scan.plan import plan_for

    monkeypatch.setattr(hyperscan_engine, "_cores", lambda: cores)
    engine = hyperscan_engine.HyperscanEngine(plan_for(matcher))
    lines = [f"{n} healthy line\n".encode() for n in range(3000)]
    for n in (5, 1500, 2999):
        lines[n] = f"{n} Task timed out after 3.00 seconds\n".encode()
    data = b"".join(lines)
    blocks = [Block(b"".join(lines[start:start + 100]), sum(map(len, lines[:start])), start + 1, 100, piece=False)
              for start in range(0, 3000, 100)]
    answered = list(engine.candidates(iter(blocks)))
    assert [block for block, _ in answered] == blocks
    hits = sorted(block.offset + position for block, found in answered for _, position in found)
    assert len({data.rfind(b"\n", 0, hit) for hit in hits}) == 3

    def broken():
        yield from blocks[:4]
        raise EOFError("Compressed file ended before the end-of-stream marker was reached")

    seen = []
    with pytest.raises(EOFError):
        for block, _ in engine.candidates(broken()):
            seen.append(block)
    assert seen == blocks[:4]
