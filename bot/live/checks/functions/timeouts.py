"""Timeouts: the function's timeout against the integration's (-> integration-timeout), and
recent durations near the function's own timeout (-> function-timeout).

REST APIs stop waiting after 29 s unless the integration says otherwise (AWS returns
timeoutInMillis 29000; Regional and private APIs may raise it with a quota increase, edge-optimized
ones may not); HTTP APIs after at most 30 s. A function allowed to run longer keeps running, and
billing, after the client already got 504 (REST) or 503 (HTTP API).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.live.aws import AwsCallError
from bot.live.checks.base import ALL_PROTOCOLS, Check, function_resource
from bot.live.cloudwatch import FUNCTION_DURATION, query_id
from bot.live.finding import Finding
from bot.live.inventory import Binding, LambdaTarget

if TYPE_CHECKING:
    from bot.live.context import CheckContext

NEAR_TIMEOUT = 0.9  # a max duration past 90% of the timeout: the next slow request times out
_TASK_TIMED_OUT = re.compile(r"Task timed out after [\d.]+ seconds|Status: timeout")


class Timeouts(Check):
    id = "timeouts"
    title = "Function timeout fits the integration timeout"
    entry = "integration-timeout"
    iam_actions = ("lambda:GetFunctionConfiguration", "cloudwatch:GetMetricData", "logs:StartQuery",
                   "logs:GetQueryResults", "logs:FilterLogEvents")
    needs = frozenset({"configuration", "metrics", "function_log"})
    protocols = ALL_PROTOCOLS

    def run(self, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        function_index = {function: index for index, function in enumerate(context.inventory.functions())}
        for target in context.inventory.targets():
            findings += self.guarded(
                function_resource(target.label),
                lambda t=target: self._check(context, t, function_index.get(t.function)),
            )
        return findings

    def _check(self, context: CheckContext, target: LambdaTarget, index: int | None) -> list[Finding]:
        inventory = context.inventory
        configuration = context.configuration(target)
        function_ms = int(configuration.get("Timeout", 3)) * 1000
        bindings = [b for b in inventory.bindings_for(target) if b.route.integration]
        duration_ms = _max_duration(context, index)
        timed_out = _timed_out_lines(context, target)
        resource = function_resource(target.label)
        findings: list[Finding] = []
        integration_ms: int | None = None
        if bindings:  # behind a route: API Gateway waits this long at most
            tightest = min(bindings, key=lambda b: b.route.integration.effective_timeout_ms(inventory.protocol))  # type: ignore[union-attr]
            integration_ms = tightest.route.integration.effective_timeout_ms(inventory.protocol)  # type: ignore[union-attr]

        if bindings and integration_ms is not None and function_ms > integration_ms:
            ran_past = duration_ms is not None and duration_ms >= integration_ms
            message = (
                f"{target.label} may run {_s(function_ms)} but API Gateway stops waiting after {_s(integration_ms)} "
                f"on {tightest.route.key} ({_integration_origin(tightest, inventory.protocol)}): a request running "
                f"longer gets {'504' if inventory.protocol == 'REST' else '503'} while the function keeps running"
            )
            if ran_past:
                message += f"; it did: max duration {_s(duration_ms)} in the last {context.options.since_label}"
            findings.append(self.finding(
                "fail" if ran_past else "warn", resource, message,
                entry="integration-timeout",
                fix=_integration_fix(context, target, tightest, integration_ms),
                evidence=(f"function Timeout {function_ms // 1000} s", f"integration timeoutInMillis {integration_ms}"),
            ))

        if timed_out:
            findings.append(self.finding(
                "fail", resource,
                f"{target.label} hit its own {_s(function_ms)} timeout {len(timed_out)} time(s) in the last "
                f"{context.options.since_label}; {_who_answers(inventory.protocol)} for those requests",
                entry="function-timeout", fix=_function_fix(target, function_ms, integration_ms),
                evidence=tuple(timed_out[-3:]),
            ))
        elif duration_ms is not None and duration_ms >= NEAR_TIMEOUT * function_ms:
            findings.append(self.finding(
                "warn", resource,
                f"{target.label} ran up to {_s(duration_ms)} of its {_s(function_ms)} timeout in the last "
                f"{context.options.since_label}: the next slower request times out",
                entry="function-timeout", fix=_function_fix(target, function_ms, integration_ms),
            ))

        if not findings:
            seen = f"; max duration {_s(duration_ms)}" if duration_ms is not None else ""
            fits = f" fits the {_s(integration_ms)} integration timeout" if integration_ms is not None else ""
            findings.append(self.finding("pass", resource, f"timeout {_s(function_ms)}{fits}{seen}"))
        return findings


def _max_duration(context: CheckContext, index: int | None) -> float | None:
    """Recent max duration, or None; a metrics error is the metrics check's to report."""
    if index is None:
        return None
    try:
        return context.metrics().value(query_id(FUNCTION_DURATION, index))
    except AwsCallError:
        return None


