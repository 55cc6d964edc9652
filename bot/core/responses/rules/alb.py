"""Application Load Balancer with a Lambda target: {statusCode, statusDescription,
isBase64Encoded, headers | multiValueHeaders, body}. Header values must be strings, and
multiValueHeaders only when the target group turns them on; a malformed response is a 502 with
error_reason LambdaInvalidResponse (M-H)."""

from __future__ import annotations

from bot.core.responses.model import ALB_KEYS
from bot.core.responses.rules.context import ALB_GATEWAY, Checking
from bot.core.responses.rules.fields import (
    body_fix,
    check_base64,
    check_content_type,
    check_headers,
    check_multi_value_headers,
    read_status,
)
from bot.core.responses.texts import both, code, kind
from bot.core.responses.values import json_path, show


def check_alb(payload: object, ctx: Checking) -> int:
    gw = ALB_GATEWAY
    if not isinstance(payload, dict):
        message = both("alb.not-object", kind=kind(payload), rejects=gw.rejects())
        ctx.add("$", "error", "payload-not-object", message, _shape_fix(ctx))
        return 200

    for key in payload:
        name = str(key)
        if name not in ALB_KEYS:
            # Inferred: the load balancer reads the fields it knows.
            message = both("alb.ignored-key", name=name)
            ctx.add(json_path("", name), "warning", "ignored-key", message, _shape_fix(ctx))

    status = _check_status(payload.get("statusCode"), ctx)
    description = payload.get("statusDescription")
    if not isinstance(description, str) or not description:
        fix = both("alb.description-fix", code=code("alb-status-description", ctx.runtime))
        message = both("alb.description-missing")
        ctx.add("statusDescription", "warning", "status-description-missing", message, fix)
    if "isBase64Encoded" not in payload:
        fix = both("alb.base64-flag-fix", code=code("alb-base64-flag", ctx.runtime))
        ctx.add(
            "isBase64Encoded",
            "warning",
            "base64-flag-missing",
            both("alb.base64-flag-missing"),
            fix,
        )

    body = payload.get("body")
    if body is not None and not isinstance(body, str):
        message = both("alb.body-not-string", kind=kind(body), rejects=gw.rejects())
        ctx.add("body", "error", "body-not-string", message, body_fix(ctx))

    # Recorded (M-H): the ALB wants string header values; a numeric content-length is rejected.
    headers_ok = check_headers(payload.get("headers"), "headers", gw, ctx, strict=True)
    mvh = payload.get("multiValueHeaders")
    mvh_ok = True
    if mvh is not None and not ctx.alb_multi_value_headers:
        message = both("alb.multi-value-headers-off", rejects=gw.rejects())
        fix = both("alb.multi-value-headers-off-fix")
        ctx.add("multiValueHeaders", "error", "multi-value-headers-off", message, fix)
        mvh_ok = False
    elif mvh is not None:
        mvh_ok = check_multi_value_headers(mvh, gw, ctx, strict=True)
    check_base64(payload, gw, ctx, decoded_by_config=False)
    if headers_ok and mvh_ok:
        check_content_type(payload, gw, ctx, adds_json_default=False)
    return status


def _shape_fix(ctx: Checking) -> dict[str, str]:
    return both("alb.shape-fix", code=code("full-response-alb", ctx.runtime))


def _check_status(value: object, ctx: Checking) -> int:
    """Documented shape: statusCode is a required integer (a string is not inferred to work here)."""
    read, _ = (
        read_status(value) if isinstance(value, int) and not isinstance(value, bool) else (None, "")
    )
    if value is not None and read is not None:
        return read
    rejects = ALB_GATEWAY.rejects()
    fix = both("alb.status-fix", code=code("status-int", ctx.runtime))
    if value is None:
        ctx.add(
            "statusCode",
            "error",
            "status-code-missing",
            both("alb.status-missing", rejects=rejects),
            fix,
        )
    else:
        message = both("alb.status-invalid", kind=kind(value), value=show(value), rejects=rejects)
        ctx.add("statusCode", "error", "status-code-invalid", message, fix)
    return 200
