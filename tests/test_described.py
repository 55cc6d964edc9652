"""A response described in words ("our ALB returns 502") narrows the causes like a pasted one."""

from __future__ import annotations

import json

import pytest

from bot.core.matching.described import described_response
from bot.render.text import render_diagnosis
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ALB returns 502 when the lambda target returns a big json", ("alb", 502)),
        ("our application load balancer gives a 502 Bad Gateway", ("alb", 502)),
        ("CloudFront: 503 ERROR The request could not be satisfied", ("cloudfront", 503)),
        ("the HTTP API answers 500 for every route", ("http", 500)),
        ("API Gateway HTTP API returns 503", ("http", 503)),
        ("my REST API returns 504 Gateway Timeout after 29 s", ("rest", 504)),
        ("la mia API su API Gateway risponde 502 Bad Gateway", ("api-gateway", 502)),
        ("the function URL answers 502", ("function-url", 502)),
    ],
)
def test_the_front_door_and_status_named(text, expected):
    assert described_response(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "we moved from an ALB to API Gateway and now get 502",  # two front doors
        "API Gateway returns 502, sometimes 504",  # two statuses
        "API Gateway returns {\"message\": \"Internal server error\"}",  # that body comes with 502 too
        "the lambda times out after 29 seconds",  # no front door, no status
        "API Gateway returns 403 Missing Authentication Token",  # not a 5XX
        "ALB listener on port 5020",  # a number inside another one
    ],
)
def test_nothing_when_the_words_do_not_name_exactly_one_of_each(text):
    assert described_response(text) is None


def test_a_described_alb_502_lists_its_causes_and_the_alb_steps(matcher):
    diagnosis = matcher.diagnose("ALB returns 502 when the lambda target returns a big json", lang="en")
    assert diagnosis.observed is not None and diagnosis.observed.source == "described"
    assert "payload-too-large" in diagnosis.consistent_with
    assert "missing-invoke-permission" not in diagnosis.consistent_with  # that is a REST 500
    text = render_diagnosis(diagnosis._replace(matches=()))  # the answer when no cause is found
    assert "You describe Application Load Balancer answering 502." in text
    assert "error_reason" in text and "execution logging" not in text  # ALB steps, not REST's
    assert "curl -i" in text  # nothing was pasted: the response itself is asked for


def test_a_pasted_response_wins_over_the_words(matcher):
    text = (
        "our ALB returns 502, here is curl:\n"
        "HTTP/2 500\ncontent-type: application/json\napigw-requestid: abc=\n\n"
        '{"message":"Internal Server Error"}'
    )
    diagnosis = matcher.diagnose(text, lang="en")
    assert diagnosis.observed is not None
    assert (diagnosis.observed.source, diagnosis.observed.front, diagnosis.observed.status) == ("pasted", "http", 500)


def test_described_words_never_remove_a_cause_from_the_ranking(matcher):
    """People say "500" for any error: the described status only orders what to check."""
    log = "Execution failed due to configuration error: Malformed Lambda proxy response"
    plain = matcher.diagnose(log, lang="en")
    described = matcher.diagnose(f"the HTTP API answers 500\n{log}", lang="en")
    assert plain.best is not None and described.best is not None
    assert described.best.id == plain.best.id == "malformed-proxy-response"


def test_json_says_where_the_response_came_from():
    done = run_cli("diagnose", "--format", "json", "-", stdin="CloudFront says 503 could not be satisfied\n")
    document = json.loads(done.stdout)
    assert document["observed"] == {"front": "cloudfront", "status": 503, "source": "described"}
    assert "lambda-edge-error" in document["consistent_with"]


def test_italian_reads_as_written(matcher):
    diagnosis = matcher.diagnose("la mia API su API Gateway risponde 502 Bad Gateway, la lambda sembra a posto")
    assert diagnosis.language == "it"
    assert "Dalla descrizione: API Gateway risponde 502." in render_diagnosis(diagnosis._replace(matches=()))


def test_a_long_list_of_fitting_causes_is_cut_with_a_count(matcher):
    diagnosis = matcher.diagnose("API Gateway answers 500 to everything", lang="en")
    assert len(diagnosis.consistent_with) > 6
    line = next(line for line in render_diagnosis(diagnosis._replace(matches=())).splitlines()
                if line.startswith("Causes that give this status there"))
    assert line.count(",") == 6 and line.endswith(f"and {len(diagnosis.consistent_with) - 6} more.")


def test_the_literals_that_gate_each_pattern_are_implied_by_it():
    """A gate may only skip texts the pattern cannot match: each of the pattern's required
    strings (bot.core.matching.prefilter) holds one of the gate's literals."""
    from bot.core.matching import described
    from bot.core.matching.prefilter import required_literals

    gates = [(literals, words) for _, literals, words in described._FRONTS]
    gates += [((phrase,), words) for _, phrase, words in described._STATUS_WORDS]
    gates.append((("50",), described._STATUS_NUMBER))
    for literals, words in gates:
        required = required_literals(words.pattern)
        if required is None:  # the number pattern: its match is 50[0-4]
            assert words.pattern.count("50[0-4]") == 1 and literals == ("50",)
            continue
        assert all(any(literal in needed for literal in literals) for needed in required), words.pattern
