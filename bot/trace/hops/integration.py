"""The integration: which function, version or alias the route calls, how long API Gateway
waited against the integration timeout, and whether the call was made or refused."""

from __future__ import annotations

from bot.trace.facts import Facts
from bot.trace.hops.common import cut, failed_before, why_unknown
from bot.trace.lines import record_int
from bot.trace.model import Hop, Said

ENTRIES = frozenset({"missing-invoke-permission", "integration-timeout", "integration-role-error", "lambda-throttled",
                     "function-not-active", "proxy-integration-method", "http-integration-error",
                     "mapping-template-error"})
REFUSED = frozenset({"missing-invoke-permission", "integration-role-error", "lambda-throttled", "function-not-active",
                     "proxy-integration-method"})  # the function never ran


def read(facts: Facts, earlier: tuple[Hop, ...]) -> Hop:
    if failed_before(earlier):
        return Hop("integration", "unknown", None, (Said("not_reached"),))
    said = list(_setup(facts))
    latency = record_int(facts.access, "integrationlatency") or facts.execution.integration_latency_ms
    timeout = facts.logs.setup.integration_timeout_ms
    if latency is not None:
        said.append(Said("integration_latency", {"ms": latency, "timeout_ms": timeout or "?"}))
    found = facts.entries(ENTRIES)
    if found:
        return Hop("integration", "failed", found[0].entry, tuple(said), cut(found[0].lines))
    if facts.client_status == 504:
        return Hop("integration", "failed", "integration-timeout", (*said, Said("gateway_timeout")),
                   cut([line for line in facts.logs.access.lines][:1]))
    status = record_int(facts.access, "integrationstatus") or facts.execution.integration_status
    if status is not None or facts.logs.integration_request_id:
        if status is not None:
            said.append(Said("integration_status", {"status": status}))
        return Hop("integration", "ok", None, tuple(said))
    return Hop("integration", "unknown", None, tuple(said), unknown_because=why_unknown(facts, "execution", "access"))


def _setup(facts: Facts) -> tuple[Said, ...]:
    setup = facts.logs.setup
    if setup.target is not None:
        version = setup.target.qualifier or "$LATEST"
        return (Said("integration_calls", {"route": setup.route or "?", "function": setup.target.name,
                                           "version": version}),)
    if setup.integration is not None:
        return (Said("integration_kind", {"route": setup.route or "?", "kind": setup.integration.kind}),)
    return ()
