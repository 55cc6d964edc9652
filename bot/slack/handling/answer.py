"""Answering one message: its text and files -> the core's diagnosis -> a reply in its thread.

The one place the message listeners (mentions, DMs, watched channels, file uploads) share, so
each listener stays a few lines of wiring.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from bot.core.matcher import diagnose
from bot.slack import eventlog
from bot.slack.handling.files import MAX_FILE_BYTES, MAX_FILES, FileText, read_slack_file
from bot.slack.handling.triage import Incoming, is_high_confidence
from bot.slack.rendering.blocks import render_diagnosis, render_plain
from bot.slack.rendering.replies import post_reply
from bot.slack.rendering.texts import STRINGS
from bot.slack.services import Services


def answer_message(incoming: Incoming, *, services: Services, client: Any, logger: logging.Logger) -> str:
    """Diagnose and reply; returns the outcome ('replied', 'silent', 'duplicate', 'failed', 'error').

    The outcome, the entries and the language go to the work's one log line (bot.slack.eventlog).
    """
    outcome = "error"
    try:
        outcome = _answer(incoming, services, client, logger)
        return outcome
    finally:
        eventlog.note(outcome=outcome)
        services.activity.record(incoming.delivery, outcome)


def _answer(incoming: Incoming, services: Services, client: Any, logger: logging.Logger) -> str:
    # One reply per message, whichever events brought it (app_mention and message, retries).
    if not services.answered.first(incoming.source_key):
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
        diagnosis = dataclasses.replace(diagnosis, language=language)
        eventlog.note(language=language)
    notes = tuple(file_note(f, diagnosis.language) for f in files if f.problem)
    if notes:
        diagnosis = dataclasses.replace(diagnosis, notes=(*diagnosis.notes, *notes))
    key = services.diagnoses.put(diagnosis)
    posted = post_reply(
        client,
        channel=incoming.channel,
        thread_ts=incoming.thread_ts,
        message=render_diagnosis(diagnosis, key=key),
        plain=render_plain(diagnosis),
        logger=logger,
    )
    return "replied" if posted else "failed"


def file_note(file: FileText, lang: str) -> str:
    """Why a file was not read, as plain text (the renderer escapes it)."""
    table = STRINGS.get(lang, STRINGS["en"])
    if file.problem in ("file_rejected_type", "file_rejected_size"):
        return table[file.problem].format(
            name=file.name, size=f"{file.size / 1048576:.1f}", limit=MAX_FILE_BYTES // 1048576
        ).replace("`", "")
    reason = table.get(file.problem or "file_reason_download", table["file_reason_download"])
    return table["file_unreadable"].format(name=file.name, reason=reason).replace("`", "")
