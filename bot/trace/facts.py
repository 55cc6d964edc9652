"""One request's log lines, read once for every hop: the parsed facts of each log, and what the
matcher (bot.core.matching.matcher, as `badgateway diagnose` reads a paste) finds in the execution and
function logs. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.responses import QuotedResponse, find_quoted_responses
from bot.trace.lines import (
    ExecutionFacts,
    FunctionFacts,
    access_record,
    execution_facts,
    function_facts,
    logged_response,
)
from bot.trace.model import RequestLogs


@dataclass(frozen=True)
class Found:
    """A knowledge entry the matcher names, with the lines that show it (redacted by the matcher)."""

    entry: str
    lines: tuple[str, ...]
    log: str  # execution | function | access


@dataclass(frozen=True)
class Facts:
    logs: RequestLogs
    execution: ExecutionFacts
    access: dict[str, str]  # the request's access log record, keys folded; {} when none
    function: FunctionFacts
    found: tuple[Found, ...]  # best first within each log: execution, access, function
    responses: tuple[QuotedResponse, ...]  # what the function returned, as the execution log quotes it
    logged: tuple[QuotedResponse, ...] = ()  # proxy responses the function wrote to its own log, oldest first

    def entries(self, wanted: frozenset[str], log: str | None = None) -> tuple[Found, ...]:
        return tuple(f for f in self.found if f.entry in wanted and (log is None or f.log == log))

    @property
    def client_status(self) -> int | None:
        from bot.trace.lines import record_int

        return record_int(self.access, "status") or self.execution.status


def facts_of(logs: RequestLogs) -> Facts:
    record = next((r for r in map(access_record, logs.access.lines)
                   if r and r.get("requestid") == logs.request_id), {})
    function = function_facts(logs.function.lines, logs.integration_request_id or "") \
        if logs.integration_request_id else function_facts((), "")
    found = (*_diagnosed(logs.execution.lines, "execution"), *_diagnosed(_access_errors(record), "access"),
             *_diagnosed(logs.function.lines, "function"))
    responses = tuple(find_quoted_responses("\n".join(logs.execution.lines))) if logs.execution.lines else ()
    logged = tuple(q for q in map(logged_response, logs.function.lines) if q is not None)
    return Facts(logs, execution_facts(logs.execution.lines), record, function, found, responses, logged)


def _access_errors(record: dict[str, str]) -> tuple[str, ...]:
    """The error texts an access log format may carry ($context.integrationErrorMessage, ...)."""
    keys = ("integrationerrormessage", "integrationerror", "errormessage", "authorizererror", "errorresponsetype")
    return tuple(record[key] for key in keys if record.get(key))


def _diagnosed(lines: tuple[str, ...], log: str) -> tuple[Found, ...]:
    if not lines:
        return ()
    from bot.core.matching.matcher import get_matcher

    diagnosis = get_matcher().diagnose("\n".join(lines), lang="en")
    # Only what a signature shows on a line: a trace names a cause its lines prove, not a likely one.
    return tuple(Found(match.id, tuple(e.line for e in match.evidence), log) for match in diagnosis.matches
                 if match.evidence)
