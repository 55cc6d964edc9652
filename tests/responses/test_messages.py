"""What the verdict says: the JSON contract, both languages, fix samples in the function's runtime."""

from __future__ import annotations

import json

import pytest

from bot.core.responses import (
    INTEGRATIONS,
    validate_response,
)
from tests.responses.cases import (
    FUNCTION_ERROR,
    MALFORMED,
    TOO_LARGE,
    Case,
)
from tests.responses.test_alb import CASES as ALB_CASES
from tests.responses.test_function_errors_and_sizes import CASES as ERROR_AND_SIZE_CASES
from tests.responses.test_http_api import CASES as HTTP_CASES
from tests.responses.test_rest import CASES as REST_CASES

CASES: dict[str, Case] = {**REST_CASES, **ERROR_AND_SIZE_CASES, **HTTP_CASES, **ALB_CASES}


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
    # AWS's Italian documentation says "API Gateway", never "la Gateway API".
    assert "API Gateway" in italian and "Gateway API" not in italian and "stringa" in italian


def test_italian_uses_aws_terms() -> None:
    text = validate_response("hello", "rest").to_json("it")["problems"][0]["message"]
    assert "funzione Lambda" in text and "API Gateway" in text and "Gateway API" not in text
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
