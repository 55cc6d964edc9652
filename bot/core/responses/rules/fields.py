"""Rules for the fields several response shapes share: statusCode, body, headers,
multiValueHeaders, isBase64Encoded and the Content-Type the client ends up with."""

from __future__ import annotations

import math
import re

from bot.core.responses.rules.context import Checking, Gateway
from bot.core.responses.texts import both, code, kind
from bot.core.responses.values import is_base64, json_path, looks_like_json, show

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any


def check_status_code(
    payload: dict[Any, Any], gw: Gateway, ctx: Checking, *, required: bool
) -> int:
    """Status the client gets from statusCode; problems for anything API Gateway won't read."""
    value = payload.get("statusCode")
    if value is None:  # missing, or null (read as missing)
        if required:
            ctx.add(
                "statusCode",
                "error",
                "status-code-missing",
                both("fields.status-required"),
                status_fix(ctx),
            )
        else:
            ctx.add(
                "statusCode",
                "warning",
                "status-code-missing",
                both("fields.status-missing"),
                status_fix(ctx),
            )
        return 200
    status, note = read_status(value)
    if status is None:
        message = both(
            "fields.status-invalid", kind=kind(value), value=show(value), rejects=gw.rejects()
        )
        ctx.add("statusCode", "error", "status-code-invalid", message, status_fix(ctx))
        return 200
    if note == "string":
        message = both("fields.status-string", value=show(value), status=status)
        ctx.add("statusCode", "warning", "status-code-string", message, status_fix(ctx))
    elif note == "float":
        # Inferred: a Java (Jackson) int field takes 200.0 as 200.
        message = both("fields.status-float", value=show(value), status=status)
        ctx.add("statusCode", "warning", "status-code-float", message, status_fix(ctx))
    return status


def status_fix(ctx: Checking) -> dict[str, str]:
    return both("fixes.status-number", code=code("status-int", ctx.runtime))


def read_status(value: object) -> tuple[int | None, str]:
    """(status, how it was written) or (None, "") when it is not a usable HTTP status."""
    if isinstance(value, bool):
        return None, ""
    if isinstance(value, int):
        status, note = value, ""
    elif (
        isinstance(value, float)
        and math.isfinite(value)
        and value.is_integer()
        and abs(value) < 1e6
    ):
        status, note = int(value), "float"
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{1,6}", value):
        status, note = int(value), "string"  # recorded: "201" -> 201
    else:
        return None, ""
    # Inferred: HTTP has no status outside 100-599, so API Gateway cannot send one.
    if not 100 <= status <= 599:
        return None, ""
    return status, note


def body_fix(ctx: Checking) -> dict[str, str]:
    return both("fixes.body-string", code=code("body-string", ctx.runtime, all_runtimes=True))


def check_body(payload: dict[Any, Any], gw: Gateway, ctx: Checking) -> None:
    body = payload.get("body")
    if body is None or isinstance(body, str):  # null or missing: empty body
        return
    message = both(
        "fields.body-not-string", kind=kind(body), gateway=gw.name, status=gw.status, log=gw.log
    )
    ctx.add("body", "error", "body-not-string", message, body_fix(ctx))


def check_headers(
    headers: object, where: str, gw: Gateway, ctx: Checking, *, strict: bool = False
) -> bool:
    """Check a {name: value} header map; True when it is a map (or null) whose names can be read.

    strict: every value must be a string (ALB). Otherwise scalars are sent as text (a boolean as
    "true", recorded for REST) and only objects/arrays are rejected (M).
    """
    if headers is None:
        return True
    if not isinstance(headers, dict):
        message = both(
            "fields.headers-not-object", where=where, kind=kind(headers), rejects=gw.rejects()
        )
        fix = both("fields.headers-fix", code=code("content-type", ctx.runtime))
        ctx.add(where, "error", "headers-not-object", message, fix)
        return False
    for name, value in headers.items():
        _check_header_value(json_path(where, str(name)), str(name), value, gw, ctx, strict=strict)
    return True


def _check_header_value(
    path: str, name: str, value: object, gw: Gateway, ctx: Checking, *, strict: bool
) -> None:
    if isinstance(value, str):
        return
    fix = both("fields.header-fix", code=code("header-string", ctx.runtime, header=name))
    if strict or isinstance(value, (dict, list)):
        message = both(
            "fields.header-not-string",
            name=name,
            kind=kind(value),
            value=show(value),
            rejects=gw.rejects(),
        )
        ctx.add(path, "error", "header-value-not-string", message, fix)
    elif isinstance(value, bool):
        message = both("fields.header-boolean", name=name, value="true" if value else "false")
        ctx.add(path, "warning", "header-value-boolean", message, fix)
    elif value is None:
        # Inferred: a null value cannot be sent as a header; expect it to be dropped or empty.
        ctx.add(path, "warning", "header-value-null", both("fields.header-null", name=name), fix)
    else:
        # Inferred: a number is read as its text, like the boolean recorded against AWS.
        message = both("fields.header-number", name=name, kind=kind(value), value=show(value))
        ctx.add(path, "warning", "header-value-not-string", message, fix)


