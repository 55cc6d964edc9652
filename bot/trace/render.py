"""A TraceResult as text, Markdown or JSON. Pure: every string from AWS was redacted when read
(gather); the log lines shown here are those. Text and Markdown show the invocation's lines up to
SHOWN_LINES (its first and last ones) and say how many they leave out; JSON gives all it read."""

from __future__ import annotations

import re
from typing import Any

from bot.trace.hops.common import EVIDENCE_WIDTH
from bot.trace.model import Hop, Trace
from bot.trace.runner import TraceResult
from bot.trace.texts import said, text

ICONS = {"ok": "✓", "failed": "✗", "unknown": "?"}
SHOWN_LINES = 60  # of an invocation's log, in text and Markdown: the first SHOWN_HEAD and the last ones
SHOWN_HEAD = 10
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_BACKTICKS = re.compile(r"`+")


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
        if hop.lines:
            lines.append("      " + text(lang, "invocation_log"))
            lines += [f"      {'…' if note else ':'} {line}" for line, note in shown_lines(hop.lines, lang)]
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
    from bot.core.kb.knowledge import load_knowledge

    entry = next((e for e in load_knowledge().entries if e.id == entry_id), None)
    return (entry.title.get(lang) or entry.title.get("en") or entry_id) if entry else entry_id


def shown_lines(lines: tuple[str, ...], lang: str) -> list[tuple[str, bool]]:
    """(line, is_note): an invocation's lines as text and Markdown show them, each event's lines cut
    to a readable width; past SHOWN_LINES events, the first and the last ones and a note of how many
    are left out."""
    left_out = max(0, len(lines) - SHOWN_LINES)
    head, tail = (lines[:SHOWN_HEAD], lines[SHOWN_HEAD + left_out:]) if left_out else (lines, ())
    shown = [(line, False) for event in head for line in _physical(event)]
    if left_out:
        shown.append((text(lang, "lines_not_shown", count=left_out), True))
    return shown + [(line, False) for event in tail for line in _physical(event)]


def _physical(event: str) -> list[str]:
    """An event's lines (a Python traceback is one event of many lines), none empty."""
    return [_width(line) for line in event.split("\n") if line.strip()] or [""]


def _width(line: str) -> str:
    line = line.rstrip()
    return line if len(line) <= EVIDENCE_WIDTH else line[: EVIDENCE_WIDTH - 1] + "…"


# ------------------------------------------------------------------------------ Markdown
def result_markdown(result: TraceResult, lang: str = "en") -> str:
    parts = []
    if result.searched:
        parts.append(md(text(lang, "found_failing", count=len(result.traces), path=result.path or "*",
                             window=result.window)) + "\n")
    parts += [trace_markdown(trace, lang) for trace in result.traces]
    return "\n".join(parts)


def trace_markdown(trace: Trace, lang: str = "en") -> str:
    out = ["## " + md(text(lang, "title", request=trace.request_id, api=trace.api.id, protocol=trace.api.protocol,
                           stage=trace.stage or "?", region=trace.region)), "", "### " + md(text(lang, "hops_heading")),
           ""]
    for number, hop in enumerate(trace.hops, start=1):
        entry = f" · {code(hop.entry)}" if hop.entry else ""
        out.append(f"{number}. {ICONS[hop.status]} **{md(text(lang, f'hop_{hop.hop}'))}**: "
                   f"{md(text(lang, f'status_{hop.status}'))}{entry}")
        out += [f"   - {md(said(lang, s))}" for s in hop.facts]
        out += [f"   - *{md(said(lang, s))}*" for s in hop.unknown_because]
        out += [f"   - {code(line)}" for event in hop.evidence for line in _physical(event)]
        if hop.lines:
            out.append(f"   - {md(text(lang, 'invocation_log'))}")
            out += [f"     - *{md(line)}*" if note else f"     - {code(line)}" for line, note in shown_lines(hop.lines, lang)]
    out += ["", "**" + md(verdict_line(trace, lang)) + "**"]
    if trace.verdict:
        out += ["", md(text(lang, "kb_hint", entry=trace.verdict))]
    out += [f"- {md(said(lang, note))}" for note in trace.notes]
    return "\n".join(out) + "\n"


def md(words: str) -> str:
    """Plain words in Markdown: its special characters escaped, so that no value from AWS formats."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", words)


def code(line: str) -> str:
    """A code span that holds `line` whatever backticks it has (CommonMark: a longer fence, padded)."""
    longest = max((len(run) for run in _BACKTICKS.findall(line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if line.startswith("`") or line.endswith("`") or not line.strip() else ""
    return f"{fence}{pad}{line}{pad}{fence}"
