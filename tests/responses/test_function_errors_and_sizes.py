"""Lambda's error object and the size limits, looked at before the shape (every integration)."""

from __future__ import annotations

import pytest

from bot.core.responses import (
    LAMBDA_SYNC_LIMIT,
)
from tests.responses.cases import (
    FUNCTION_ERROR,
    MALFORMED,
    TOO_LARGE,
    Case,
    E,
    W,
    assert_case,
)

CASES: dict[str, Case] = {
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
}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_case_table(case: Case) -> None:
    assert_case(case)
