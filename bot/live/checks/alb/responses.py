"""What a Lambda target group expects back: `lambda.multi_value_headers.enabled` says whether the
load balancer reads `headers` (off, the default) or `multiValueHeaders` (on), and a response may be
1 MB at most. Where the function's recent log quotes or logs what it returned, that response is validated
against the setting (-> malformed-proxy-response, error_reason LambdaInvalidResponse; or
payload-too-large, LambdaResponseTooLarge)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.live.aws import AwsCallError
from bot.live.checks.base import Check
from bot.live.finding import Finding

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import LambdaTarget, TargetGroup

MULTI_VALUE = "lambda.multi_value_headers.enabled"
MAX_QUOTES = 20  # quoted responses validated per function
MAX_LOGGED_LINE = 256 * 1024  # longer lines are not parsed for a logged response


class AlbResponses(Check):
    id = "alb_responses"
    title = "Responses fit the target group (multi-value headers, 1 MB)"
    entry = "malformed-proxy-response"
    iam_actions = ("elasticloadbalancing:DescribeTargetGroupAttributes", "logs:StartQuery", "logs:GetQueryResults",
                   "logs:FilterLogEvents")
    needs = frozenset({"tg_attributes", "function_log"})
    protocols = ("ALB",)

    def run(self, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for group in context.inventory.target_groups:
            findings += self.guarded(group.arn, lambda g=group: self._group(context, g))
        return findings

    def _group(self, context: CheckContext, group: TargetGroup) -> list[Finding]:
        attributes = context.target_group_attributes(group.arn)
        multi_value = attributes.get(MULTI_VALUE, "false").lower() == "true"
        findings: list[Finding] = []
        seen = 0
        for target in group.targets:
            found, checked = self._quoted(context, group, target, multi_value)
            findings += found
            seen += checked
        if not findings:
            expects = "multiValueHeaders (lists of values)" if multi_value else "headers (one string value each)"
            known = (f"; {seen} response(s) quoted in the functions' logs fit it" if seen else
                     "; no response is quoted in the functions' recent logs to compare with it")
            findings.append(self.finding(
                "pass", group.arn,
                f"target group {group.name} has multi-value headers {'on' if multi_value else 'off'}: the load "
                f"balancer reads {expects}, and a response over 1 MB fails (LambdaResponseTooLarge){known}",
                evidence=(f"{MULTI_VALUE} {str(multi_value).lower()}",),
            ))
        return findings

    def _quoted(self, context: CheckContext, group: TargetGroup, target: LambdaTarget,
                multi_value: bool) -> tuple[list[Finding], int]:
        from bot.core.responses import find_quoted_responses, validate_response

        try:
            log = context.function_log(target)
        except AwsCallError:
            return [], 0  # the recent_logs check reports why
        checked = 0
        payloads = [q.payload for q in find_quoted_responses(log.text) if q.parsed and not q.truncated]
        payloads += logged_responses(log.messages)
        for payload in payloads[:MAX_QUOTES]:
            checked += 1
            verdict = validate_response(payload, "alb", alb_multi_value_headers=multi_value)
            if verdict.accepted:
                continue
            problems = "; ".join(p.message["en"] for p in verdict.errors[:2])
            return [self.finding(
                "fail", group.arn,
                f"{target.label} returned a response target group {group.name} rejects (multi-value headers "
                f"{'on' if multi_value else 'off'}): {problems} The load balancer answers 502 "
                f"(error_reason {'LambdaResponseTooLarge' if verdict.entry == 'payload-too-large' else 'LambdaInvalidResponse'})",
                entry=verdict.entry,
                fix=" ".join(p.fix["en"] for p in verdict.errors[:2]) or None,
                evidence=(f"{MULTI_VALUE} {str(multi_value).lower()}", f"quoted in {log.group}"),
            )], checked
        return [], checked


def logged_responses(messages: tuple[str, ...]) -> list[dict[str, object]]:
    """Responses a function logged as JSON (`console.log(JSON.stringify(response))`, a structured
    logger's `message`): objects with a statusCode, newest first."""
    import json

    decoder = json.JSONDecoder()
    found: list[dict[str, object]] = []
    for message in reversed(messages):
        start = message.find("{")
        if start < 0 or "statusCode" not in message or len(message) > MAX_LOGGED_LINE:
            continue
        try:
            value, _ = decoder.raw_decode(message, start)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict) and isinstance(value.get("message"), dict):
            value = value["message"]
        if isinstance(value, dict) and "statusCode" in value:
            found.append(value)
        if len(found) >= MAX_QUOTES:
            break
    return found
