"""The `badgateway` command line as people and scripts use it: output, exit codes, bad input."""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT, run_cli

SAMPLE = ROOT / "samples" / "execution-log-malformed.txt"


def test_diagnose_sample_text():
    result = run_cli("diagnose", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "malformed-proxy-response" in out
    assert "1. " in out  # numbered fix steps
    assert "Malformed Lambda proxy response" in out  # the evidence line


def test_diagnose_json_is_exactly_one_object_with_the_contract_keys():
    result = run_cli("diagnose", "--format", "json", str(SAMPLE))
    assert result.returncode == 0
    document = json.loads(result.stdout)  # raises if there is more than one object
    assert document["language"] == "en"
    first = document["matches"][0]
    assert first["id"] == "malformed-proxy-response"
    assert isinstance(first["score"], (int, float))
    assert isinstance(first["title"], str)
    assert all(isinstance(line, str) for line in first["evidence"]) and first["evidence"]


def test_diagnose_markdown_and_stdin_and_lang():
    result = run_cli("diagnose", "--format", "markdown", "--lang", "it", "-", stdin=SAMPLE.read_bytes())
    assert result.returncode == 0
    out = result.stdout.decode()
    assert out.startswith("## ")
    assert "Come risolvere" in out


def test_diagnose_top_limits_the_matches():
    text = "Runtime.ImportModuleError: Unable to import module 'app'\nInvalid permissions on Lambda function\n"
    result = run_cli("diagnose", "--format", "json", "--top", "1", stdin=text)
    assert len(json.loads(result.stdout)["matches"]) == 1


def test_no_known_cause_exits_1_and_says_what_to_collect():
    result = run_cli("diagnose", stdin="everything is fine, just saying hello")
    assert result.returncode == 1
    out = result.stdout.decode()
    assert "No known cause" in out and "execution logging" in out
    result = run_cli("diagnose", "--format", "json", stdin="hello")
    assert json.loads(result.stdout) == {"language": "en", "matches": []}


def assert_clean_error(result, *fragments: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    err = result.stderr.decode()
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err


def test_empty_input():
    assert_clean_error(run_cli("diagnose", stdin=""), "empty")
    assert_clean_error(run_cli("diagnose", stdin="   \n\n"), "empty")


def test_missing_file_and_directory(tmp_path):
    assert_clean_error(run_cli("diagnose", str(tmp_path / "nope.log")), "no such file")
    assert_clean_error(run_cli("diagnose", str(tmp_path)), "directory")


def test_binary_input(tmp_path):
    binary = tmp_path / "logs.gz"
    binary.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 10)
    assert_clean_error(run_cli("diagnose", str(binary)), "binary")


def test_invalid_utf8_and_nul_bytes_are_read_as_text(tmp_path):
    data = b"\xff\xfe garbage \x00 Task timed out after 3.00 seconds \xc3\x28\n"
    result = run_cli("diagnose", "--format", "json", stdin=data)
    assert result.returncode == 0
    assert json.loads(result.stdout)["matches"][0]["id"] == "function-timeout"


def test_a_single_10_mb_line_is_handled(tmp_path):
    line = ("x" * 5_000_000) + " Invalid permissions on Lambda function " + ("y" * 5_000_000)
    result = run_cli("diagnose", "--format", "json", stdin=line)
    assert result.returncode == 0
    evidence = json.loads(result.stdout)["matches"][0]["evidence"][0]
    assert "Invalid permissions on Lambda function" in evidence
    assert len(evidence) < 400  # clipped around the hit, not 10 MB echoed back


def test_usage_errors_exit_2():
    assert run_cli("diagnose", "--top", "0", stdin="x").returncode == 2
    assert run_cli("diagnose", "--format", "yaml", stdin="x").returncode == 2
    assert run_cli().returncode == 2
    assert run_cli("no-such-command").returncode == 2


def test_kb_list_show_and_unknown_id():
    listing = run_cli("kb", "list")
    assert listing.returncode == 0
    assert "missing-invoke-permission" in listing.stdout.decode()
    show = run_cli("kb", "show", "missing-invoke-permission", "--lang", "it")
    assert show.returncode == 0
    assert "policy basata sulle risorse" in show.stdout.decode()
    assert_clean_error(run_cli("kb", "show", "no-such-entry"), "unknown entry id")


def test_kb_validate_and_index_check():
    assert run_cli("kb", "validate", timeout=300).returncode == 0
    assert run_cli("kb", "index", "--check").returncode == 0


def test_diagnose_does_not_import_boto3_or_slack():
    code = (
        "import sys; from bot.cli import main; "
        "main(['diagnose', '--format', 'json', 'samples/execution-log-malformed.txt']); "
        "heavy = [m for m in ('boto3', 'botocore', 'slack_bolt', 'slack_sdk', 'yaml') if m in sys.modules]; "
        "print('HEAVY', heavy)"
    )
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, text=True)
    heavy_line = next(line for line in result.stdout.splitlines() if line.startswith("HEAVY"))
    assert "boto3" not in heavy_line and "slack" not in heavy_line


@pytest.mark.parametrize("module", ["bot", "bot.cli"])
def test_module_entry_points_show_help(module):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True, cwd=ROOT)
    assert result.returncode == 0
    assert b"diagnose" in result.stdout
