"""Application Load Balancer with a Lambda target."""

from __future__ import annotations

import pytest

from tests.responses.cases import (
    ALB_OK,
    FUNCTION_ERROR,
    MALFORMED,
    TOO_LARGE,
    Case,
    E,
    W,
    assert_case,
)

CASES: dict[str, Case] = {
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


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_case_table(case: Case) -> None:
    assert_case(case)
