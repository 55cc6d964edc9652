"""A TraceResult as a Slack Block Kit message: a header, one section per hop (what was read, why
it is unknown, its log lines), then the verdict. Pure. At most 3 traces, 4 hops each: well under
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
    blocks += [_section(_hop_text(hop, lang), room) for hop in trace.hops]
    verdict = f"*{escape(verdict_line(trace, lang))}*"
    if trace.verdict:
        verdict += f"\n`{escape(text(lang, 'kb_hint', entry=trace.verdict))}`"
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


def _section(mrkdwn: str, limit: int) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut_text(mrkdwn, min(limit, MAX_SECTION))}}