def check_multi_value_headers(
    mvh: object, gw: Gateway, ctx: Checking, *, strict: bool = False
) -> bool:
    if mvh is None:
        return True
    if not isinstance(mvh, dict):
        message = both("fields.multi-value-not-object", kind=kind(mvh), rejects=gw.rejects())
        ctx.add(
            "multiValueHeaders", "error", "multi-value-headers-not-object", message, _mvh_fix(ctx)
        )
        return False
    for name, values in mvh.items():
        path = json_path("multiValueHeaders", str(name))
        if not isinstance(values, list):
            message = both(
                "fields.multi-value-not-list",
                name=str(name),
                kind=kind(values),
                value=show(values),
                rejects=gw.rejects(),
            )
            ctx.add(path, "error", "multi-value-header-not-list", message, _mvh_fix(ctx))
            continue
        for index, value in enumerate(values):
            _check_header_value(f"{path}[{index}]", str(name), value, gw, ctx, strict=strict)
    return True


def _mvh_fix(ctx: Checking) -> dict[str, str]:
    return both("fields.multi-value-fix", code=code("multi-value", ctx.runtime))


def _base64_fix(ctx: Checking) -> dict[str, str]:
    return both("fields.base64-fix", code=code("base64", ctx.runtime))


def check_base64(
    payload: dict[Any, Any], gw: Gateway, ctx: Checking, *, decoded_by_config: bool
) -> None:
    """isBase64Encoded must be a boolean; when true, the body must be base64.

    decoded_by_config: REST decodes only when the API's binaryMediaTypes match (recorded: without
    them the client gets the base64 text); HTTP APIs and ALB always decode.
    """
    flag = payload.get("isBase64Encoded")
    if flag is None or flag is False:
        return
    if flag is not True:
        if isinstance(flag, str) and flag.lower() in ("true", "false"):
            # Inferred: Java's JSON reader takes "true"/"false" for a boolean.
            message = both("fields.base64-flag-string", value=show(flag))
            ctx.add("isBase64Encoded", "warning", "base64-flag-string", message, _base64_fix(ctx))
            if flag.lower() == "false":
                return
        else:
            message = both(
                "fields.base64-flag-invalid",
                kind=kind(flag),
                value=show(flag),
                rejects=gw.rejects(),
            )
            ctx.add("isBase64Encoded", "error", "base64-flag-invalid", message, _base64_fix(ctx))
            return
    body = payload.get("body")
    if decoded_by_config:
        ctx.add(
            "isBase64Encoded",
            "warning",
            "base64-needs-binary-media-types",
            both("fields.base64-binary-media-types"),
            both("fields.base64-binary-media-types-fix"),
        )
    if isinstance(body, str) and not is_base64(body):
        where = (
            both("fields.base64-undecodable-binary")
            if decoded_by_config
            else both("fields.base64-undecodable", gateway=gw.name)
        )
        message = both("fields.base64-body-invalid", where=where)
        ctx.add("body", "warning", "base64-body-invalid", message, _base64_fix(ctx))


def check_content_type(
    payload: dict[Any, Any], gw: Gateway, ctx: Checking, *, adds_json_default: bool
) -> None:
    """Warn when the client gets a body without a Content-Type AWS would add, or a wrong one.

    adds_json_default: REST adds `Content-Type: application/json` when no headers are returned
    (recorded); with some headers, or elsewhere, none is added for the function.
    """
    body = payload.get("body")
    if not isinstance(body, str) or not body:
        return
    names = _header_names(payload.get("headers")) | _header_names(payload.get("multiValueHeaders"))
    if "content-type" in names:
        return
    if adds_json_default and not names:
        if payload.get("isBase64Encoded") is True or looks_like_json(body):
            return
        problem, message = "content-type-defaulted", both("fields.content-type-defaulted")
    else:
        problem, message = (
            "content-type-missing",
            both("fields.content-type-missing", gateway=gw.name),
        )
    fix = both("fields.content-type-fix", code=code("content-type", ctx.runtime))
    ctx.add("headers", "warning", problem, message, fix)


def _header_names(headers: object) -> set[str]:
    if not isinstance(headers, dict):
        return set()
    return {str(name).lower() for name in headers}
