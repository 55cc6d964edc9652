"""Answering one message: its text and files -> the core's diagnosis -> a reply in its thread.

The one place the message listeners (mentions, DMs, watched channels, file uploads, the message
shortcut) share, so each listener stays a few lines of wiring.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.core.matching.matcher import diagnose
from bot.slack import eventlog
from bot.slack.handling.files import MAX_FILE_BYTES, MAX_FILES, FileText, read_slack_file
from bot.slack.handling.triage import Incoming, is_high_confidence
from bot.slack.rendering.blocks import SlackMessage, render_diagnosis, render_plain
from bot.slack.rendering.replies import post_reply
from bot.slack.rendering.texts import template
from bot.slack.services import Services

# Where the thread is out of reach (the bot is not in that channel): answer the person alone.
Fallback = Callable[[SlackMessage], bool]


def answer_message(incoming: Incoming, *, services: Services, client: Any, logger: logging.Logger,
                   fallback: Fallback | None = None) -> str:
    """Diagnose and reply; returns the outcome ('replied', 'ephemeral', 'silent', 'duplicate',
    'failed', 'error').

    The outcome, the entries and the language go to the work's one log line (bot.slack.eventlog).
    """
    outcome = "error"
    try:
        outcome = _answer(incoming, services, client, logger, fallback)
        return outcome
    finally:
        eventlog.note(outcome=outcome)
        services.activity.record(incoming.delivery, outcome)


def _answer(incoming: Incoming, services: Services, client: Any, logger: logging.Logger,
            fallback: Fallback | None) -> str:
    # One reply per message, whichever events brought it (app_mention and message, retries).
    if not services.state.first_answer(incoming.source_key):
        return "duplicate"
    files = [read_slack_file(file_id, client=client, config=services.config, logger=logger)
             for file_id in incoming.file_ids[:MAX_FILES]]
    text = "\n".join([incoming.text, *(f.text for f in files if f.text)]).strip()
    diagnosis = diagnose(text, lang="auto")  # "auto": the language of the prose, else English
    eventlog.note(entries=[m.id for m in diagnosis.matches], language=diagnosis.language)
    if incoming.watched and not is_high_confidence(diagnosis):
        return "silent"  # unprompted: only a sure answer is worth the noise
    # The user's Slack locale wins over the prose; looked up only for messages we answer.
    language = services.locales.language_for(client, incoming.user, logger)
    if language and language != diagnosis.language:
        diagnosis = diagnosis._replace(language=language)
        eventlog.note(language=language)
    notes = tuple(file_note(f, diagnosis.language) for f in files if f.problem)
    if notes:
        diagnosis = diagnosis._replace(notes=(*diagnosis.notes, *notes))
    key = services.diagnoses.put(diagnosis)
    message = render_diagnosis(diagnosis, key=key)
    posted = post_reply(client, channel=incoming.channel, thread_ts=incoming.thread_ts, message=message,
                        plain=render_plain(diagnosis), logger=logger)
    outcome = "replied" if posted else "ephemeral" if fallback is not None and fallback(message) else "failed"
    if outcome != "failed":
        services.state.record_activity(incoming.user, {
            "kind": "diagnosis", "entries": [m.id for m in diagnosis.matches[:3]], "channel": incoming.channel,
            "ts": incoming.ts, "via": incoming.via})
    return outcome


def file_note(file: FileText, lang: str) -> str:
    """Why a file was not read, as plain text (the renderer escapes it)."""
    if file.problem in ("file_rejected_type", "file_rejected_size"):
        return template(lang, file.problem).format(
            name=file.name, size=f"{file.size / 1048576:.1f}", limit=MAX_FILE_BYTES // 1048576
        ).replace("`", "")
    known = file.problem in ("file_reason_html", "file_reason_binary", "file_reason_download", "file_reason_host")
    reason = template(lang, file.problem if known and file.problem else "file_reason_download")
    return template(lang, "file_unreadable").format(name=file.name, reason=reason).replace("`", "")
