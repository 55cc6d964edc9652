"""App Home's Home tab as a Block Kit view: how to use the bot, whether live checks are enabled
for this person, their recent diagnoses and live checks, and every entry, browsable.

Pure: data in, a `home` view out, within Slack's limits for views (HOME_LIMITS: at most 100
blocks, sections of 3,000 characters, headers of 150, buttons of 75 with values of 2,000).
Nothing the person pasted is shown: the history holds ids, entries and counts only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.kb.knowledge import Entry, KnowledgeBase
from bot.core.kb.messages import client_statuses
from bot.slack.rendering.blocks import (
    MAX_BUTTON_TEXT,
    MAX_HEADER,
    MAX_SECTION,
    _button,
    _context,
    _header,
    _section,
    cut_text,
    render_entry,
)
from bot.slack.rendering.live_blocks import verdict_text
from bot.slack.rendering.texts import escape, say, template

MAX_VIEW_BLOCKS = 100
ACTION_READ_ENTRY = "badgateway_home_read_entry"
ACTION_HOME = "badgateway_home_back"
MAX_ENTRIES_LISTED = 80  # with the rest of the page, well under 100 blocks


@dataclass(frozen=True)
class LiveAccess:
    """What the Home tab says about live checks for this person: a text key, and where."""

    key: str  # home_live_everywhere, home_live_in, or why not (live_disabled, live_guest...)
    channels: tuple[str, ...] = ()
    alarm_channel: str | None = None


def render_home(knowledge: KnowledgeBase, lang: str, *, activity: Sequence[dict[str, Any]],
                live: LiveAccess) -> dict[str, Any]:
    """The Home tab's main page."""
    entries = list(knowledge.entries)
    blocks: list[dict[str, Any]] = [
        _header(say(lang, "help_title")),
        _section(say(lang, "home_how_to")),
        {"type": "divider"},
        _header(say(lang, "home_live_title")),
        _section(_live_text(live, lang)),
    ]
    if live.alarm_channel:
        blocks.append(_context(template(lang, "home_alarms").format(channel=f"<#{live.alarm_channel}>")))
    blocks += [{"type": "divider"}, _header(say(lang, "home_recent_title")),
               _section(_activity_text(activity, knowledge, lang)), {"type": "divider"},
               _header(say(lang, "list_title", count=len(entries)))]
    for entry in entries[:MAX_ENTRIES_LISTED]:
        blocks.append(_entry_line(entry, lang))
    if len(entries) > MAX_ENTRIES_LISTED:
        blocks.append(_context(say(lang, "home_more_entries", count=len(entries) - MAX_ENTRIES_LISTED)))
    return _view(blocks)


def render_home_entry(entry: Entry, lang: str) -> dict[str, Any]:
    """One entry in full on the Home tab, with the way back."""
    back = {"type": "actions", "block_id": "badgateway_home_nav", "elements": [
        _button(say(lang, "home_back"), ACTION_HOME, "home")]}
    return _view([back, *render_entry(entry, lang).blocks])


def home_problems(view: dict[str, Any]) -> list[str]:
    """Every limit of a Home view that `view` breaks (empty when Slack will take it)."""
    problems = []
    blocks = view.get("blocks") or []
    if len(blocks) > MAX_VIEW_BLOCKS:
        problems.append(f"{len(blocks)} blocks > {MAX_VIEW_BLOCKS}")
    for number, block in enumerate(blocks):
        text = (block.get("text") or {}).get("text", "")
        if block["type"] == "header" and len(text) > MAX_HEADER:
            problems.append(f"block {number}: header too long")
        if block["type"] == "section" and len(text) > MAX_SECTION:
            problems.append(f"block {number}: section too long")
        buttons = [*(block.get("elements") or ()), *([block["accessory"]] if "accessory" in block else [])]
        for button in (b for b in buttons if b.get("type") == "button"):
            if len(button["text"]["text"]) > MAX_BUTTON_TEXT or len(button.get("value", "")) > 2000:
                problems.append(f"block {number}: button too long")
    return problems


# -- pieces -------------------------------------------------------------------------------------


def _live_text(live: LiveAccess, lang: str) -> str:
    if live.key == "home_live_in":
        return template(lang, "home_live_in").format(channels=", ".join(f"<#{c}>" for c in live.channels[:20]))
    return say(lang, live.key)


def _activity_text(activity: Sequence[dict[str, Any]], knowledge: KnowledgeBase, lang: str) -> str:
    if not activity:
        return say(lang, "home_recent_none")
    titles = {entry.id: entry.title[lang] for entry in knowledge.entries}
    lines = []
    for item in activity:
        when = _when(item.get("at"))
        where = f"<#{item['channel']}>" if _is_id(item.get("channel")) else "-"
        entries = [str(e) for e in item.get("entries") or () if str(e) in titles]
        if item.get("kind") == "live":
            api = escape(str(item.get("api") or ""))[:20]
            verdict = escape(verdict_text(item, lang))
            lines.append(template(lang, "home_recent_live").format(when=when, api=api, channel=where, verdict=verdict))
        else:
            found = (f"`{entries[0]}` {escape(titles[entries[0]])}" if entries
                     else say(lang, "home_recent_nothing_found"))
            lines.append(template(lang, "home_recent_diagnosis").format(when=when, channel=where, found=found))
    return cut_text("\n".join(f"• {line}" for line in lines), MAX_SECTION)


def _entry_line(entry: Entry, lang: str) -> dict[str, Any]:
    text = f"*{escape(entry.title[lang])}*  `{entry.id}`\n{escape(client_statuses(entry, lang))}"
    block = _section(cut_text(text, MAX_SECTION))
    block["accessory"] = _button(say(lang, "home_read"), ACTION_READ_ENTRY, entry.id)
    return block


def _when(at: Any) -> str:
    """Slack's own date formatting, in the reader's time zone; the fallback in UTC."""
    try:
        seconds = int(float(at))
    except (TypeError, ValueError):
        return "-"
    import time

    fallback = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(seconds))
    return f"<!date^{seconds}^{{date_short_pretty}} {{time}}|{fallback}>"


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and value[:1] in "CGD" and value.isalnum() and len(value) <= 20


def _view(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
