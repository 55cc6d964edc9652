"""`badgateway demo`: the seeded broken API is found broken, in one command, without AWS."""

from __future__ import annotations

import sys

import pytest

from bot.cli import main


def test_demo_shows_the_check_and_the_diagnosis(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "badgateway check" in out and "badgateway diagnose" in out
    for entry in ("missing-invoke-permission", "integration-timeout", "lambda-throttled", "malformed-proxy-response"):
        assert entry in out, entry
    assert "aws lambda add-permission" in out
    assert "127.0.0.1" in out


def test_demo_without_moto_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "moto.server", None)  # import fails as if not installed
    assert main(["demo"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "badgateway[demo]" in err[0]
