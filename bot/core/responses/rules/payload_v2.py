"""HTTP API payload format 2.0: with a statusCode the payload is a response
{statusCode, headers, cookies, body, isBase64Encoded}; without one, the whole payload is served as
a 200 JSON body (documented). Unknown fields are left out of the response."""

from __future__ import annotations

from bot.core.responses.model import HTTP_V2_KEYS, RESPONSE_HINT_KEYS
from bot.core.responses.rules.context import HTTP_GATEWAY, Checking
from bot.core.responses.rules.fields import (
    body_fix,
    check_base64,
    check_content_type,
    check_headers,
    check_status_code,
)
from bot.core.responses.rules.payload_v1 import no_double_encode_fix, stringified_response
from bot.core.responses.texts import both, code, kind
from bot.core.responses.values import json_path, looks_like_json


def check_http_v2(payload: object, ctx: Checking) -> int:
    gw = HTTP_GATEWAY
    # A null statusCode counts as not returned (inferred), like a missing one.
    if not isinstance(payload, dict) or payload.get("statusCode") is None:
        _served_as_body(payload, ctx)
        return 200

    for key in payload:
        name = str(key)
        if name in HTTP_V2_KEYS:
            continue
        # Inferred (SAM local mirrors it): unknown fields are left out of the response.
        message = (
            both("payload-v2.ignored-multi-value-headers")
            if name == "multiValueHeaders"
            else both("payload-v2.ignored-key", name=name)
        )
        fix = both("payload-v2.ignored-key-fix", code=code("full-response-v2", ctx.runtime))
        ctx.add(json_path("", name), "warning", "ignored-key", message, fix)

    status = check_status_code(payload, gw, ctx, required=True)
    body = payload.get("body")
    if body is not None and not isinstance(body, str):
        message = both("payload-v2.body-not-string", kind=kind(body))
        ctx.add("body", "error", "body-not-string", message, body_fix(ctx))
    headers_ok = check_headers(payload.get("headers"), "headers", gw, ctx)
    _check_cookies(payload.get("cookies"), ctx)
    check_base64(payload, gw, ctx, decoded_by_config=False)
    if headers_ok:
        check_content_type(payload, gw, ctx, adds_json_default=False)
    return status


def _served_as_body(payload: object, ctx: Checking) -> None:
    """Documented: valid JSON without statusCode -> 200, application/json, body = the JSON."""
    if isinstance(payload, dict):
        if {str(k) for k in payload} & RESPONSE_HINT_KEYS:  # meant as a response
            ctx.add(
                "statusCode",
                "warning",
                "status-code-missing",
                both("payload-v2.status-missing"),
                _full_response_fix(ctx),
            )
    elif payload is None:
        ctx.add("$", "warning", "payload-null", both("payload-v2.null"), _full_response_fix(ctx))
    elif stringified_response(payload) is not None:
        message = both("payload-v2.stringified")
        ctx.add("$", "warning", "payload-stringified", message, no_double_encode_fix(ctx))
    elif isinstance(payload, str) and not looks_like_json(payload):
        message = both("payload-v2.plain-string")
        ctx.add("$", "warning", "content-type-defaulted", message, _full_response_fix(ctx))


def _full_response_fix(ctx: Checking) -> dict[str, str]:
    return both("payload-v2.full-response-fix", code=code("full-response-v2", ctx.runtime))


def _check_cookies(cookies: object, ctx: Checking) -> None:
    if cookies is None:
        return
    if not isinstance(cookies, list):
        message = both("payload-v2.cookies-not-list", kind=kind(cookies))
        ctx.add("cookies", "error", "cookies-not-list", message, _cookies_fix(ctx))
        return
    for index, cookie in enumerate(cookies):
        if not isinstance(cookie, str):
            message = both("payload-v2.cookie-not-string", index=index, kind=kind(cookie))
            ctx.add(f"cookies[{index}]", "error", "cookie-not-string", message, _cookies_fix(ctx))


def _cookies_fix(ctx: Checking) -> dict[str, str]:
    return both("payload-v2.cookies-fix", code=code("cookies", ctx.runtime))
