"""The authorizer: did one run, what it answered, and how long it took.

Failures: the authorizer's own error (lambda-authorizer-error); a deny (401/403) fails the request
without a 5XX and names no entry.
"""

from __future__ import annotations

from bot.trace.facts import Facts
from bot.trace.hops.common import cut, why_unknown
from bot.trace.lines import record_int, record_text
from bot.trace.model import Hop, Said

ENTRIES = frozenset({"lambda-authorizer-error"})


def read(facts: Facts, earlier: tuple[Hop, ...]) -> Hop:
    record, setup = facts.access, facts.logs.setup
    name = setup.authorizer.name if setup.authorizer else ""
    said: list[Said] = []
    latency = record_int(record, "authorizerlatency", "authorizerintegrationlatency")
    if latency is not None:
        said.append(Said("authorizer_latency", {"ms": latency}))
    found = facts.entries(ENTRIES)
    error = record_text(record, "authorizererror")
    status = record_int(record, "authorizerstatus")
    if found:
        return Hop("authorizer", "failed", found[0].entry, (Said("authorizer_error", {"name": name}), *said),
                   cut(found[0].lines))
    if error or (status is not None and status >= 500):
        return Hop("authorizer", "failed", "lambda-authorizer-error",
                   (Said("authorizer_error", {"name": name}), *said), cut([error or f"authorizerStatus: {status}"]))
    if facts.execution.denied or status in (401, 403):
        return Hop("authorizer", "failed", None, (Said("authorizer_denied", {"name": name}), *said),
                   cut(facts.execution.authorizer_lines))
    if setup.uses_authorizer is False:
        return Hop("authorizer", "ok", None, (Said("no_authorizer", {"route": setup.route or ""}),))
    passed = bool(facts.execution.authorizer_lines) or status == 200 or _reached_integration(facts)
    if passed and (setup.uses_authorizer or facts.execution.authorizer_lines or status is not None):
        return Hop("authorizer", "ok", None, (Said("authorizer_allowed", {"name": name}), *said),
                   cut(facts.execution.authorizer_lines))
    if passed and facts.logs.execution.read:
        return Hop("authorizer", "ok", None, (Said("no_authorizer_ran"),))
    return Hop("authorizer", "unknown", None, tuple(said), unknown_because=why_unknown(facts, "execution", "access"))


def _reached_integration(facts: Facts) -> bool:
    return bool(facts.logs.integration_request_id or facts.execution.integration_status
                or record_int(facts.access, "integrationstatus"))
