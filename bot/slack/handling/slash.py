"""The /502 command: its arguments parsed, and the answer for each subcommand. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.core.kb.knowledge import KnowledgeBase
from bot.slack.rendering.blocks import (
    SlackMessage,
    render_entry,
    render_help,
    render_list,
    render_notice,
)
from bot.slack.rendering.texts import say

API_ID = re.compile(r"[a-z0-9]{10}")
STAGE = re.compile(r"[A-Za-z0-9_-]{1,128}")
REGION = re.compile(r"[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}")

Kind = Literal["help", "list", "show", "live", "trace", "refuse"]
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9=+/_-]{5,99}")


@dataclass(frozen=True)
class SlashRequest:
    kind: Kind
    entry_id: str | None = None
    api_id: str | None = None
    stage: str | None = None
    region: str | None = None
    problem: str | None = None  # a key of bot.slack.rendering.texts, for "refuse"
    value: str | None = None  # the refused word
    request_id: str | None = None  # /502 trace


def parse_slash(text: str) -> SlashRequest:
    words = (text or "").split()
    if not words or words[0].lower() in ("help", "aiuto", "?"):
        return SlashRequest("help")
    command = words[0].lower()
    if command in ("list", "lista", "elenco"):
        return SlashRequest("list")
    if command in ("show", "mostra"):
        if len(words) < 2:
            return SlashRequest("refuse", problem="show_needs_id")
        return SlashRequest("show", entry_id=words[1].lower())
    if command in ("trace", "traccia"):
        return _trace(words[1:])
    api_id, stage, region = [*words, None, None][:3]
    if not API_ID.fullmatch(api_id or ""):
        # Also what people have: an execute-api or custom domain URL, a load balancer name (bot.live.targets).
        from bot.errors import UsageError
        from bot.live.targets import parse_target

        try:
            api_id = parse_target(api_id or "").text
        except UsageError:
            return SlashRequest("refuse", problem="bad_api_id", value=words[0][:64])
    if stage is not None and not STAGE.fullmatch(stage):
        return SlashRequest("refuse", problem="bad_stage", value=stage[:64])
    if region is not None and not REGION.fullmatch(region):
        return SlashRequest("refuse", problem="bad_region", value=region[:64])
    return SlashRequest("live", api_id=api_id, stage=stage, region=region)


def _trace(words: list[str]) -> SlashRequest:
    """trace REQUEST_ID API [STAGE] [REGION]; `problem` says what is wrong (bot.trace.texts keys)."""
    from bot.live.targets import unwrap

    request_id, api, stage, region = [*words, None, None, None, None][:4]
    if not request_id or not api or not REQUEST_ID.fullmatch(request_id) or len(words) > 4:
        return SlashRequest("trace", problem="trace_usage")
    if stage is not None and not STAGE.fullmatch(stage):
        return SlashRequest("refuse", problem="bad_stage", value=stage[:64])
    if region is not None and not REGION.fullmatch(region):
        return SlashRequest("refuse", problem="bad_region", value=region[:64])
    return SlashRequest("trace", request_id=request_id, api_id=unwrap(api)[:2048], stage=stage, region=region)


def slash_reply(request: SlashRequest, lang: str, knowledge: KnowledgeBase) -> SlackMessage:
    if request.kind == "help":
        return render_help(lang)
    if request.kind == "list":
        return render_list(knowledge, lang)
    if request.kind == "show":
        entry = next((e for e in knowledge.entries if e.id == request.entry_id), None)
        if entry is None:
            return render_notice(say(lang, "unknown_entry", entry=request.entry_id), lang)
        return render_entry(entry, lang)
    if request.kind == "live":  # the listener runs the checks; this is what the wait looks like
        return render_notice(say(lang, "live_started", api=request.api_id), lang)
    if request.kind == "trace":  # the usage, or what the wait looks like (the listener runs it)
        from bot.slack.rendering.texts import escape
        from bot.trace.texts import text

        if request.problem:
            return render_notice(escape(text(lang, request.problem)), lang)
        return render_notice(escape(text(lang, "trace_started", request=request.request_id)), lang)
    values = {"value": request.value} if request.value is not None else {}
    return render_notice(say(lang, request.problem or "bad_api_id", **values), lang)
