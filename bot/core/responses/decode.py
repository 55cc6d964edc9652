"""Decoding one quoted value where it starts in a log line: JSON, or the Python repr that
`sam local` prints, and telling a cut quote (API Gateway's 1 KB limit, or the paste) from a bad one."""

from __future__ import annotations

import json

from bot.core.responses.model import QuotedResponse
from bot.core.responses.values import short

TRUNCATED = "[TRUNCATED]"
NOT_JSON = object()  # "no value here", distinct from a quoted null


def try_json(text: str) -> object:
    if not text or text[0] not in "{[":
        return NOT_JSON
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return NOT_JSON


def decode_quote(
    text: str, start: int, integration: str, source: str, *, skip_space: bool = False
) -> QuotedResponse:
    """Decode the JSON (or Python repr, as sam local prints) value starting at `start`."""
    index = start
    while index < len(text) and text[index] in " \t" + ("\r\n" if skip_space else ""):
        index += 1
    line_end = text.find("\n", index)
    line = text[index:] if line_end < 0 else text[index:line_end]
    truncated_mark = TRUNCATED in line
    try:
        payload, end = json.JSONDecoder().raw_decode(text, index)
        return QuotedResponse(text[index:end], payload, integration, False, source, True)
    except RecursionError:
        return QuotedResponse(short(line, 200), None, integration, False, source, False)
    except ValueError as exc:
        error = exc
    balanced_end = scan_balanced(text, index)
    if balanced_end is not None:
        fragment = text[index:balanced_end]
        python_value = _literal(fragment)
        if python_value is not NOT_JSON:
            return QuotedResponse(
                fragment, _jsonable(python_value), integration, False, source, True
            )
    # Unterminated: the quote was cut (by API Gateway's 1 KB limit or by the paste).
    unterminated = balanced_end is None and index < len(text) and text[index] in "{[\"'"
    msg = getattr(error, "msg", "")
    cut = truncated_mark or unterminated or msg.startswith("Unterminated string")
    shown = line.replace(TRUNCATED, "").rstrip()
    return QuotedResponse(shown, None, integration, cut, source, False)


def scan_balanced(text: str, start: int) -> int | None:
    """End index of the bracketed value at `start` ({...}, [...]), honouring quotes; None if open."""
    if start >= len(text) or text[start] not in "{[(":
        return None
    closers = {"{": "}", "[": "]", "(": ")"}
    stack: list[str] = []
    quote: str | None = None
    index = start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            if char == quote:
                quote = None
            elif char == "\n":
                return None  # a string never spans lines in a log: the quote was cut
        elif char in "\"'":
            quote = char
        elif char in closers:
            stack.append(closers[char])
        elif char in ")]}":
            if not stack or stack.pop() != char:
                return None
            if not stack:
                return index + 1
        index += 1
    return None


def _literal(fragment: str) -> object:
    if len(fragment) > 1_000_000:
        return NOT_JSON
    import ast  # only for a Python dict quoted in a log: not on every paste's start-up

    try:
        return ast.literal_eval(fragment)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return NOT_JSON


def _jsonable(value: object, depth: int = 0) -> object:
    """sam local prints Python values: make sets, tuples and bytes JSON-like."""
    if depth > 100:
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return [_jsonable(v, depth + 1) for v in sorted(value, key=repr)]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, complex):
        return str(value)
    return value
