"""Size limits, checked before the shape: an oversized response fails before anyone reads it."""

from __future__ import annotations

from bot.core.responses.model import ALB_LIMIT, API_GATEWAY_LIMIT, LAMBDA_SYNC_LIMIT, NEAR_LIMIT
from bot.core.responses.rules.context import ALB_GATEWAY, HTTP_GATEWAY, REST_GATEWAY, Checking
from bot.core.responses.texts import both

_ANSWERING = {
    "rest": REST_GATEWAY,
    "http-v1": HTTP_GATEWAY,
    "http-v2": HTTP_GATEWAY,
    "alb": ALB_GATEWAY,
}


def check_size(size: int | None, integration: str, ctx: Checking) -> bool:
    """Add a size problem if any; True when the response is over a hard limit."""
    if size is None:
        return False
    if size > LAMBDA_SYNC_LIMIT:
        gw = _ANSWERING[integration]
        # Lambda fails, not the gateway's parser: the gateway's own log line does not apply.
        outcome = both("gateway.rejects", gateway=gw.name, status=gw.status, log="")
        also = both("size.over-api-gateway") if size > API_GATEWAY_LIMIT else ""
        message = both("size.over-lambda", size=human_size(size), outcome=outcome, also=also)
        ctx.add("$", "error", "payload-too-large", message, both("size.fix"))
        return True
    if integration == "alb" and size > ALB_LIMIT:
        message = both("size.over-alb", size=human_size(size))
        ctx.add("$", "error", "payload-too-large", message, both("size.fix"))
        return True
    limit, name = (ALB_LIMIT, "alb") if integration == "alb" else (LAMBDA_SYNC_LIMIT, "lambda")
    if size > NEAR_LIMIT * limit:
        pct = round(100 * size / limit)
        limit_name = both("size.limit", variant=name)
        message = both("size.near-limit", size=human_size(size), pct=pct, limit=limit_name)
        ctx.add("$", "warning", "payload-near-limit", message, both("size.fix"))
    return False


def human_size(size: int) -> dict[str, str]:
    """Like "6.0 MB (6,291,557 bytes)", with each language's decimal and thousands separators."""
    amounts: dict[str, dict[str, str]] = {"mb": {}, "kb": {}, "bytes": {}}
    for lang, (point, thousands) in {"en": (".", ","), "it": (",", ".")}.items():
        swap = str.maketrans({".": point, ",": thousands})
        amounts["mb"][lang] = f"{size / (1024 * 1024):.1f}".translate(swap)
        amounts["kb"][lang] = f"{size / 1024:.1f}".translate(swap)
        amounts["bytes"][lang] = f"{size:,}".translate(swap)
    if size >= 1024 * 1024:
        return both("size.amount-mb", mb=amounts["mb"], bytes=amounts["bytes"])
    if size >= 1024:
        return both("size.amount-kb", kb=amounts["kb"], bytes=amounts["bytes"])
    return both("size.amount-bytes", bytes=str(size))
