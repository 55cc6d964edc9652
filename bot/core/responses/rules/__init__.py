"""The rules of each integration kind, behind one interface: `check(payload, ctx) -> status`.

Each adds what it finds to `ctx.problems` and returns the status the client gets when nothing
it found is an error. Size (`size.py`) and Lambda's error object (`function_error.py`) are
looked at first, for every kind; `fields.py` holds the field rules the kinds share. A kind's
module is imported when a response of that kind is first checked: a pasted REST log needs
neither the ALB's rules nor payload 2.0's.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.responses.rules.context import Checking

Rules = Callable[[object, Checking], int]

# The keys are the integrations `validate_response` and `--integration` accept: module, function.
_WHERE: dict[str, tuple[str, str]] = {
    "rest": ("payload_v1", "check_rest"),
    "http-v1": ("payload_v1", "check_http_v1"),
    "http-v2": ("payload_v2", "check_http_v2"),
    "alb": ("alb", "check_alb"),
}
INTEGRATION_KINDS = tuple(_WHERE)


def rules_for(integration: str) -> Rules:
    """The check of `integration` (one of INTEGRATION_KINDS; KeyError for another)."""
    import importlib

    module, function = _WHERE[integration]
    check: Rules = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return check
