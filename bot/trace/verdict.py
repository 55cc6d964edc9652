"""The hops of one request -> its Trace: the verdict is the knowledge entry of the first hop that
failed with a known cause; the request succeeded when the client got a non-error status and no hop
failed. Pure."""

from __future__ import annotations

from bot.trace.facts import Facts, facts_of
from bot.trace.hops import read_hops
from bot.trace.model import RequestLogs, Said, Trace


def trace_of(logs: RequestLogs) -> Trace:
    facts = facts_of(logs)
    hops = read_hops(facts)
    failed = [hop for hop in hops if hop.status == "failed"]
    explained = next((hop for hop in failed if hop.entry), None)
    response = hops[-1]
    return Trace(
        request_id=logs.request_id, api=logs.api, region=logs.region, stage=logs.stage, hops=hops,
        verdict=explained.entry if explained else None,
        failed_hop=explained.hop if explained else (failed[0].hop if failed else None),
        succeeded=response.status == "ok" and not failed, client_status=facts.client_status,
        notes=_notes(facts),
    )


def _notes(facts: Facts) -> tuple[Said, ...]:
    partial = [s.group for s in (facts.logs.execution, facts.logs.access, facts.logs.function) if s.partial]
    return tuple(Said("partial_read", {"group": group}) for group in partial if group)
