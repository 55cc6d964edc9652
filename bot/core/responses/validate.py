"""`validate_response`: what the client gets when the function returns this payload."""

from __future__ import annotations

from bot.core.responses.model import INTEGRATIONS, REJECT_STATUS, RUNTIMES, Problem, ResponseVerdict
from bot.core.responses.rules import rules_for
from bot.core.responses.rules.context import Checking
from bot.core.responses.rules.function_error import function_error, is_lambda_error
from bot.core.responses.rules.size import check_size
from bot.core.responses.values import json_size


def validate_response(
    payload: object,
    integration: str,
    *,
    raw_size: int | None = None,
    runtime: str | None = None,
    alb_multi_value_headers: bool = False,
) -> ResponseVerdict:
    """Decide what the client gets when the function returns `payload` (already decoded JSON).

    raw_size: the payload's size in bytes as the function sent it, when known; otherwise the
    size of its compact JSON serialization. runtime: "nodejs" | "python" | "java" | "go" to
    write fix samples for that language only. alb_multi_value_headers: whether the ALB target
    group has multi-value headers turned on (off by default in AWS).
    """
    if integration not in INTEGRATIONS:
        raise ValueError(f"unknown integration {integration!r}; expected one of {INTEGRATIONS}")
    ctx = Checking(runtime if runtime in RUNTIMES else None, alb_multi_value_headers)
    size = raw_size if raw_size is not None else json_size(payload)

    if check_size(size, integration, ctx):
        # Lambda (or the load balancer) fails before the shape is ever looked at.
        return _verdict(integration, ctx.problems, 200, "payload-too-large")

    if is_lambda_error(payload):
        assert isinstance(payload, dict)
        problem, entry = function_error(payload, integration, ctx.runtime)
        return _verdict(integration, [problem, *ctx.problems], 200, entry)

    status = rules_for(integration)(payload, ctx)
    return _verdict(integration, ctx.problems, status, "malformed-proxy-response")


def _verdict(integration: str, problems: list[Problem], status: int, entry: str) -> ResponseVerdict:
    # Errors first, so the first line a user reads is why it failed.
    ordered = tuple(sorted(problems, key=lambda p: p.severity != "error"))
    accepted = not any(p.severity == "error" for p in ordered)
    return ResponseVerdict(
        integration=integration,
        accepted=accepted,
        status=status if accepted else REJECT_STATUS[integration],
        problems=ordered,
        entry=None if accepted else entry,
    )
