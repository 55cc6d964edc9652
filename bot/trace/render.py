"""A TraceResult as text or JSON. Pure: every string from AWS was redacted when read (gather);
the log lines shown here are those."""

from __future__ import annotations

from typing import Any

from bot.trace.model import Hop, Trace
from bot.trace.runner import TraceResult
from bot.trace.texts import said, text

ICONS = {"ok": "✓", "failed": "✗", "unknown": "?"}


def hop_words(hop: Hop, lang: str) -> list[str]:
    """The hop's evidence in words: what was measured, why it is unknown and how to see it, then log lines."""
    return [said(lang, s) for s in (*hop.facts, *hop.unknown_because)] + list(hop.evidence)


def trace_json(trace: Trace, lang: str = "en") -> dict[str, Any]:
    return {
        "request_id": trace.request_id,
        "hops": [hop.to_json(hop_words(hop, lang)) for hop in trace.hops],
        "verdict": trace.verdict,
        "failed_hop": trace.failed_hop,
        "succeeded": trace.succeeded,
        "client_status": trace.client_status,
        "api": trace.api.id,
        "protocol": trace.api.protocol,
        "stage": trace.stage,
        "region": trace.region,
        "notes": [said(lang, note) for note in trace.notes],
    }


def result_json(result: TraceResult, lang: str = "en") -> dict[str, Any]:
    """One trace: its document. Found by time and path: the newest one's, with the others under "more"."""
    first, *others = result.traces
    document = trace_json(first, lang)
    if result.searched:
        document["search"] = {"path": result.path, "window": result.window, "found": len(result.traces)}
        document["more"] = [trace_json(trace, lang) for trace in others]
    return document


def result_text(result: TraceResult, lang: str = "en") -> str:
    parts = []
    if result.searched:
        parts.append(text(lang, "found_failing", count=len(result.traces), path=result.path or "*",
                          window=result.window) + "\n")
    parts += [trace_text(trace, lang) for trace in result.traces]
    return "\n".join(parts)


def trace_text(trace: Trace, lang: str = "en") -> str:
    lines = [text(lang, "title", request=trace.request_id, api=trace.api.id, protocol=trace.api.protocol,
                  stage=trace.stage or "?", region=trace.region)]
    width = max(len(text(lang, f"hop_{hop.hop}")) for hop in trace.hops)
    for hop in trace.hops:
        label = text(lang, f"hop_{hop.hop}").ljust(width)
        head = f"  {ICONS[hop.status]} {label}  {text(lang, f'status_{hop.status}')}"
        lines.append(f"{head}  {hop.entry}" if hop.entry else head)
        lines += [f"      {said(lang, s)}" for s in hop.facts]
        lines += [f"      {said(lang, s)}" for s in hop.unknown_because]
        lines += [f"      | {line}" for line in hop.evidence]
    lines.append(verdict_line(trace, lang))
    if trace.verdict:
        lines.append("  " + text(lang, "kb_hint", entry=trace.verdict))
    lines += ["  " + said(lang, note) for note in trace.notes]
    return "\n".join(lines) + "\n"


def verdict_line(trace: Trace, lang: str) -> str:
    if trace.succeeded:
        return text(lang, "verdict_succeeded", status=trace.client_status or "?")
    if trace.verdict:
        return text(lang, "verdict_entry", entry=trace.verdict, hop=text(lang, f"hop_{trace.failed_hop}"),
                    title=entry_title(trace.verdict, lang))
    if trace.failed_hop:
        return text(lang, "verdict_unexplained", hop=text(lang, f"hop_{trace.failed_hop}"))
    return text(lang, "verdict_unknown")


def entry_title(entry_id: str, lang: str) -> str:
    from bot.core.knowledge import load_knowledge

    entry = next((e for e in load_knowledge().entries if e.id == entry_id), None)
    return (entry.title.get(lang) or entry.title.get("en") or entry_id) if entry else entry_id
