"""Lambda's error object ({"errorMessage", "errorType", ...}): the function failed, so this is
not a response at all, and the knowledge entry its message points to."""

from __future__ import annotations

import re

from bot.core.lazy_re import lazy_compile
from bot.core.responses.model import LAMBDA_ERROR_KEYS, Problem
from bot.core.responses.texts import both, code
from bot.core.responses.values import short

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any


def is_lambda_error(payload: object) -> bool:
    """Lambda's error object, not a response: only error keys, at least errorMessage/errorType."""
    if not isinstance(payload, dict) or not payload:
        return False
    keys = {str(k) for k in payload}
    return bool(keys & {"errorMessage", "errorType"}) and keys <= LAMBDA_ERROR_KEYS


# errorType / errorMessage clues -> the catalog entry that explains them better than
# "unhandled-function-error" (shared/catalog.md ids).
_ERROR_ENTRIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        lazy_compile(r"ResponseSizeTooLarge|Response payload size exceeded", re.IGNORECASE),
        "payload-too-large",
    ),
    (
        lazy_compile(
            r"Runtime\.ImportModuleError|Unable to import module|Cannot find module|No module named"
        ),
        "import-module-error",
    ),
    (
        lazy_compile(
            r"Runtime\.HandlerNotFound|Runtime\.MalformedHandlerName|is undefined or not exported|missing on module"
        ),
        "handler-not-found",
    ),
    (lazy_compile(r"Sandbox\.Timedout|Task timed out after"), "function-timeout"),
    (
        lazy_compile(
            r"Runtime\.ExitError|Runtime exited|signal: killed|Process exited before completing"
        ),
        "runtime-exit",
    ),
    (
        lazy_compile(r"EACCES|Errno 13\] Permission denied|permission denied", re.IGNORECASE),
        "package-permission-denied",
    ),
)
# Who answers, and how it says the function failed.
_OUTCOME = {"rest": "rest", "http-v1": "http", "http-v2": "http", "alb": "alb"}


def function_error(
    payload: dict[Any, Any], integration: str, runtime: str | None
) -> tuple[Problem, str]:
    """The problem to report, and the knowledge entry that explains the failure."""
    error_type = short(str(payload.get("errorType") or ""), 80)
    error_message = short(str(payload.get("errorMessage") or ""), 200)
    clue = f"{error_type} {error_message}"
    entry = next(
        (e for pattern, e in _ERROR_ENTRIES if pattern.search(clue)), "unhandled-function-error"
    )
    what: str | dict[str, str] = (
        f"`{error_type}`: {error_message}"
        if error_type
        else error_message or both("function-error.no-message")
    )
    # Payload 2.0 would serve this object as a 200 body if the code returned it on purpose.
    note = both("function-error.v2-note") if integration == "http-v2" else ""
    outcome = both("function-error.outcome", variant=_OUTCOME[integration])
    message = both("function-error.message", what=what, outcome=outcome, note=note)
    fix = both(
        "function-error.fix",
        cause=both("function-error.cause", variant=entry),
        code=code("catch-errors", runtime),
    )
    return Problem("$", "error", "function-error", message, fix), entry
