"""The case table's shape: one response, one integration, and what AWS does with it.

Each integration kind's table lives in its own test module; `assert_case` runs one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.core.responses import (
    ResponseVerdict,
    validate_response,
)

ROOT = Path(__file__).resolve().parents[2]
REJECT = {"rest": 502, "http-v1": 500, "http-v2": 500, "alb": 502}
ALB_OK = {
    "statusCode": 200,
    "statusDescription": "200 OK",
    "isBase64Encoded": False,
    "headers": {"Content-Type": "text/html"},
    "body": "<h1>hi</h1>",
}


@dataclass(frozen=True)
class Case:
    integration: str
    payload: object
    accepted: bool
    status: int
    entry: str | None = None
    # (severity, code, path) that must be among the problems
    expect: tuple[tuple[str, str, str], ...] = ()
    exact: bool = False  # the problems are exactly `expect`
    kwargs: dict[str, object] = field(default_factory=dict)


def E(code: str, path: str) -> tuple[str, str, str]:
    return ("error", code, path)


def W(code: str, path: str) -> tuple[str, str, str]:
    return ("warning", code, path)


MALFORMED = "malformed-proxy-response"
FUNCTION_ERROR = "unhandled-function-error"
TOO_LARGE = "payload-too-large"


def triples(verdict: ResponseVerdict) -> set[tuple[str, str, str]]:
    return {(p.severity, p.code, p.path) for p in verdict.problems}


def assert_case(case: Case) -> None:
    """The verdict is what the case says: accepted or not, status, entry, problems."""
    verdict = validate_response(case.payload, case.integration, **case.kwargs)  # type: ignore[arg-type]
    assert verdict.integration == case.integration
    assert verdict.accepted is case.accepted, verdict.to_json()
    assert verdict.status == case.status
    assert verdict.entry == case.entry
    found = triples(verdict)
    assert set(case.expect) <= found, found
    if case.exact:
        assert found == set(case.expect)
        assert len(verdict.problems) == len(case.expect)
