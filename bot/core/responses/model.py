"""The shared types: what a verdict says, what a quoted response is, and the limits and shapes
every rule reads (shared/facts.md)."""

from __future__ import annotations

from bot.core.record import Record

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any, Literal

    Severity = Literal["error", "warning"]
INTEGRATIONS: tuple[str, ...] = ("rest", "http-v1", "http-v2", "alb")
LANGS: tuple[str, ...] = ("en", "it")
RUNTIMES: tuple[str, ...] = ("nodejs", "python", "java", "go")

# Limits, in bytes. Lambda's own error names 6291556 bytes (6 MB plus a little), so that is the
# line; API Gateway's 10 MB payload limit is higher and only matters in the message.
LAMBDA_SYNC_LIMIT = 6_291_556
API_GATEWAY_LIMIT = 10 * 1024 * 1024
ALB_LIMIT = 1024 * 1024
NEAR_LIMIT = 0.8  # past 80% of a limit, a little more data breaks it: warn

# Top-level keys of the documented response shapes.
PROXY_V1_KEYS = frozenset({"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"})
HTTP_V2_KEYS = frozenset({"statusCode", "headers", "body", "isBase64Encoded", "cookies"})
ALB_KEYS = frozenset(
    {"statusCode", "statusDescription", "headers", "multiValueHeaders", "body", "isBase64Encoded"}
)
# What Lambda puts in the payload when the function fails (Node.js uses "trace", Java "cause").
LAMBDA_ERROR_KEYS = frozenset(
    {"errorMessage", "errorType", "stackTrace", "trace", "requestId", "cause"}
)
RESPONSE_HINT_KEYS = PROXY_V1_KEYS | {"cookies", "statusDescription"}

# What the client gets when the response is rejected.
REJECT_STATUS = {"rest": 502, "http-v1": 500, "http-v2": 500, "alb": 502}


class Problem(Record):
    """One thing wrong (error: AWS rejects it) or surprising (warning: accepted, but not as meant)."""

    path: str  # JSON path in the response: "body", "headers.X-Count", "$" for the whole payload
    severity: Severity
    code: str  # stable id, e.g. "body-not-string"
    message: dict[str, str]  # what is wrong and what AWS does with it; keys "en", "it"
    fix: dict[str, str]  # how to fix it, with a code sample; keys "en", "it"

    def to_json(self, lang: str = "en") -> dict[str, str]:
        lang = known_lang(lang)
        return {
            "path": self.path,
            "severity": self.severity,
            "message": self.message[lang],
            "code": self.code,
            "fix": self.fix[lang],
        }


class ResponseVerdict(Record):
    integration: str
    accepted: bool
    status: int  # what the client gets: the function's status, or 502 / 500 when rejected
    problems: tuple[Problem, ...]
    entry: str | None  # knowledge entry id when rejected, None when accepted

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    def summary(self, lang: str = "en") -> str:
        """One line: which integration, and what the client gets."""
        from bot.core.responses.texts import both, one  # the texts import this module

        label = both("verdict.label", variant=self.integration)
        if not self.accepted:
            gets = both("verdict.rejected-body", variant=self.integration)
            return one("verdict.rejected", lang, label=label, gets=gets)
        return one("verdict.accepted", lang, label=label, status=self.status)

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "integration": self.integration,
            "accepted": self.accepted,
            "status": self.status,
            "problems": [p.to_json(lang) for p in self.problems],
            "entry": self.entry,
        }


class QuotedResponse(Record):
    """A function response quoted in pasted text.

    `payload` is None both for a quoted JSON `null` (parsed=True) and for text that could not be
    decoded (parsed=False). A truncated quote (API Gateway cuts execution-log events at 1 KB) is
    never validated: it would always look malformed.
    """

    text: str
    payload: object | None
    integration: str
    truncated: bool
    source: str = "execution-log"  # execution-log | sam-local | integration-error | test-invoke
    parsed: bool = True
    # "Method completed with status: N" logged after the quote, for the same request. A 2XX there
    # with a body the validator rejects means the integration was not a proxy one.
    logged_status: int | None = None


def known_lang(lang: str) -> str:
    return lang if lang in LANGS else "en"
