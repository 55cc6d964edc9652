"""HTTP API: payload 1.0 needs the full 1.0 shape (else 500); with payload 2.0 anything valid without statusCode is a 200 JSON body."""

from __future__ import annotations

import json

import pytest

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
}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_case_table(case: Case) -> None:
    assert_case(case)
