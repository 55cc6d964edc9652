"""What every rule is handed: the check under way (runtime, problems so far) and the gateway
that answers the client when the response is rejected."""

from __future__ import annotations

from bot.core.record import Record
from bot.core.responses.model import Problem
from bot.core.responses.texts import both

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from bot.core.responses.model import Severity


class Checking:
    """One response being checked; rules add what they find to `problems`."""

    __slots__ = ("alb_multi_value_headers", "problems", "runtime")

    def __init__(self, runtime: str | None, alb_multi_value_headers: bool = False) -> None:
        self.runtime = runtime  # "nodejs" | "python" | "java" | "go": fix samples in that language only
        self.alb_multi_value_headers = alb_multi_value_headers  # the ALB target group's attribute
        self.problems: list[Problem] = []

    def add(
        self,
        path: str,
        severity: Severity,
        code: str,
        message: dict[str, str],
        fix: dict[str, str],
    ) -> None:
        self.problems.append(Problem(path, severity, code, message, fix))


class Gateway(Record):
    """Who answers a malformed response, with which status, and what AWS logs with it."""

    key: str  # its name in the texts: gateway.name.<key>
    status: int
    log: str  # AWS's own words, in both languages; "" when nothing says why

    @property
    def name(self) -> dict[str, str]:
        return both("gateway.name", variant=self.key)

    def rejects(self) -> dict[str, str]:
        """What the client gets, e.g. "API Gateway answers 502 (`Malformed ...`)", in every language."""
        return both("gateway.rejects", gateway=self.name, status=self.status, log=self.log)


REST_GATEWAY = Gateway("rest", 502, " (`Malformed Lambda proxy response`)")
HTTP_GATEWAY = Gateway("http", 500, "")
ALB_GATEWAY = Gateway("alb", 502, " (error_reason `LambdaInvalidResponse`)")
