"""The function: how long it ran against its own timeout and the integration's, the memory it
used, and the error it raised, read from its log through the integration's request id."""

from __future__ import annotations

from bot.trace.facts import Facts
from bot.trace.hops.common import cut, why_unknown
from bot.trace.hops.integration import REFUSED
from bot.trace.model import Hop, Said

ENTRIES = frozenset({"function-timeout", "runtime-exit", "import-module-error", "handler-not-found",
                     "package-permission-denied", "unhandled-function-error", "payload-too-large"})


def read(facts: Facts, earlier: tuple[Hop, ...]) -> Hop:
    before = {hop.hop: hop for hop in earlier}
    if before["authorizer"].status == "failed":
        return Hop("function", "unknown", None, (Said("not_reached"),))
    if before["integration"].entry in REFUSED:
        return Hop("function", "unknown", None, (Said("not_invoked"),))
    logs, ran = facts.logs, facts.function
    said = [Said("function_request_id", {"id": logs.integration_request_id})] if logs.integration_request_id else []
    said += _measures(facts)
    said += _invocation(facts)
    lines = logs.function.lines if logs.function.read else ()
    found = facts.entries(ENTRIES, "function") or facts.entries(ENTRIES)
    if found:
        return Hop("function", "failed", found[0].entry, tuple(said), cut(found[0].lines), lines=lines)
    if ran.timed_out_after_s is not None or ran.report_status == "timeout":
        return Hop("function", "failed", "function-timeout", tuple(said), cut([ran.report_line or ""]), lines=lines)
    if logs.function.read and (ran.started or ran.report_line):
        return Hop("function", "ok", None, tuple(said), cut([ran.report_line] if ran.report_line else []), lines=lines)
    if logs.function.state == "none":
        return Hop("function", "unknown", None, (*said, Said("not_lambda")))
    because = why_unknown(facts, "function") or (Said("function_no_lines", {"group": logs.function.group or ""}),)
    return Hop("function", "unknown", None, tuple(said), unknown_because=because)


def _measures(facts: Facts) -> list[Said]:
    ran, setup = facts.function, facts.logs.setup
    said: list[Said] = []
    if ran.duration_ms is not None:
        integration_s = setup.integration_timeout_ms / 1000 if setup.integration_timeout_ms else "?"
        said.append(Said("function_duration", {"ms": f"{ran.duration_ms:g}", "timeout_s": _seconds(setup.function_timeout_s),
                                               "integration_s": _seconds(integration_s)}))
    if ran.max_memory_mb is not None:
        size = ran.memory_size_mb or setup.function_memory_mb
        said.append(Said("function_memory", {"used": ran.max_memory_mb, "size": size or "?"}))
    if ran.init_duration_ms is not None:
        said.append(Said("function_cold_start", {"ms": f"{ran.init_duration_ms:g}"}))
    return said


def _invocation(facts: Facts) -> list[Said]:
    """How much of the invocation's log the trace read, and where it could not tell its start or end."""
    invocation = facts.logs.function.invocation
    if invocation is None:
        return []
    where = {"stream": invocation.stream}
    if invocation.problem:
        return [Said("function_stream_unread", {**where, "problem": invocation.problem})]
    said = [Said("function_invocation_lines", {**where, "count": len(invocation.lines)})]
    if not invocation.started:
        said.append(Said("function_no_start"))
    if not invocation.ended:
        said.append(Said("function_no_end_report") if invocation.reported else Said("function_no_end"))
    if invocation.left_out:
        said.append(Said("function_lines_left_out", {"count": invocation.left_out}))
    if invocation.more:
        said.append(Said("function_lines_unread", where))
    return said


def _seconds(value: float | str | None) -> str:
    return "?" if value is None or isinstance(value, str) else f"{value:g}"
