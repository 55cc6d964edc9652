"""What the client got, and the response the function returned, validated as API Gateway reads it
(bot.core.responses, the `validate-response` validator)."""

from __future__ import annotations

from bot.core.responses import validate_response
from bot.trace.facts import Facts
from bot.trace.hops.common import cut, why_unknown
from bot.trace.model import Hop, Said

ENTRIES = frozenset({"malformed-proxy-response", "cors-on-error"})


def read(facts: Facts, earlier: tuple[Hop, ...]) -> Hop:
    status = facts.client_status
    said: list[Said] = [Said("client_got", {"status": status})] if status is not None else []
    rejected = _validated(facts, said)
    if rejected is not None:
        return rejected
    found = facts.entries(ENTRIES)
    if found:
        return Hop("response", "failed", found[0].entry, tuple(said), cut(found[0].lines))
    if status is None:
        return Hop("response", "unknown", None, tuple(said), unknown_because=why_unknown(facts, "execution", "access"))
    if status >= 500 and _invoked(facts, earlier) and not facts.responses and facts.logs.api.protocol == "REST" \
            and not facts.logs.data_trace and not any(hop.entry for hop in earlier):
        said.append(Said("data_trace_hint", {"api": facts.logs.api.id, "stage": facts.logs.stage or ""}))
    return Hop("response", "ok" if status < 400 else "failed", None, tuple(said))


def _validated(facts: Facts, said: list[Said]) -> Hop | None:
    """The function's response as the execution log quotes it, when it is a proxy response."""
    integration = facts.logs.setup.integration
    if integration is not None and not integration.is_proxy:
        return None
    kind = _kind(facts)
    # Where the execution log quotes no response (HTTP APIs, data tracing off), the last one the
    # function logged, when the client got a 5XX: it may say why.
    logged = not facts.responses and (facts.client_status or 0) >= 500
    for quoted in facts.logged[-1:] if logged else facts.responses:
        if quoted.truncated or not quoted.parsed:
            continue
        verdict = validate_response(quoted.payload, kind)
        if verdict.entry is not None and verdict.entry not in ENTRIES | {"payload-too-large"}:
            continue  # a function error the function hop tells
        if verdict.accepted:
            if not logged:
                said.append(Said("response_valid", {"status": verdict.status}))
            continue
        problems = [Said("response_problem", {"path": p.path, "message": p.message}) for p in verdict.errors[:3]]
        source = [Said("response_logged")] if logged else []
        return Hop("response", "failed", verdict.entry, (*said, *source, *problems), cut([quoted.text]))
    return None


def _kind(facts: Facts) -> str:
    if facts.logs.api.protocol != "HTTP":
        return "rest"
    integration = facts.logs.setup.integration
    return "http-v1" if integration is not None and integration.payload_format == "1.0" else "http-v2"


def _invoked(facts: Facts, earlier: tuple[Hop, ...]) -> bool:
    return any(hop.hop == "function" and hop.status != "unknown" for hop in earlier) or bool(
        facts.logs.integration_request_id)
