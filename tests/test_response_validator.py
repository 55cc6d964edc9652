"""The response validator: what the client gets, as AWS really behaves (shared/facts.md).

Sections: the table of cases (every rule, every behaviour recorded against AWS, for each
integration kind); bilingual and runtime-aware messages; property tests on arbitrary JSON;
real pasted logs for find_quoted_responses / detect_runtime; the CLI through a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.response_validator import (
    INTEGRATIONS,
    LAMBDA_SYNC_LIMIT,
    QuotedResponse,
    ResponseVerdict,
    detect_runtime,
    find_quoted_responses,
    parse_response_text,
    validate_response,
)
from bot.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
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

CASES: dict[str, Case] = {
    # ---- REST, the "Recorded against AWS" table of facts.md, row by row ----------------------
    "rest/status-200-empty-body": Case("rest", {"statusCode": 200}, True, 200, exact=True),
    "rest/no-status-with-headers": Case(
        "rest",
        {"headers": {"test-header": "value"}},
        True,
        200,
        expect=(W("status-code-missing", "statusCode"),),
        exact=True,
    ),
    "rest/empty-object": Case(
        "rest", {}, True, 200, expect=(W("status-code-missing", "statusCode"),), exact=True
    ),
    "rest/status-numeric-string": Case(
        "rest",
        {"statusCode": "201"},
        True,
        201,
        expect=(W("status-code-string", "statusCode"),),
        exact=True,
    ),
    "rest/status-non-numeric-string": Case(
        "rest",
        {"statusCode": "test"},
        False,
        502,
        MALFORMED,
        expect=(E("status-code-invalid", "statusCode"),),
        exact=True,
    ),
    "rest/extra-top-level-key": Case(
        "rest",
        {"statusCode": 200, "wrongValue": "x"},
        False,
        502,
        MALFORMED,
        expect=(E("extra-key", "wrongValue"),),
        exact=True,
    ),
    "rest/headers-null": Case("rest", {"statusCode": 200, "headers": None}, True, 200, exact=True),
    "rest/header-boolean": Case(
        "rest",
        {"statusCode": 200, "headers": {"X-Flag": True}},
        True,
        200,
        expect=(W("header-value-boolean", "headers.X-Flag"),),
        exact=True,
    ),
    "rest/multi-value-not-list": Case(
        "rest",
        {"statusCode": 200, "multiValueHeaders": {"Set-Cookie": "a=1"}},
        False,
        502,
        MALFORMED,
        expect=(E("multi-value-header-not-list", "multiValueHeaders.Set-Cookie"),),
        exact=True,
    ),
    "rest/plain-string": Case(
        "rest", "hello", False, 502, MALFORMED, expect=(E("payload-not-object", "$"),), exact=True
    ),
    "rest/body-object": Case(
        "rest",
        {"statusCode": 200, "body": {"hey": "dude"}},
        False,
        502,
        MALFORMED,
        expect=(E("body-not-string", "body"),),
        exact=True,
    ),
    "rest/header-object": Case(
        "rest",
        {"statusCode": 200, "headers": {"X-Obj": {"a": 1}}},
        False,
        502,
        MALFORMED,
        expect=(E("header-value-not-string", "headers.X-Obj"),),
        exact=True,
    ),
    "rest/header-array": Case(
        "rest",
        {"statusCode": 200, "headers": {"X-Arr": ["a"]}},
        False,
        502,
        MALFORMED,
        expect=(E("header-value-not-string", "headers.X-Arr"),),
        exact=True,
    ),
    "rest/base64-without-binary-media-types": Case(
        "rest",
        {
            "statusCode": 200,
            "isBase64Encoded": True,
            "body": "aGVsbG8=",
            "headers": {"Content-Type": "image/png"},
        },
        True,
        200,
        expect=(W("base64-needs-binary-media-types", "isBase64Encoded"),),
        exact=True,
    ),
    # ---- REST, the other rules ----------------------------------------------------------------
    "rest/base64-invalid-body": Case(
        "rest",
        {
            "statusCode": 200,
            "isBase64Encoded": True,
            "body": "not base64!",
            "headers": {"Content-Type": "image/png"},
        },
        True,
        200,
        expect=(
            W("base64-body-invalid", "body"),
            W("base64-needs-binary-media-types", "isBase64Encoded"),
        ),
        exact=True,
    ),
    "rest/base64-flag-string": Case(
        "rest",
        {"statusCode": 200, "isBase64Encoded": "false"},
        True,
        200,
        expect=(W("base64-flag-string", "isBase64Encoded"),),
        exact=True,
    ),
    "rest/base64-flag-number": Case(
        "rest",
        {"statusCode": 200, "isBase64Encoded": 1},
        False,
        502,
        MALFORMED,
        expect=(E("base64-flag-invalid", "isBase64Encoded"),),
        exact=True,
    ),
    "rest/array": Case(
        "rest", [{"key": "a"}], False, 502, MALFORMED, expect=(E("payload-not-object", "$"),)
    ),
    "rest/number": Case("rest", 42, False, 502, MALFORMED, expect=(E("payload-not-object", "$"),)),
    "rest/boolean": Case(
        "rest", True, False, 502, MALFORMED, expect=(E("payload-not-object", "$"),)
    ),
    "rest/null": Case("rest", None, False, 502, MALFORMED, expect=(E("payload-not-object", "$"),)),
    "rest/stringified-response": Case(
        "rest",
        json.dumps({"statusCode": 200, "body": "hi"}),
        False,
        502,
        MALFORMED,
        expect=(E("payload-stringified", "$"),),
        exact=True,
    ),
    "rest/body-number": Case(
        "rest",
        {"statusCode": 200, "body": 42},
        False,
        502,
        MALFORMED,
        expect=(E("body-not-string", "body"),),
    ),
    "rest/body-null": Case("rest", {"statusCode": 204, "body": None}, True, 204, exact=True),
    "rest/cookies-is-v2-only": Case(
        "rest",
        {"statusCode": 200, "cookies": ["a=1"]},
        False,
        502,
        MALFORMED,
        expect=(E("extra-key", "cookies"),),
        exact=True,
    ),
    "rest/java-base64Encoded": Case(
        "rest",
        {"statusCode": 200, "body": "{}", "base64Encoded": False},
        False,
        502,
        MALFORMED,
        expect=(E("extra-key", "base64Encoded"),),
        exact=True,
    ),
    "rest/alb-statusDescription": Case(
        "rest",
        {"statusCode": 200, "statusDescription": "200 OK"},
        False,
        502,
        MALFORMED,
        expect=(E("extra-key", "statusDescription"),),
    ),
    "rest/headers-not-object": Case(
        "rest",
        {"statusCode": 200, "headers": ["a"]},
        False,
        502,
        MALFORMED,
        expect=(E("headers-not-object", "headers"),),
        exact=True,
    ),
    "rest/multi-value-headers-not-object": Case(
        "rest",
        {"statusCode": 200, "multiValueHeaders": "a"},
        False,
        502,
        MALFORMED,
        expect=(E("multi-value-headers-not-object", "multiValueHeaders"),),
        exact=True,
    ),
    "rest/multi-value-item-object": Case(
        "rest",
        {"statusCode": 200, "multiValueHeaders": {"X-A": [{"v": 1}]}},
        False,
        502,
        MALFORMED,
        expect=(E("header-value-not-string", "multiValueHeaders.X-A[0]"),),
        exact=True,
    ),
    "rest/multi-value-ok": Case(
        "rest",
        {"statusCode": 200, "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]}},
        True,
        200,
        exact=True,
    ),
    "rest/header-number": Case(
        "rest",
        {"statusCode": 200, "headers": {"X-Count": 3}},
        True,
        200,
        expect=(W("header-value-not-string", "headers.X-Count"),),
        exact=True,
    ),
    "rest/header-null": Case(
        "rest",
        {"statusCode": 200, "headers": {"X-None": None}},
        True,
        200,
        expect=(W("header-value-null", "headers.X-None"),),
        exact=True,
    ),
    "rest/header-name-needs-quoting": Case(
        "rest",
        {"statusCode": 200, "headers": {"a.b": {"x": 1}}},
        False,
        502,
        MALFORMED,
        expect=(E("header-value-not-string", 'headers["a.b"]'),),
    ),
    "rest/status-float-integral": Case(
        "rest",
        {"statusCode": 200.0},
        True,
        200,
        expect=(W("status-code-float", "statusCode"),),
        exact=True,
    ),
    "rest/status-float-fraction": Case(
        "rest",
        {"statusCode": 200.5},
        False,
        502,
        MALFORMED,
        expect=(E("status-code-invalid", "statusCode"),),
    ),
    "rest/status-out-of-range": Case(
        "rest",
        {"statusCode": 600},
        False,
        502,
        MALFORMED,
        expect=(E("status-code-invalid", "statusCode"),),
    ),
    "rest/status-boolean": Case(
        "rest",
        {"statusCode": True},
        False,
        502,
        MALFORMED,
        expect=(E("status-code-invalid", "statusCode"),),
    ),
    "rest/status-null-is-missing": Case(
        "rest",
        {"statusCode": None},
        True,
        200,
        expect=(W("status-code-missing", "statusCode"),),
        exact=True,
    ),
    "rest/several-errors": Case(
        "rest",
        {"statusCode": "abc", "body": {"a": 1}, "extra": 1},
        False,
        502,
        MALFORMED,
        expect=(
            E("status-code-invalid", "statusCode"),
            E("body-not-string", "body"),
            E("extra-key", "extra"),
        ),
    ),
    "rest/json-body-no-headers": Case(
        "rest", {"statusCode": 200, "body": '{"a": 1}'}, True, 200, exact=True
    ),
    "rest/text-body-no-headers": Case(
        "rest",
        {"statusCode": 200, "body": "<h1>hi</h1>"},
        True,
        200,
        expect=(W("content-type-defaulted", "headers"),),
        exact=True,
    ),
    "rest/headers-without-content-type": Case(
        "rest",
        {"statusCode": 200, "headers": {"X-A": "1"}, "body": "hi"},
        True,
        200,
        expect=(W("content-type-missing", "headers"),),
        exact=True,
    ),
    "rest/content-type-in-multi-value": Case(
        "rest",
        {"statusCode": 200, "multiValueHeaders": {"content-type": ["text/plain"]}, "body": "hi"},
        True,
        200,
        exact=True,
    ),
    "rest/well-formed": Case(
        "rest",
        {
            "statusCode": 404,
            "headers": {"Content-Type": "application/json"},
            "body": '{"message": "not found"}',
            "isBase64Encoded": False,
        },
        True,
        404,
        exact=True,
    ),
    # ---- function errors and sizes (every integration) ----------------------------------------
    "rest/python-error": Case(
        "rest",
        {
            "errorMessage": "division by zero",
            "errorType": "ZeroDivisionError",
            "requestId": "c2fdeda4",
            "stackTrace": ['  File "/var/task/app.py", line 3'],
        },
        False,
        502,
        FUNCTION_ERROR,
        expect=(E("function-error", "$"),),
        exact=True,
    ),
    "rest/node-error-trace": Case(
        "rest",
        {
            "errorType": "TypeError",
            "errorMessage": "x is not a function",
            "trace": [
                "TypeError: x is not a function",
                "    at Runtime.handler (file:///var/task/index.mjs:3:11)",
            ],
        },
        False,
        502,
        FUNCTION_ERROR,
        expect=(E("function-error", "$"),),
    ),
    "rest/go-error": Case(
        "rest", {"errorMessage": "boom", "errorType": "errorString"}, False, 502, FUNCTION_ERROR
    ),
    "rest/timeout-error": Case(
        "rest",
        {"errorMessage": "2024-01-01T00:00:00.000Z abc Task timed out after 3.00 seconds"},
        False,
        502,
        "function-timeout",
    ),
    "rest/import-error": Case(
        "rest",
        {
            "errorMessage": "Unable to import module 'app': No module named 'requests'",
            "errorType": "Runtime.ImportModuleError",
            "stackTrace": [],
        },
        False,
        502,
        "import-module-error",
    ),
    "rest/response-too-large-error": Case(
        "rest",
        {
            "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
            "errorType": "Function.ResponseSizeTooLarge",
        },
        False,
        502,
        TOO_LARGE,
    ),
    "rest/error-with-status-is-malformed": Case(
        "rest",
        {"statusCode": 500, "errorMessage": "boom"},
        False,
        502,
        MALFORMED,
        expect=(E("extra-key", "errorMessage"),),
    ),
    "rest/over-6mb": Case(
        "rest",
        {"statusCode": 200},
        False,
        502,
        TOO_LARGE,
        expect=(E("payload-too-large", "$"),),
        exact=True,
        kwargs={"raw_size": 7_000_000},
    ),
    "rest/over-10mb": Case(
        "rest",
        {"statusCode": 200},
        False,
        502,
        TOO_LARGE,
        expect=(E("payload-too-large", "$"),),
        kwargs={"raw_size": 11 * 1024 * 1024},
    ),
    "rest/near-6mb": Case(
        "rest",
        {"statusCode": 200},
        True,
        200,
        expect=(W("payload-near-limit", "$"),),
        exact=True,
        kwargs={"raw_size": 5_500_000},
    ),
    "rest/large-body-measured": Case(
        "rest",
        {
            "statusCode": 200,
            "headers": {"Content-Type": "text/plain"},
            "body": "x" * (LAMBDA_SYNC_LIMIT + 10),
        },
        False,
        502,
        TOO_LARGE,
    ),
    # ---- HTTP API, payload 1.0: the full 1.0 shape, else 500 ----------------------------------
    "http-v1/well-formed": Case(
        "http-v1",
        {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "hi"},
        True,
        200,
        exact=True,
    ),
    "http-v1/no-status": Case(
        "http-v1",
        {"body": "hi"},
        False,
        500,
        MALFORMED,
        expect=(E("status-code-missing", "statusCode"),),
    ),
    "http-v1/empty-object": Case(
        "http-v1",
        {},
        False,
        500,
        MALFORMED,
        expect=(E("status-code-missing", "statusCode"),),
        exact=True,
    ),
    "http-v1/extra-key": Case(
        "http-v1",
        {"statusCode": 200, "wrongValue": 1},
        False,
        500,
        MALFORMED,
        expect=(E("extra-key", "wrongValue"),),
    ),
    "http-v1/body-object": Case(
        "http-v1",
        {"statusCode": 200, "body": {"a": 1}},
        False,
        500,
        MALFORMED,
        expect=(E("body-not-string", "body"),),
    ),
    "http-v1/plain-string": Case(
        "http-v1", "hello", False, 500, MALFORMED, expect=(E("payload-not-object", "$"),)
    ),
    "http-v1/multi-value-not-list": Case(
        "http-v1",
        {"statusCode": 200, "multiValueHeaders": {"a": "b"}},
        False,
        500,
        MALFORMED,
        expect=(E("multi-value-header-not-list", "multiValueHeaders.a"),),
    ),
    "http-v1/numeric-string-status": Case(
        "http-v1", {"statusCode": "201"}, True, 201, expect=(W("status-code-string", "statusCode"),)
    ),
    "http-v1/function-error": Case(
        "http-v1", {"errorMessage": "boom", "errorType": "Error"}, False, 500, FUNCTION_ERROR
    ),
    "http-v1/too-large": Case(
        "http-v1", {"statusCode": 200}, False, 500, TOO_LARGE, kwargs={"raw_size": 7_000_000}
    ),
    # ---- HTTP API, payload 2.0: anything valid without statusCode is a 200 JSON body ----------
    "http-v2/object-without-status": Case("http-v2", {"message": "hi"}, True, 200, exact=True),
    "http-v2/plain-string": Case(
        "http-v2",
        "Hello from Lambda!",
        True,
        200,
        expect=(W("content-type-defaulted", "$"),),
        exact=True,
    ),
    "http-v2/array": Case("http-v2", [1, 2, 3], True, 200, exact=True),
    "http-v2/number": Case("http-v2", 42, True, 200, exact=True),
    "http-v2/null": Case("http-v2", None, True, 200, expect=(W("payload-null", "$"),), exact=True),
    "http-v2/response-without-status": Case(
        "http-v2",
        {"body": "hi", "headers": {}},
        True,
        200,
        expect=(W("status-code-missing", "statusCode"),),
        exact=True,
    ),
    "http-v2/stringified-response": Case(
        "http-v2",
        json.dumps({"statusCode": 404, "body": "x"}),
        True,
        200,
        expect=(W("payload-stringified", "$"),),
        exact=True,
    ),
    "http-v2/full-response-with-cookies": Case(
        "http-v2",
        {
            "statusCode": 201,
            "headers": {"Content-Type": "text/plain"},
            "body": "made",
            "cookies": ["a=1; Secure", "b=2"],
            "isBase64Encoded": False,
        },
        True,
        201,
        exact=True,
    ),
    "http-v2/multi-value-headers-ignored": Case(
        "http-v2",
        {"statusCode": 200, "multiValueHeaders": {"X-A": ["1", "2"]}},
        True,
        200,
        expect=(W("ignored-key", "multiValueHeaders"),),
        exact=True,
    ),
    "http-v2/extra-key-ignored": Case(
        "http-v2",
        {"statusCode": 200, "extra": 1},
        True,
        200,
        expect=(W("ignored-key", "extra"),),
        exact=True,
    ),
    "http-v2/body-object": Case(
        "http-v2",
        {"statusCode": 200, "body": {"a": 1}},
        False,
        500,
        MALFORMED,
        expect=(E("body-not-string", "body"),),
        exact=True,
    ),
    "http-v2/cookies-not-list": Case(
        "http-v2",
        {"statusCode": 200, "cookies": "a=1"},
        False,
        500,
        MALFORMED,
        expect=(E("cookies-not-list", "cookies"),),
        exact=True,
    ),
    "http-v2/cookie-not-string": Case(
        "http-v2",
        {"statusCode": 200, "cookies": ["a=1", 2]},
        False,
        500,
        MALFORMED,
        expect=(E("cookie-not-string", "cookies[1]"),),
        exact=True,
    ),
    "http-v2/status-non-numeric": Case(
        "http-v2",
        {"statusCode": "abc"},
        False,
        500,
        MALFORMED,
        expect=(E("status-code-invalid", "statusCode"),),
    ),
    "http-v2/status-null-is-inferred": Case(
        "http-v2",
        {"statusCode": None, "body": "x"},
        True,
        200,
        expect=(W("status-code-missing", "statusCode"),),
    ),
    "http-v2/header-object": Case(
        "http-v2",
        {"statusCode": 200, "headers": {"X": {"a": 1}}},
        False,
        500,
        MALFORMED,
        expect=(E("header-value-not-string", "headers.X"),),
    ),
    "http-v2/base64-invalid": Case(
        "http-v2",
        {
            "statusCode": 200,
            "isBase64Encoded": True,
            "body": "%%%",
            "headers": {"Content-Type": "image/png"},
        },
        True,
        200,
        expect=(W("base64-body-invalid", "body"),),
        exact=True,
    ),
    "http-v2/missing-content-type": Case(
        "http-v2",
        {"statusCode": 200, "body": "hi"},
        True,
        200,
        expect=(W("content-type-missing", "headers"),),
        exact=True,
    ),
    "http-v2/function-error": Case(
        "http-v2",
        {"errorMessage": "boom", "errorType": "Error", "trace": []},
        False,
        500,
        FUNCTION_ERROR,
        expect=(E("function-error", "$"),),
    ),
    "http-v2/too-large": Case(
        "http-v2", {"a": 1}, False, 500, TOO_LARGE, kwargs={"raw_size": 6_300_000}
    ),
    # ---- ALB -----------------------------------------------------------------------------------
    "alb/well-formed": Case("alb", ALB_OK, True, 200, exact=True),
    "alb/minimal": Case(
        "alb",
        {"statusCode": 200, "body": "hi"},
        True,
        200,
        expect=(
            W("status-description-missing", "statusDescription"),
            W("base64-flag-missing", "isBase64Encoded"),
            W("content-type-missing", "headers"),
        ),
        exact=True,
    ),
    "alb/numeric-content-length": Case(
        "alb",
        {**ALB_OK, "headers": {"Content-Type": "text/html", "Content-Length": 11}},
        False,
        502,
        MALFORMED,
        expect=(E("header-value-not-string", "headers.Content-Length"),),
        exact=True,
    ),
    "alb/boolean-header": Case(
        "alb",
        {**ALB_OK, "headers": {"Content-Type": "text/html", "X-A": True}},
        False,
        502,
        MALFORMED,
        expect=(E("header-value-not-string", "headers.X-A"),),
    ),
    "alb/multi-value-headers-off": Case(
        "alb",
        {
            **{k: v for k, v in ALB_OK.items() if k != "headers"},
            "multiValueHeaders": {"Content-Type": ["text/html"]},
        },
        False,
        502,
        MALFORMED,
        expect=(E("multi-value-headers-off", "multiValueHeaders"),),
        exact=True,
    ),
    "alb/multi-value-headers-on": Case(
        "alb",
        {
            **{k: v for k, v in ALB_OK.items() if k != "headers"},
            "multiValueHeaders": {"Content-Type": ["text/html"]},
        },
        True,
        200,
        exact=True,
        kwargs={"alb_multi_value_headers": True},
    ),
    "alb/multi-value-on-numeric-item": Case(
        "alb",
        {
            **{k: v for k, v in ALB_OK.items() if k != "headers"},
            "multiValueHeaders": {"Content-Length": [11]},
        },
        False,
        502,
        MALFORMED,
        expect=(E("header-value-not-string", "multiValueHeaders.Content-Length[0]"),),
        kwargs={"alb_multi_value_headers": True},
    ),
    "alb/no-status": Case(
        "alb",
        {k: v for k, v in ALB_OK.items() if k != "statusCode"},
        False,
        502,
        MALFORMED,
        expect=(E("status-code-missing", "statusCode"),),
        exact=True,
    ),
    "alb/status-string": Case(
        "alb",
        {**ALB_OK, "statusCode": "200"},
        False,
        502,
        MALFORMED,
        expect=(E("status-code-invalid", "statusCode"),),
        exact=True,
    ),
    "alb/body-object": Case(
        "alb",
        {**ALB_OK, "body": {"a": 1}},
        False,
        502,
        MALFORMED,
        expect=(E("body-not-string", "body"),),
        exact=True,
    ),
    "alb/plain-string": Case(
        "alb", "hello", False, 502, MALFORMED, expect=(E("payload-not-object", "$"),)
    ),
    "alb/extra-key": Case(
        "alb", {**ALB_OK, "extra": 1}, True, 200, expect=(W("ignored-key", "extra"),), exact=True
    ),
    "alb/over-1mb": Case(
        "alb",
        ALB_OK,
        False,
        502,
        TOO_LARGE,
        expect=(E("payload-too-large", "$"),),
        exact=True,
        kwargs={"raw_size": 1024 * 1024 + 1},
    ),
    "alb/near-1mb": Case(
        "alb",
        ALB_OK,
        True,
        200,
        expect=(W("payload-near-limit", "$"),),
        exact=True,
        kwargs={"raw_size": 900_000},
    ),
    "alb/large-body-measured": Case(
        "alb", {**ALB_OK, "body": "x" * (1024 * 1024)}, False, 502, TOO_LARGE
    ),
    "alb/function-error": Case(
        "alb", {"errorMessage": "boom", "errorType": "Error"}, False, 502, FUNCTION_ERROR
    ),
}


def _triples(verdict: ResponseVerdict) -> set[tuple[str, str, str]]:
    return {(p.severity, p.code, p.path) for p in verdict.problems}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_case_table(case: Case) -> None:
    verdict = validate_response(case.payload, case.integration, **case.kwargs)  # type: ignore[arg-type]
    assert verdict.integration == case.integration
    assert verdict.accepted is case.accepted, verdict.to_json()
    assert verdict.status == case.status
    assert verdict.entry == case.entry
    found = _triples(verdict)
    assert set(case.expect) <= found, found
    if case.exact:
        assert found == set(case.expect)
        assert len(verdict.problems) == len(case.expect)


@pytest.mark.parametrize("integration", INTEGRATIONS)
def test_every_integration_has_cases_for_each_kind_of_outcome(integration: str) -> None:
    mine = [c for c in CASES.values() if c.integration == integration]
    assert any(c.accepted for c in mine) and any(not c.accepted for c in mine)
    assert any(c.entry == FUNCTION_ERROR for c in mine)
    assert any(c.entry == TOO_LARGE for c in mine)


def test_errors_come_before_warnings() -> None:
    verdict = validate_response({"headers": {"X": True}, "body": {"a": 1}}, "rest")
    severities = [p.severity for p in verdict.problems]
    assert severities == sorted(severities, key=lambda s: s != "error")
    assert verdict.errors and verdict.warnings


def test_unknown_integration_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        validate_response({}, "websocket")


# ---- what the messages say ----------------------------------------------------------------------


def test_json_shape_is_exactly_the_contract() -> None:
    out = validate_response({"statusCode": 200, "body": {"a": 1}}, "rest").to_json()
    assert set(out) == {"integration", "accepted", "status", "problems", "entry"}
    assert out == {
        "integration": "rest",
        "accepted": False,
        "status": 502,
        "entry": MALFORMED,
        "problems": [
            {
                "path": "body",
                "severity": "error",
                "message": out["problems"][0]["message"],
                "code": "body-not-string",
                "fix": out["problems"][0]["fix"],
            }
        ],
    }
    json.dumps(out)


@pytest.mark.parametrize("name", list(CASES))
def test_every_problem_speaks_english_and_italian(name: str) -> None:
    case = CASES[name]
    verdict = validate_response(case.payload, case.integration, **case.kwargs)  # type: ignore[arg-type]
    for problem in verdict.problems:
        for lang in ("en", "it"):
            assert problem.message[lang].strip() and problem.fix[lang].strip()
        assert problem.message["en"] != problem.message["it"]
    assert verdict.summary("en") != verdict.summary("it")


def test_body_object_message_names_path_behaviour_and_fix() -> None:
    verdict = validate_response({"statusCode": 200, "body": {"a": 1}}, "rest")
    problem = verdict.problems[0]
    assert "`body` is an object" in problem.message["en"] and "502" in problem.message["en"]
    assert "Malformed Lambda proxy response" in problem.message["en"]
    fix = problem.fix["en"]
    assert (
        "JSON.stringify" in fix and "json.dumps" in fix and "Java" in fix and "json.Marshal" in fix
    )
    italian = verdict.to_json("it")["problems"][0]["message"]
    assert "Gateway API" in italian and "stringa" in italian


def test_italian_uses_aws_terms() -> None:
    text = validate_response("hello", "rest").to_json("it")["problems"][0]["message"]
    assert "funzione Lambda" in text and "Gateway API" in text
    summary = validate_response({"statusCode": 200}, "rest").summary("it")
    assert "integrazione proxy" in summary


@pytest.mark.parametrize(
    ("runtime", "present", "absent"),
    [
        ("nodejs", "JSON.stringify", "json.dumps"),
        ("python", "json.dumps", "JSON.stringify"),
        ("go", "json.Marshal", "JSON.stringify"),
        ("java", "ObjectMapper", "json.dumps"),
    ],
)
def test_fix_sample_follows_the_runtime(runtime: str, present: str, absent: str) -> None:
    verdict = validate_response({"statusCode": 200, "body": {"a": 1}}, "rest", runtime=runtime)
    fix = verdict.problems[0].fix["en"]
    assert present in fix and absent not in fix


def test_header_fix_names_the_header() -> None:
    verdict = validate_response(
        {"statusCode": 200, "headers": {"X-Count": 3}}, "rest", runtime="python"
    )
    assert '"X-Count": str(value)' in verdict.problems[0].fix["en"]


def test_function_error_is_not_called_malformed() -> None:
    verdict = validate_response({"errorMessage": "boom", "errorType": "Error"}, "rest")
    message = verdict.problems[0].message["en"]
    assert "customer function error" in message and "not a malformed proxy response" in message
    assert verdict.entry == FUNCTION_ERROR


def test_lang_falls_back_to_english() -> None:
    verdict = validate_response({"statusCode": 200, "body": {}}, "rest")
    assert verdict.to_json("fr") == verdict.to_json("en")


# ---- property tests: never raises, always consistent ---------------------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
RESPONSE_KEYS = [
    "statusCode",
    "headers",
    "multiValueHeaders",
    "body",
    "isBase64Encoded",
    "cookies",
    "statusDescription",
    "errorMessage",
    "errorType",
    "stackTrace",
    "trace",
]
header_maps = st.dictionaries(
    st.sampled_from(["Content-Type", "X-A", "content-length", "a.b", ""]), json_values, max_size=3
)
response_like = st.fixed_dictionaries(
    {},
    optional={
        **{key: json_values for key in RESPONSE_KEYS},
        "headers": header_maps | json_values,
        "multiValueHeaders": st.dictionaries(
            st.text(max_size=5), st.lists(json_values, max_size=3) | json_values, max_size=3
        )
        | json_values,
        "statusCode": st.integers(-10, 1000)
        | st.sampled_from(["200", "201", "abc", "", "99999999"])
        | json_values,
        "isBase64Encoded": st.booleans() | json_values,
        "body": st.text(max_size=30)
        | st.sampled_from(["aGVsbG8=", "%%%", '{"a":1}'])
        | json_values,
    },
)
payloads = response_like | json_values


def _check_invariants(verdict: ResponseVerdict, integration: str) -> None:
    assert verdict.integration == integration
    has_error = any(p.severity == "error" for p in verdict.problems)
    assert verdict.accepted is (not has_error)
    if verdict.accepted:
        assert verdict.entry is None and 100 <= verdict.status <= 599
    else:
        assert verdict.status == REJECT[integration] and verdict.entry
    for lang in ("en", "it"):
        out = verdict.to_json(lang)
        assert set(out) == {"integration", "accepted", "status", "problems", "entry"}
        text = json.dumps(out)
        assert json.loads(text)["accepted"] is verdict.accepted
        for problem in out["problems"]:
            assert {"path", "severity", "message"} <= set(problem)
            assert (
                problem["severity"] in ("error", "warning")
                and problem["message"]
                and problem["path"]
            )
        assert verdict.summary(lang)


@pytest.mark.parametrize("integration", INTEGRATIONS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=payloads, runtime=st.sampled_from([None, "nodejs", "python", "java", "go", "rust"]))
def test_validate_never_raises_on_arbitrary_json(
    integration: str, payload: object, runtime: str | None
) -> None:
    _check_invariants(validate_response(payload, integration, runtime=runtime), integration)


@pytest.mark.parametrize("integration", INTEGRATIONS)
@settings(max_examples=100, deadline=None)
@given(payload=json_values, size=st.integers(0, 20 * 1024 * 1024))
def test_validate_with_any_size(integration: str, payload: object, size: int) -> None:
    _check_invariants(validate_response(payload, integration, raw_size=size), integration)


@settings(max_examples=200, deadline=None)
@given(payload=payloads)
def test_round_trip_through_parse(payload: object) -> None:
    """Whatever JSON is pasted, parse_response_text gives it back (or a UsageError, never a crash)."""
    try:
        text = json.dumps(payload)
    except ValueError:
        return
    try:
        parsed = parse_response_text(text)
    except UsageError:
        return
    for integration in INTEGRATIONS:
        _check_invariants(validate_response(parsed, integration), integration)


MARKERS = [
    "Endpoint response body before transformations: ",
    "Invalid API Gateway Response Keys: ",
    "Response received: ",
    '"integrationErrorMessage":"',
    "Response Body\n",
    "[TRUNCATED]",
    "Received response. Status: 429",
    "x-amzn-ErrorType=",
    "{",
    "}",
    "[",
    "'",
    '"',
    "\\",
    "\n",
    " in ",
]


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.sampled_from(MARKERS) | st.text(max_size=12), max_size=14))
def test_reading_pasted_text_never_crashes(parts: list[str]) -> None:
    text = "".join(parts)
    for quote in find_quoted_responses(text):
        assert isinstance(quote, QuotedResponse) and quote.integration in INTEGRATIONS
        if quote.truncated or not quote.parsed:
            assert quote.payload is None
        else:
            _check_invariants(
                validate_response(quote.payload, quote.integration), quote.integration
            )
    assert detect_runtime(text) in (None, "nodejs", "python", "java", "go")
    try:
        parse_response_text(text)
    except UsageError as exc:
        assert "\n" not in str(exc)


# ---- parse_response_text ---------------------------------------------------------------------------


def test_parse_raw_json_and_log_line() -> None:
    assert parse_response_text('  {"statusCode": 200}\n') == {"statusCode": 200}
    assert parse_response_text("null") is None
    line = (
        "Wed Nov 02 10:19:35 UTC 2022 : Endpoint response body before transformations: "
        '{"statusCode": 200, "body": {"hey": "dude"}}'
    )
    assert parse_response_text(line) == {"statusCode": 200, "body": {"hey": "dude"}}


def test_parse_malformed_json_names_line_and_column() -> None:
    with pytest.raises(UsageError) as info:
        parse_response_text('{\n  "statusCode": 200,\n  "body": }')
    message = str(info.value)
    assert message.startswith("input is not JSON: ") and "line 3 column 11" in message


def test_parse_truncated_quote_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="truncated"):
        parse_response_text(TRUNCATED_LOG)


def test_parse_empty_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        parse_response_text("  \n")


def test_parse_takes_the_latest_quote() -> None:
    text = (
        'Endpoint response body before transformations: {"statusCode": 500}\n'
        'Endpoint response body before transformations: {"statusCode": 201}\n'
    )
    assert parse_response_text(text) == {"statusCode": 201}


# ---- real pasted logs ------------------------------------------------------------------------------
# Excerpts of logs people pasted in public GitHub issues and READMEs (found with the project's
# search tool); kept as pasted, except where a credential-looking value was replaced.

# https://github.com/vincentsarago/lambda-proxy/issues/59 (REST test invoke, Python function)
VINCENT_LOG = """\
Wed Nov 02 10:19:35 UTC 2022 : Endpoint response body before transformations: {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": {"hey": "dude"}}
Wed Nov 02 10:19:35 UTC 2022 : Execution failed due to configuration error: Malformed Lambda proxy response
Wed Nov 02 10:19:35 UTC 2022 : Method completed with status: 502
"""

# https://github.com/michalkvasnicak/aws-lambda-graphql/pull/48 (WebSocket $disconnect returning nothing)
NULL_LOG = """\
Endpoint response body before transformations: null
Execution failed due to configuration error: Malformed Lambda proxy response
"""

# https://github.com/brefphp/bref/issues/587 (multiValueHeaders values that are not lists)
BREF_RESPONSE = """\
{
   "isBase64Encoded":false,
   "statusCode":200,
   "multiValueHeaders":{
      "x-powered-by":"PHP\\/7.3.7",
      "content-type":"text\\/html; charset=UTF-8"
   },
   "body":"..."
}
"""

# A public README of a CDK/Python test (three test invokes of one REST API, trimmed).
CDK_PYTHON_LOG = """\
Sat Mar 05 15:47:32 UTC 2022 : Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:009167579319:function:mini_hello_world/invocations
Sat Mar 05 15:47:32 UTC 2022 : Received response. Status: 200, Integration latency: 241 ms
Sat Mar 05 15:47:32 UTC 2022 : Endpoint response headers: {Date=Sat, 05 Mar 2022 15:47:32 GMT, Content-Type=application/json, Content-Length=107, Connection=keep-alive, x-amzn-RequestId=144f1a8c-1d4d-4044-91cf-7539c3bf6ba4, x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST}
Sat Mar 05 15:47:32 UTC 2022 : Endpoint response body before transformations: {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "Hello, CDK! You have hit /test1\\n"}
Sat Mar 05 15:47:32 UTC 2022 : Method response body after transformations: Hello, CDK! You have hit /test1
Sat Mar 05 15:47:32 UTC 2022 : Successfully completed execution
Sat Mar 05 15:47:32 UTC 2022 : Method completed with status: 200

Execution log for request ebc6434a-2151-4cfa-8889-38dffec3eced
Sat Mar 05 15:39:57 UTC 2022 : Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:009167579319:function:mini_some_text_handler/invocations
Sat Mar 05 15:39:58 UTC 2022 : Received response. Status: 200, Integration latency: 227 ms
Sat Mar 05 15:39:58 UTC 2022 : Endpoint response body before transformations: "hello from some_text_handler"
Sat Mar 05 15:39:58 UTC 2022 : Execution failed due to configuration error: Malformed Lambda proxy response
Sat Mar 05 15:39:58 UTC 2022 : Method completed with status: 502

Execution log for request b50a12c6-d619-4147-b2a2-bb5d42586463
Sat Mar 05 15:50:39 UTC 2022 : Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:009167579319:function:mini_test_static_content/invocations
Sat Mar 05 15:50:39 UTC 2022 : Received response. Status: 200, Integration latency: 433 ms
Sat Mar 05 15:50:39 UTC 2022 : Endpoint response headers: {Date=Sat, 05 Mar 2022 15:50:39 GMT, Content-Type=application/json, Content-Length=273, Connection=keep-alive, x-amzn-RequestId=c2fdeda4-0849-4da2-bc61-36a9ed8b698d, X-Amz-Function-Error=Unhandled, x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST}
Sat Mar 05 15:50:39 UTC 2022 : Endpoint response body before transformations: {"errorMessage": "'LambdaContext' object has no attribute 'succeed'", "errorType": "AttributeError", "requestId": "c2fdeda4-0849-4da2-bc61-36a9ed8b698d", "stackTrace": ["  File \\"/var/task/web.py\\", line 18, in example_static_content_handler\\n    context.succeed(html)\\n"]}
Sat Mar 05 15:50:39 UTC 2022 : Lambda execution failed with status 200 due to customer function error: 'LambdaContext' object has no attribute 'succeed'. Lambda request id: c2fdeda4-0849-4da2-bc61-36a9ed8b698d
Sat Mar 05 15:50:39 UTC 2022 : Method completed with status: 502
"""

# A public note on a Terraform-built API: the body runs into the next log line (pasted as is).
GLUED_LOG = (
    'Endpoint response body before transformations: {"statusCode": 301, "location": '
    '"https://blog.thomasnet.com/hs-fs/hubfs/shutterstock_774749455.jpg?width=1200&name='
    'shutterstock_774749455.jpg"}Execution failed due to configuration error: Malformed Lambda '
    "proxy response"
)

# Express behind a REST API, a successful call (public blog post source, trimmed).
EXPRESS_LOG = """\
Tue Aug 18 17:36:14 UTC 2020 : Sending request to https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-2:664371068953:function:expressLambda-dev/invocations
Tue Aug 18 17:36:15 UTC 2020 : Received response. Status: 200, Integration latency: 137 ms
Tue Aug 18 17:36:15 UTC 2020 : Endpoint response body before transformations: {"statusCode":200,"body":"{\\"success\\":\\"get call succeed!\\",\\"url\\":\\"/todos?limit=10\\"}","headers":{"x-powered-by":"Express","access-control-allow-origin":"*","access-control-allow-headers":"Origin, X-Requested-With, Content-Type, Accept","content-type":"application/json; charset=utf-8","content-length":"55","date":"Tue, 18 Aug 2020 17:36:14 GMT","connection":"close"},"isBase64Encoded":false}
Tue Aug 18 17:36:15 UTC 2020 : Method response body after transformations: {"success":"get call succeed!","url":"/todos?limit=10"}
Tue Aug 18 17:36:15 UTC 2020 : Successfully completed execution
Tue Aug 18 17:36:15 UTC 2020 : Method completed with status: 200
"""

# Lambda throttled (reserved concurrency): Lambda's own error, logged as the endpoint body
# (a public README, indented as pasted). Not the function's response.
THROTTLED_LOG = """\
    (a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:lambda-ngrok-dev-hello/invocations
    (a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Received response. Integration latency: 5 ms
    (a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Endpoint response body before transformations:
    {
        "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
        "Type": "User",
        "message": "Rate Exceeded."
    }

    (a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Endpoint response headers: {Connection=keep-alive, x-amzn-RequestId=a5e453c2-8d59-11e8-bf58-f5dde8cf91a3, x-amzn-ErrorType=TooManyRequestsException, Content-Length=104, Date=Sun, 22 Jul 2018 02:48:00 GMT, Content-Type=application/json}
"""

# An SQS integration (public issue): an endpoint body that no Lambda function wrote.
SQS_LOG = """\
Sun Oct 15 13:41:13 UTC 2023 : Sending request to https://sqs.eu-west-1.amazonaws.com/565245842699/CdkQueueBasedLoadLevelingApiStack-queue276F7297-mGo7HiEGAALF
Sun Oct 15 13:41:13 UTC 2023 : Received response. Status: 403, Integration latency: 2 ms
Sun Oct 15 13:41:13 UTC 2023 : Endpoint response body before transformations: {"Error":{"Code":"AccessDenied","Message":"Access to the resource is denied.","Type":"Sender"},"RequestId":"e5c86bb5-46c3-5659-801a-3610a8fa4b32"}
Sun Oct 15 13:41:13 UTC 2023 : Method completed with status: 500
"""

# A test invoke whose body API Gateway cut at 1 KB (public workshop README); the presigned URL's
# credentials are replaced with X, the shape and the " [TRUNCATED]" suffix are as logged.
TRUNCATED_LOG = (
    "Wed Mar 05 06:43:33 UTC 2025 : Received response. Status: 200, Integration latency: 16206 ms\n"
    'Wed Mar 05 06:43:33 UTC 2025 : Endpoint response body before transformations: {"statusCode": 200, '
    '"body": "{\\"url\\": \\"https://bog-images-meet-7.s3.amazonaws.com/image-gen-eval/e1fk3l2fhe.png?'
    "AWSAccessKeyId=XXXXXXXXXXXXXXXXXXXX&Signature=XXXXXXXX&x-amz-security-token="
    + "X"
    * 760
    + " [TRUNCATED]\n"
    "Wed Mar 05 06:43:33 UTC 2025 : Successfully completed execution\n"
    "Wed Mar 05 06:43:33 UTC 2025 : Method completed with status: 200\n"
)

# https://github.com/aws/aws-sam-cli/issues/1398 (sam local start-api, Python repr of the response)
SAM_EXTRA_KEY = (
    "Invalid API Gateway Response Keys: {'error'} in {'statusCode': 200, 'body': "
    "{'myExpectedContentHere'}, 'headers': {'Access-Control-Allow-Origin': '*'}, 'error': None}"
)

# A public blog post: a Go binary without read/execute permission, under sam local start-api.
SAM_GO_PERMISSION = """\
START RequestId: cbfb1ed4-fda5-496c-a9c7-c59e2658862a Version: $LATEST
fork/exec /var/task/profile: permission denied: PathError
null
END RequestId: cbfb1ed4-fda5-496c-a9c7-c59e2658862a
2020-12-03 19:09:09,022 | Lambda returned empty body!
2020-12-03 19:09:09,022 | Invalid lambda response received: Invalid API Gateway Response Keys: {'errorMessage', 'errorType'} in {'errorMessage': 'fork/exec /var/task/profile: permission denied', 'errorType': 'PathError'}
2020-12-03 19:09:09 127.0.0.1 - - [03/Dec/2020 19:09:09] "GET /profiles HTTP/1.1" 502 -
"""

# https://github.com/micronaut-projects/micronaut-aws/issues/544 (Java POJO: base64Encoded)
SAM_JAVA = """\
Invoking com.example.ProxyHandler (java11)
Invalid lambda response received: Invalid API Gateway Response Keys: {'base64Encoded'} in {'statusCode': 200, 'multiValueHeaders': {'Content-Type': ['application/json']}, 'body': '{"name":"foo","isbn":"32d63efa-fe08-409b-a5d2-9105586f1770"}', 'base64Encoded': False}
2020-09-27 10:31:22 127.0.0.1 - - [27/Sep/2020 10:31:22] "POST /book HTTP/1.1" 502 -
"""

# https://github.com/aws/aws-sam-cli/issues/964 (older sam local; a Node.js handler returning an array)
SAM_ARRAY = """\
 Function returned an invalid response (must include one of: body, headers or statusCode in the response object). Response received: [
        {"key":"jsandjsnckads","name":"name1"}, 
        {"key":"asjncjaNCJKndsc","name":"name2"}
    ]
"""


def _only(quotes: list[QuotedResponse]) -> QuotedResponse:
    assert len(quotes) == 1, quotes
    return quotes[0]


def test_real_body_object_log() -> None:
    quote = _only(find_quoted_responses(VINCENT_LOG))
    assert (quote.integration, quote.source, quote.truncated, quote.logged_status) == (
        "rest",
        "execution-log",
        False,
        502,
    )
    verdict = validate_response(quote.payload, quote.integration)
    assert _triples(verdict) == {E("body-not-string", "body")} and verdict.status == 502


def test_real_null_log() -> None:
    quote = _only(find_quoted_responses(NULL_LOG))
    assert quote.parsed and quote.payload is None
    assert validate_response(quote.payload, "rest").entry == MALFORMED


def test_real_multi_value_headers_not_lists() -> None:
    verdict = validate_response(parse_response_text(BREF_RESPONSE), "rest")
    assert verdict.status == 502
    assert {
        E("multi-value-header-not-list", "multiValueHeaders.x-powered-by"),
        E("multi-value-header-not-list", "multiValueHeaders.content-type"),
    } <= _triples(verdict)


def test_real_three_test_invokes() -> None:
    quotes = find_quoted_responses(CDK_PYTHON_LOG)
    assert [q.logged_status for q in quotes] == [200, 502, 502]
    ok, text, error = (validate_response(q.payload, q.integration) for q in quotes)
    assert ok.accepted and ok.status == 200 and not ok.problems
    assert not text.accepted and _triples(text) == {E("payload-not-object", "$")}
    assert error.entry == FUNCTION_ERROR and "AttributeError" in error.problems[0].message["en"]
    assert detect_runtime(CDK_PYTHON_LOG) == "python"


def test_real_glued_log_line() -> None:
    quote = _only(find_quoted_responses(GLUED_LOG))
    assert quote.payload == {"statusCode": 301, "location": quote.payload["location"]}  # type: ignore[index]
    verdict = validate_response(quote.payload, "rest")
    assert _triples(verdict) == {E("extra-key", "location")}


def test_real_successful_express_call() -> None:
    quote = _only(find_quoted_responses(EXPRESS_LOG))
    verdict = validate_response(quote.payload, quote.integration)
    assert verdict.accepted and verdict.status == 200 and quote.logged_status == 200


def test_real_lambda_service_errors_are_not_function_responses() -> None:
    assert find_quoted_responses(THROTTLED_LOG) == []
    assert find_quoted_responses(SQS_LOG) == []


def test_real_truncated_body_is_marked_and_skipped() -> None:
    quote = _only(find_quoted_responses(TRUNCATED_LOG))
    assert quote.truncated and not quote.parsed and quote.payload is None
    assert "[TRUNCATED]" not in quote.text


def test_truncated_without_suffix_is_still_truncated() -> None:
    line = TRUNCATED_LOG.replace(" [TRUNCATED]", "")
    assert _only(find_quoted_responses(line)).truncated


def test_real_sam_local_extra_key() -> None:
    quote = _only(find_quoted_responses(SAM_EXTRA_KEY))
    assert (quote.source, quote.integration) == ("sam-local", "rest")
    verdict = validate_response(quote.payload, "rest")
    assert {E("extra-key", "error"), E("body-not-string", "body")} <= _triples(verdict)


def test_real_sam_local_go_permission_error() -> None:
    quote = _only(find_quoted_responses(SAM_GO_PERMISSION))
    verdict = validate_response(quote.payload, quote.integration)
    assert verdict.entry == "package-permission-denied" and verdict.status == 502
    assert detect_runtime(SAM_GO_PERMISSION) == "go"


def test_real_sam_local_java_pojo() -> None:
    quote = _only(find_quoted_responses(SAM_JAVA))
    runtime = detect_runtime(SAM_JAVA)
    assert runtime == "java"
    verdict = validate_response(quote.payload, "rest", runtime=runtime)
    problem = next(p for p in verdict.problems if p.path == "base64Encoded")
    assert (
        "isBase64Encoded()" in problem.fix["en"]
        and "APIGatewayProxyResponseEvent" in problem.fix["en"]
    )


def test_real_sam_local_array() -> None:
    quote = _only(find_quoted_responses(SAM_ARRAY))
    assert isinstance(quote.payload, list)
    assert validate_response(quote.payload, "rest").problems[0].code == "payload-not-object"


def test_test_invoke_method_json_output() -> None:
    """`aws apigateway test-invoke-method` prints JSON; the log lines are inside its "log" string."""
    output = json.dumps(
        {
            "status": 502,
            "body": '{"message": "Internal server error"}',
            "log": "Execution log for request 1\n" + VINCENT_LOG,
            "latency": 30,
        }
    )
    quote = _only(find_quoted_responses(output))
    assert quote.payload == {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": {"hey": "dude"},
    }
    assert parse_response_text(output) == quote.payload


def test_cloudwatch_json_events() -> None:
    event = json.dumps(
        {
            "timestamp": 1,
            "message": '(abc) Endpoint response body before transformations: {"statusCode":"oops"}',
        }
    )
    quote = _only(find_quoted_responses(f"some text\n{event}\nmore text"))
    assert quote.payload == {"statusCode": "oops"}


def test_lambda_console_response_section() -> None:
    console = (
        'Test Event Name\nhello\n\nResponse\n{\n  "statusCode": 200,\n  "body": {"message": "hi"}\n}\n\n'
        "Function Logs\nSTART RequestId: 1 Version: $LATEST\n"
    )
    quote = _only(find_quoted_responses(console))
    assert quote.source == "test-invoke" and quote.payload == {
        "statusCode": 200,
        "body": {"message": "hi"},
    }


def test_gateway_error_body_is_not_the_function_response() -> None:
    console = 'Response Body\n{"message": "Internal server error"}\n\nResponse Headers\n{}\n'
    assert find_quoted_responses(console) == []


def test_integration_error_field_in_access_log() -> None:
    line = json.dumps(
        {
            "requestId": "1",
            "routeKey": "GET /",
            "status": "500",
            "integrationErrorMessage": '{"errorMessage":"boom","errorType":"Error"}',
        }
    )
    quote = _only(find_quoted_responses(line))
    assert (quote.source, quote.integration) == ("integration-error", "http-v2")
    assert validate_response(quote.payload, quote.integration).entry == FUNCTION_ERROR
    # "-" is how access logs write an empty variable; a plain message is not a body.
    assert find_quoted_responses(json.dumps({"integrationErrorMessage": "-"})) == []
    assert (
        find_quoted_responses(
            '"integrationError": "The Lambda function returned the following error"'
        )
        == []
    )


def test_integration_error_field_in_raw_text() -> None:
    text = 'status=502 integrationError="{\\"statusCode\\": 200, \\"body\\": {}}" resourcePath=/x'
    quote = _only(find_quoted_responses(text))
    assert quote.payload == {"statusCode": 200, "body": {}} and quote.integration == "rest"


# ---- detect_runtime --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "runtime"),
    [
        (
            (
                '{"errorType":"TypeError","errorMessage":"x","trace":["TypeError: x","    at Runtime.handler '
                '(file:///var/task/index.mjs:3:11)"]}'
            ),
            "nodejs",
        ),
        ("Error: EACCES: permission denied, open '/var/task/index.js'", "nodejs"),
        (
            "Runtime.ImportModuleError: Error: Cannot find module 'axios'\nRequire stack:\n- /var/task/node_modules/x.js",
            "nodejs",
        ),
        (
            "[ERROR] Runtime.ImportModuleError: Unable to import module 'lambda_function': No module named 'requests'",
            "python",
        ),
        (
            'Traceback (most recent call last):\n  File "/var/task/app.py", line 12, in handler\n    1/0',
            "python",
        ),
        ("[Errno 13] Permission denied: '/var/task/lambda_function.py'", "python"),
        (
            "java.lang.NullPointerException\n\tat com.example.Handler.handleRequest(Handler.java:42)",
            "java",
        ),
        (
            (
                "panic: runtime error: invalid memory address or nil pointer dereference\n"
                "goroutine 1 [running]:\nmain.handler(...)\n\t/build/main.go:12 +0x1d"
            ),
            "go",
        ),
        ('{"statusCode": 200, "body": "hi"}', None),
        ("", None),
    ],
)
def test_detect_runtime(text: str, runtime: str | None) -> None:
    assert detect_runtime(text) == runtime


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
