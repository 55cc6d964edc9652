"""The rules of each integration kind, behind one interface: `check(payload, ctx) -> status`.

Each adds what it finds to `ctx.problems` and returns the status the client gets when nothing
it found is an error. Size (`size.py`) and Lambda's error object (`function_error.py`) are
looked at first, for every kind; `fields.py` holds the field rules the kinds share.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.responses.rules.alb import check_alb
from bot.core.responses.rules.context import Checking
from bot.core.responses.rules.payload_v1 import check_http_v1, check_rest
from bot.core.responses.rules.payload_v2 import check_http_v2

Rules = Callable[[object, Checking], int]

# The keys are the integrations `validate_response` and `--integration` accept.
RULES: dict[str, Rules] = {
    "rest": check_rest,
    "http-v1": check_http_v1,
    "http-v2": check_http_v2,
    "alb": check_alb,
}
