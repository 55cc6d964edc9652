"""`badgateway validate-response`, run as a user runs it (a separate process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.responses.cases import (
    MALFORMED,
    ROOT,
)
from tests.responses.logs import (
    SAM_JAVA,
    TRUNCATED_LOG,
    VINCENT_LOG,
)

# ---- the command line ------------------------------------------------------------------------------


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "validate-response", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,  # the exit code is what the tests check
    )


def _one_json_object(stdout: str) -> dict[str, object]:
    value, end = json.JSONDecoder().raw_decode(stdout.lstrip())
    assert stdout.lstrip()[end:].strip() == "", "more than one JSON value printed"
    assert isinstance(value, dict)
    return value


def test_cli_accepted_exits_0() -> None:
    result = _cli(
        "-", "--integration", "rest", "--format", "json", stdin='{"statusCode": 201, "body": "{}"}'
    )
    assert result.returncode == 0, result.stderr
    out = _one_json_object(result.stdout)
    assert out["accepted"] is True and out["status"] == 201 and out["entry"] is None


def test_cli_rejected_exits_1_with_one_json_object() -> None:
    result = _cli(
        "--integration",
        "http-v2",
        "--format",
        "json",
        stdin='{"statusCode": 200, "body": {"a": 1}}',
    )
    assert result.returncode == 1
    out = _one_json_object(result.stdout)
    assert out["status"] == 500 and out["entry"] == MALFORMED
    assert out["problems"][0]["path"] == "body"  # type: ignore[index]


def test_cli_malformed_json_exits_2_with_one_line() -> None:
    result = _cli("--integration", "rest", stdin='{"statusCode": 200,')
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("badgateway: input is not JSON")
    assert "line 1 column" in lines[0] and "Traceback" not in result.stderr


@pytest.mark.parametrize("stdin", ["", "   \n"])
def test_cli_empty_input_exits_2(stdin: str) -> None:
    result = _cli("--integration", "rest", stdin=stdin)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    result = _cli(str(tmp_path / "nope.json"), "--integration", "rest")
    assert (
        result.returncode == 2
        and "no such file" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_cli_truncated_log_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_text(TRUNCATED_LOG)
    result = _cli(str(path), "--integration", "rest")
    assert result.returncode == 2 and "truncated" in result.stderr


def test_cli_text_report_from_a_log_file(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_text(VINCENT_LOG)
    result = _cli(str(path), "--integration", "rest")
    assert result.returncode == 1
    assert (
        "502" in result.stdout
        and "[error] body" in result.stdout
        and "JSON.stringify" in result.stdout
    )
    assert "malformed-proxy-response" in result.stdout


def test_cli_italian_and_runtime(tmp_path: Path) -> None:
    result = _cli(
        "--integration",
        "rest",
        "--lang",
        "it",
        "--runtime",
        "python",
        stdin='{"statusCode": 200, "body": {"a": 1}}',
    )
    assert result.returncode == 1
    assert "rifiutata" in result.stdout and "[errore] body" in result.stdout
    assert "json.dumps" in result.stdout and "JSON.stringify" not in result.stdout


def test_cli_runtime_detected_from_input() -> None:
    result = _cli("--integration", "rest", "--format", "json", stdin=SAM_JAVA)
    assert result.returncode == 1
    out = _one_json_object(result.stdout)
    fixes = " ".join(p["fix"] for p in out["problems"])  # type: ignore[union-attr, index]
    assert "APIGatewayProxyResponseEvent" in fixes and "JSON.stringify" not in fixes


def test_cli_alb_multi_value_headers_flag() -> None:
    body = json.dumps(
        {
            "statusCode": 200,
            "statusDescription": "200 OK",
            "isBase64Encoded": False,
            "multiValueHeaders": {"Content-Type": ["text/plain"]},
            "body": "hi",
        }
    )
    assert _cli("--integration", "alb", stdin=body).returncode == 1
    assert _cli("--integration", "alb", "--multi-value-headers", stdin=body).returncode == 0


def test_cli_requires_integration() -> None:
    result = _cli(stdin="{}")
    assert result.returncode == 2 and "--integration" in result.stderr