def _timed_out_lines(context: CheckContext, target: LambdaTarget) -> list[str]:
    """'Task timed out' lines; a logs error is the recent_logs check's to report."""
    from bot.core.redact import redact

    try:
        log = context.function_log(target)
    except AwsCallError:
        return []
    return [redact(line.strip())[:300] for line in log.messages if _TASK_TIMED_OUT.search(line)]


def _s(milliseconds: float | None) -> str:
    if milliseconds is None:
        return "?"
    seconds = milliseconds / 1000
    return f"{seconds:.0f} s" if seconds == int(seconds) else f"{seconds:.2f} s"


def _integration_origin(binding: Binding, protocol: str) -> str:
    integration = binding.route.integration
    assert integration is not None
    if integration.timeout_ms:
        return f"timeoutInMillis {integration.timeout_ms}"
    return "the REST API default" if protocol == "REST" else "the HTTP API maximum"


def _integration_fix(context: CheckContext, target: LambdaTarget, binding: Binding, integration_ms: int) -> str:
    inventory = context.inventory
    limit = max(1, integration_ms // 1000 - 1)
    lines = [
        f"Keep the function under the integration timeout: aws lambda update-function-configuration "
        f"--region {target.region} --function-name {target.name} --timeout {limit}",
    ]
    if inventory.protocol == "REST" and any(t in ("REGIONAL", "PRIVATE") for t in inventory.endpoint_types):
        lines.append(
            "Or, as this is a Regional/private REST API, raise the integration timeout past 29 s (after a "
            "Service Quotas increase of 'Maximum integration timeout in milliseconds'): aws apigateway "
            f"update-integration --rest-api-id {inventory.api.id} --resource-id {binding.route.resource_id} "
            f"--http-method {binding.route.method} --patch-operations op=replace,path=/timeoutInMillis,value=60000 "
            f"&& aws apigateway create-deployment --rest-api-id {inventory.api.id} --stage-name {binding.stage.name}"
        )
    else:
        lines.append(
            "This integration timeout cannot be raised (HTTP APIs stop at 30 s, edge-optimized REST APIs at 29 s): "
            "for longer work, answer 202 at once and finish asynchronously (SQS, Step Functions)."
        )
    return "\n".join(lines)


def _function_fix(target: LambdaTarget, function_ms: int, integration_ms: int | None) -> str:
    ceiling = integration_ms // 1000 - 1 if integration_ms is not None else 900
    up_to = f" up to {ceiling} s" if integration_ms is not None else ""
    return (
        f"Find what is slow (X-Ray, the REPORT lines in /aws/lambda/{target.name}); give it more memory (and so CPU) "
        f"or, if it needs the time, raise the timeout{up_to}: aws lambda "
        f"update-function-configuration --region {target.region} --function-name {target.name} --timeout "
        f"{min(ceiling, max(function_ms // 1000 * 2, 1))}"
    )


def _who_answers(protocol: str) -> str:
    return {"REST": "API Gateway answers 502", "HTTP": "API Gateway answers 500", "ALB": "the load balancer answers 502",
            "FunctionURL": "the function URL answers a 5XX"}.get(protocol, "the caller gets a 5XX")
