"""Property tests: whatever JSON or text is pasted, the validator never raises and stays consistent."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.responses import (
    INTEGRATIONS,
    QuotedResponse,
    ResponseVerdict,
    detect_runtime,
    find_quoted_responses,
    parse_response_text,
    validate_response,
)
from bot.errors import UsageError
from tests.responses.cases import (
    REJECT,
)

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
