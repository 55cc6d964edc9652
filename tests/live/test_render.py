"""Rendering a CheckReport: text, markdown, and Slack Block Kit within its limits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.live.finding import ApiInfo, CheckReport, Finding
from bot.live.render import render_report
from bot.slack.rendering.blocks import limit_problems
from bot.slack.rendering.live_blocks import render_check_report

API = ApiInfo("a1b2c3d4e5", "shop", "REST")


def report_of(findings: list[Finding], **kwargs: object) -> CheckReport:
    return CheckReport(api=API, stages=("prod",), region="us-east-1", findings=tuple(findings), duration=1.2,
                       aws_calls=14, **kwargs)  # type: ignore[arg-type]


FAIL = Finding("invoke_permission", "fail", "missing-invoke-permission", "function orders",
               "API Gateway may not invoke orders for GET /orders on prod",
               'aws lambda add-permission --function-name orders --source-arn "arn:aws:execute-api:us-east-1:1:a/*"',
               ("arn:aws:execute-api:us-east-1:1:a1b2c3d4e5/prod/GET/orders",))
PASS = Finding("concurrency", "pass", None, "function orders", "no reserved concurrency")


def test_text_groups_by_status_and_shows_the_fix() -> None:
    text = render_report(report_of([PASS, FAIL]))
    assert text.index("Failing (1)") < text.index("Passing (1)")
    assert "fix: aws lambda add-permission" in text
    assert "[missing-invoke-permission]" in text


def test_markdown() -> None:
    markdown = render_report(report_of([FAIL]), markdown=True)
    assert markdown.startswith("## badgateway check: REST API a1b2c3d4e5 (shop)")
    assert "```" in markdown and "### Failing (1)" in markdown


def test_slack_message_is_within_limits() -> None:
    message = render_check_report(report_of([FAIL, PASS]))
    assert limit_problems(message) == []
    assert "missing-invoke-permission" in message.text
    assert message.blocks[0]["type"] == "header"


def test_slack_escapes_log_text() -> None:
    finding = Finding("recent_logs", "fail", "unhandled-function-error", "function x", "boom <!channel> & <@U1>")
    message = render_check_report(report_of([finding]))
    rendered = str(message.blocks)
    assert "<!channel>" not in rendered and "&lt;!channel&gt;" in rendered


def test_slack_huge_report_fits_and_says_what_was_left_out() -> None:
    findings = [Finding("invoke_permission", "fail", "missing-invoke-permission", f"function f{i}", "x" * 2500,
                        "y" * 2500, ("z" * 400,) * 3) for i in range(120)]
    findings += [Finding("metrics", "pass", None, f"stage s{i}", "ok") for i in range(300)]
    message = render_check_report(report_of(findings, partial=True))
    assert limit_problems(message) == []
    assert message.shortened and "did not fit" in str(message.blocks[-1])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(["fail", "warn", "pass", "error", "skip"]),
    st.text(max_size=4000), st.text(max_size=3000), st.text(max_size=300)), max_size=80))
def test_slack_limits_hold_for_any_report(raw: list[tuple[str, str, str, str]]) -> None:
    findings = [Finding("timeouts", status, None, resource, message or "m", fix or None, (resource,))  # type: ignore[arg-type]
                for status, message, fix, resource in raw]
    assert limit_problems(render_check_report(report_of(findings))) == []
