"""A TraceResult as a Slack Block Kit message: a header, one section per hop (what was read, why
it is unknown, its log lines, the newest lines the invocation wrote), then the verdict. Pure. At most 3 traces, 4 hops each: well under
Slack's 50 blocks; each section is cut to 3000 characters, the whole under 12,000."""

from __future__ import annotations

from typing import Any

from bot.slack.rendering.blocks import SlackMessage, cut_text
from bot.slack.rendering.texts import escape
from bot.trace.model import Hop, Trace
from bot.trace.render import verdict_line
from bot.trace.runner import TraceResult
from bot.trace.texts import said, text

ICONS = {"ok": ":white_check_mark:", "failed": ":x:", "unknown": ":grey_question:"}
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_FALLBACK = 500
MAX_LINES = 3  # log lines per hop
MAX_TRACE_TEXT = 3600  # characters per trace: three fit under 12,000
INVOCATION_WIDTH = 200  # characters of each of the invocation's lines
NOTE_ROOM = 120  # kept for the note of the lines left out


def render_trace(result: TraceResult, lang: str = "en") -> SlackMessage:
    blocks: list[dict[str, Any]] = []
    for trace in result.traces:
        blocks += _trace_blocks(trace, lang)
    first = result.traces[0]
    fallback = cut_text(f"badgateway trace {first.request_id}: {verdict_line(first, lang)}", MAX_FALLBACK)
    return SlackMessage(text=escape(fallback), blocks=tuple(blocks))


def _trace_blocks(trace: Trace, lang: str) -> list[dict[str, Any]]:
    title = text(lang, "title", request=trace.request_id, api=trace.api.id, protocol=trace.api.protocol,
                 stage=trace.stage or "?", region=trace.region)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": cut_text(title, MAX_HEADER), "emoji": True}}]
    room = MAX_TRACE_TEXT // (len(trace.hops) + 1)
    verdict = f"*{escape(verdict_line(trace, lang))}*"
    if trace.verdict:
        verdict += f"\n`{escape(text(lang, 'kb_hint', entry=trace.verdict))}`"
    texts = [_hop_text(hop, lang) for hop in trace.hops]
    # What the other sections leave of the trace's share goes to the invocation's lines.
    spare = MAX_TRACE_TEXT - sum(min(len(shown), room) for shown in [*texts, verdict])
    for hop, shown in zip(trace.hops, texts, strict=True):
        if hop.lines and spare > 0:
            limit = min(MAX_SECTION, min(len(shown), room) + spare)
            shown += _invocation_text(hop, lang, limit - len(shown))
            spare = 0
            blocks.append(_section(shown, limit))
        else:
            blocks.append(_section(shown, room))
    blocks.append(_section(verdict, room))
    return blocks


def _hop_text(hop: Hop, lang: str) -> str:
    entry = f" `{escape(hop.entry)}`" if hop.entry else ""
    lines = [f"{ICONS[hop.status]} *{escape(text(lang, f'hop_{hop.hop}'))}* · "
             f"{escape(text(lang, f'status_{hop.status}'))}{entry}"]
    lines += [escape(said(lang, s)) for s in hop.facts]
    lines += [f"_{escape(said(lang, s))}_" for s in hop.unknown_because]
    # Cut, then escape: cutting escaped text can leave half an entity.
    lines += [f"> {escape(line[:300])}" for line in hop.evidence[:MAX_LINES]]
    return "\n".join(lines)


FENCE = "`" * 3


def _invocation_text(hop: Hop, lang: str, room: int) -> str:
    """The newest lines the invocation wrote (the failure is at its end), as many as fit in
    `room`, in a code block, and how many earlier ones the command line shows."""
    physical = [line.rstrip()[:INVOCATION_WIDTH] for event in hop.lines for line in event.split("\n")
                if line.strip()]
    heading = f"\n_{escape(text(lang, 'invocation_log'))}_\n"
    budget = room - len(heading) - 2 * len(FENCE) - NOTE_ROOM
    kept: list[str] = []
    for line in reversed(physical):
        shown = escape(line.replace(FENCE, "'''"))  # a fence inside would end the block
        if len(shown) + 1 > budget:
            break
        kept.append(shown)
        budget -= len(shown) + 1
    if not kept:
        return ""
    left_out = len(physical) - len(kept)
    note = f"\n_{escape(text(lang, 'slack_lines_not_shown', count=left_out))}_" if left_out else ""
    return heading + FENCE + "\n".join(reversed(kept)) + FENCE + note


def _section(mrkdwn: str, limit: int) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut_text(mrkdwn, min(limit, MAX_SECTION))}}
