"""Small, language-free helpers on JSON values: how big, how shown, where, what they hold."""

from __future__ import annotations

import json

from bot.core.lazy_re import compile_cached


def json_size(payload: object) -> int | None:
    """Bytes of the payload's compact JSON, None when it cannot be serialized."""
    try:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    except (ValueError, TypeError, RecursionError):
        return None
    return len(text.encode("utf-8", errors="replace"))


def show(value: object, limit: int = 60) -> str:
    """A value as the user wrote it, on one line and cut to `limit` characters."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, TypeError, RecursionError):
        text = repr(value)
    return short(text, limit)


def short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PLAIN_NAME = compile_cached(r"[A-Za-z0-9_\-]+")


def json_path(parent: str, key: str) -> str:
    """JSON path: `headers.X-Count`, or `headers["a.b"]` when the name needs quoting."""
    if _PLAIN_NAME.fullmatch(key):
        return f"{parent}.{key}" if parent else key
    quoted = f"[{json.dumps(key, ensure_ascii=False)}]"
    return f"{parent}{quoted}" if parent else f"${quoted}"


def looks_like_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def is_base64(text: str) -> bool:
    import base64  # rarely needed: not on every paste's start-up
    import binascii

    compact = "".join(text.split())
    try:
        base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True
