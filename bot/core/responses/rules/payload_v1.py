"""Payload format 1.0: a REST API's Lambda proxy integration (AWS_PROXY, recorded against AWS)
and an HTTP API whose integration uses payload format 1.0.

Both read {statusCode, headers, multiValueHeaders, body, isBase64Encoded}. REST tolerates a
missing statusCode (200) and decodes base64 only for binaryMediaTypes; an HTTP API needs the
full shape and always decodes. Any other top-level key is rejected.
"""

from __future__ import annotations

import json

from bot.core.responses.model import PROXY_V1_KEYS, RESPONSE_HINT_KEYS
from bot.core.responses.rules.context import HTTP_GATEWAY, REST_GATEWAY, Checking, Gateway
from bot.core.responses.rules.fields import (
    check_base64,
    check_body,
    check_content_type,
    check_headers,
    check_multi_value_headers,
    check_status_code,
)
from bot.core.responses.texts import both, code, kind, variants
from bot.core.responses.values import json_path

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any


def check_rest(payload: object, ctx: Checking) -> int:
    return _check(payload, ctx, REST_GATEWAY, http_api=False)


def check_http_v1(payload: object, ctx: Checking) -> int:
    return _check(payload, ctx, HTTP_GATEWAY, http_api=True)


def _check(payload: object, ctx: Checking, gw: Gateway, *, http_api: bool) -> int:
    if not isinstance(payload, dict):
        _not_an_object(payload, gw, ctx)
        return 200

    for key in payload:
        if str(key) not in PROXY_V1_KEYS:
            _extra_key(str(key), gw, ctx)

    status = check_status_code(payload, gw, ctx, required=http_api)
    check_body(payload, gw, ctx)
    headers_ok = check_headers(payload.get("headers"), "headers", gw, ctx)
    mvh_ok = check_multi_value_headers(payload.get("multiValueHeaders"), gw, ctx)
    check_base64(payload, gw, ctx, decoded_by_config=not http_api)
    if headers_ok and mvh_ok:
        check_content_type(payload, gw, ctx, adds_json_default=not http_api)
    return status


def _not_an_object(payload: object, gw: Gateway, ctx: Checking) -> None:
    if payload is None:
        # A Node.js async handler that never returns, or a Python handler without `return`.
        message = both("payload-v1.null", rejects=gw.rejects())
        fix = both("payload-v1.null-fix", code=code("full-response", ctx.runtime))
        ctx.add("$", "error", "payload-not-object", message, fix)
    elif stringified_response(payload) is not None:
        message = both("payload-v1.stringified", rejects=gw.rejects())
        ctx.add("$", "error", "payload-stringified", message, no_double_encode_fix(ctx))
    else:
        message = both("payload-v1.not-object", kind=kind(payload), rejects=gw.rejects())
        fix = both("payload-v1.not-object-fix", code=code("full-response", ctx.runtime))
        ctx.add("$", "error", "payload-not-object", message, fix)


def stringified_response(payload: object) -> dict[Any, Any] | None:
    """The response object when `payload` is that object serialized once more into a string."""
    if not isinstance(payload, str) or not payload.lstrip().startswith("{"):
        return None
    try:
        inner = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if isinstance(inner, dict) and {str(k) for k in inner} & RESPONSE_HINT_KEYS:
        return inner
    return None


def no_double_encode_fix(ctx: Checking) -> dict[str, str]:
    return both("fixes.no-double-encode", code=code("no-double-encode", ctx.runtime))


def _extra_key(key: str, gw: Gateway, ctx: Checking) -> None:
    hint: dict[str, str]
    if key in variants("payload-v1.key-hint"):
        hint = both("payload-v1.key-hint", variant=key)
    else:
        # Go structs without json tags, or a typo: same name in another case.
        same = next((k for k in PROXY_V1_KEYS if k.lower() == key.lower()), None)
        hint = (
            both("payload-v1.key-case", key=key, same=same)
            if same
            else both("payload-v1.key-other")
        )
    message = both("payload-v1.extra-key", key=key, gateway=gw.name, status=gw.status, log=gw.log)
    fix = both("payload-v1.extra-key-fix", hint=hint, code=code("full-response", ctx.runtime))
    ctx.add(json_path("", key), "error", "extra-key", message, fix)
