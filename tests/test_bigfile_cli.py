"""`badgateway diagnose` on big inputs, as a user runs it: files, .gz, standard input."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys

import pytest

from bot.bigfile import PROGRESS_BYTES, Progress

from .conftest import ROOT, run_cli

HEALTHY = b"2024-01-01T00:00:00.000Z\tabc\tINFO\torder 42 served in 12 ms\n"
CAUSE = b"2024-01-01T00:00:01.000Z\tabc\tTask timed out after 3.00 seconds\n"
# Runs argv[1:], then writes the peak memory of that run in MB as the last line of stderr.
PEAK_OF_CHILD = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, file=sys.stderr); sys.exit(code)"
)


def big_log(megabytes: float = 6) -> bytes:
    count = int(megabytes * 1_000_000 / len(HEALTHY))
    return HEALTHY * (count // 2) + CAUSE + HEALTHY * (count // 2)


def diagnosed(result) -> dict:
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_standard_input_past_the_paste_size_is_streamed():
    data = big_log()
    document = diagnosed(run_cli("diagnose", "--format", "json", stdin=data))
    assert document["matches"][0]["id"] == "function-timeout"
    assert document["scan"]["bytes"] == len(data)
    assert document["scan"]["lines"] == data.count(b"\n")
    assert document["scan"]["matched"] == {"function-timeout": 1}
    assert any(note.startswith("read 6.0 MB") for note in document["notes"])


def test_a_paste_on_standard_input_is_read_whole():
    document = diagnosed(run_cli("diagnose", "--format", "json", stdin=CAUSE))
    assert document["matches"][0]["id"] == "function-timeout"
    assert "scan" not in document and "notes" not in document


def test_gzip_files_and_gzip_on_standard_input_are_read_as_a_stream(tmp_path):
    data = big_log()
    compressed = gzip.compress(data)
    log = tmp_path / "export.log.gz"
    log.write_bytes(compressed)
    for result in (run_cli("diagnose", "--format", "json", str(log)),
                   run_cli("diagnose", "--format", "json", stdin=compressed)):
        document = diagnosed(result)
        assert document["matches"][0]["id"] == "function-timeout"
        assert document["scan"]["bytes"] == len(data)
        assert any("(decompressed)" in note for note in document["notes"])
    small = tmp_path / "paste.txt.gz"
    small.write_bytes(gzip.compress(CAUSE))
    document = diagnosed(run_cli("diagnose", "--format", "json", str(small)))
    assert document["matches"][0]["id"] == "function-timeout" and "scan" not in document


def test_a_gzip_file_cut_short_is_diagnosed_as_far_as_it_goes(tmp_path):
    data = CAUSE + big_log(8)
    log = tmp_path / "cut.log.gz"
    compressed = gzip.compress(data)
    log.write_bytes(compressed[: len(compressed) * 2 // 3])
    document = diagnosed(run_cli("diagnose", "--format", "json", str(log)))
    assert document["matches"][0]["id"] == "function-timeout"
    assert any("is cut short" in note for note in document["notes"])
    assert "error" in document["scan"]
    assert 0 < document["scan"]["bytes"] < len(data)


def test_a_corrupt_gzip_file_is_a_one_line_error(tmp_path):
    log = tmp_path / "bad.gz"
    log.write_bytes(b"\x1f\x8b" + os.urandom(2000))
    result = run_cli("diagnose", str(log))
    assert result.returncode == 2
    message = result.stderr.decode().strip()
    assert "not a readable gzip file" in message and "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("engine", ["grep", "python"])
def test_the_fallback_engines_can_be_forced_and_find_the_same(tmp_path, engine):
    log = tmp_path / "big.log"
    log.write_bytes(big_log())
    document = diagnosed(run_cli("diagnose", "--format", "json", str(log),
                                 env={"BADGATEWAY_SCAN_ENGINE": engine}))
    assert document["scan"]["engine"] == engine
    assert document["matches"][0]["id"] == "function-timeout"
    assert document["matches"][0]["evidence"] == [CAUSE.decode().strip().replace("\t", " ")]


def test_an_unknown_engine_is_a_one_line_error(tmp_path):
    log = tmp_path / "big.log"
    log.write_bytes(big_log())
    result = run_cli("diagnose", str(log), env={"BADGATEWAY_SCAN_ENGINE": "ripgrep"})
    assert result.returncode == 2
    assert "must be one of hyperscan, grep, python" in result.stderr.decode()


def test_the_note_is_in_the_answer_language(tmp_path):
    log = tmp_path / "big.log"
    log.write_bytes(big_log())
    result = run_cli("diagnose", "--lang", "it", str(log))
    assert result.returncode == 0
    assert "(letti 6,0 MB, " in result.stdout.decode()
    assert "righe corrispondenti: function-timeout 1" in result.stdout.decode()


def test_a_100_mb_file_is_read_whole_in_bounded_memory(tmp_path):
    big = tmp_path / "big.log"
    filler = HEALTHY * 20000  # ~1 MB
    with open(big, "wb") as handle:
        for _ in range(100):
            handle.write(filler)
        handle.write(CAUSE)
    out, err = tmp_path / "out", tmp_path / "err"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        # Through a small parent of its own: Linux keeps a forked child's peak memory across
        # exec, and this test process may be big by now.
        process = subprocess.Popen([sys.executable, "-c", PEAK_OF_CHILD, sys.executable, "-m", "bot",
                                    "diagnose", "--format", "json", str(big)],
                                   stdout=stdout, stderr=stderr, cwd=ROOT)
        status = process.wait(timeout=300)
    *errors, peak_mb = err.read_text().rstrip("\n").split("\n")
    error = "\n".join(errors)
    assert status == 0, error
    document = json.loads(out.read_bytes())
    assert document["matches"][0]["id"] == "function-timeout"
    assert document["matches"][0]["evidence"] == [CAUSE.decode().strip().replace("\t", " ")]
    assert not any("only its last" in note for note in document["notes"])
    assert document["scan"]["lines"] == 2_000_001
    assert not error  # no progress unless stderr is a terminal
    assert float(peak_mb) < 150, "peak memory (MB), a generous bound: it must not follow the file"


def test_progress_is_shown_in_a_terminal_past_a_few_hundred_mb():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    class Opened:
        source, size_on_disk, compressed = "day.log", 2 * PROGRESS_BYTES, False

    terminal = Terminal()
    assert Progress.wanted(terminal) and not Progress.wanted(io.StringIO())
    progress = Progress(Opened(), terminal)  # type: ignore[arg-type]
    progress(PROGRESS_BYTES)
    assert terminal.getvalue() == "\rbadgateway: reading day.log: 268.4 MB (50% of 536.9 MB)\x1b[K"
    progress.clear()
    assert terminal.getvalue().endswith("\r\x1b[K")
    small = Terminal()
    Opened.size_on_disk = PROGRESS_BYTES // 2
    Progress(Opened(), small)(PROGRESS_BYTES // 4)  # type: ignore[arg-type]
    assert small.getvalue() == ""
