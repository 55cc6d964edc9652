"""What the hops share: why a hop cannot be told (a log that is off, missing or unreadable, with
how to turn it on), and evidence lines cut to a readable size."""

from __future__ import annotations

from bot.trace.facts import Facts
from bot.trace.model import LogSource, Said

MAX_EVIDENCE = 4
EVIDENCE_WIDTH = 400


def why_unknown(facts: Facts, *kinds: str) -> tuple[Said, ...]:
    """For each log in `kinds` that could not be read for this request: why, and how to turn it on."""
    logs = facts.logs
    sources = {"execution": logs.execution, "access": logs.access, "function": logs.function}
    said: list[Said] = []
    for kind in kinds:
        source = sources[kind]
        if not source.read:
            said += unreadable(source, facts)
    return tuple(said)


def unreadable(source: LogSource, facts: Facts) -> list[Said]:
    logs = facts.logs
    where = {"api": logs.api.id, "stage": logs.stage or "", "group": source.group or ""}
    if source.state == "off" and source.kind == "execution":
        return [Said("execution_off", where), Said("execution_on", where)]
    if source.state == "off" and source.kind == "access":
        fix = "access_on_http" if logs.api.protocol == "HTTP" else "access_on_rest"
        return [Said("access_off", where), Said(fix, {**where, "region": logs.region})]
    if source.state == "none" and source.kind == "execution":
        return [Said("execution_none_http", where)]
    if source.state == "unlinked":
        return [Said("function_unlinked", where)]
    if source.state == "missing":
        return [Said("log_missing", where)]
    if source.state == "denied":
        return [Said("log_denied", {**where, "problem": source.problem or ""})]
    return []


def cut(lines: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The first few lines, each cut to a readable width (already redacted, whole, upstream)."""
    kept = list(dict.fromkeys(lines))[:MAX_EVIDENCE]
    return tuple(line if len(line) <= EVIDENCE_WIDTH else line[: EVIDENCE_WIDTH - 1] + "…" for line in kept)


def failed_before(earlier: tuple[object, ...]) -> bool:
    return any(getattr(hop, "status", None) == "failed" for hop in earlier)
