"""Turning text as people paste it into plain log text, one event per line.

Handles Slack code fences and HTML escapes, Windows line endings, tabs, JSON log exports (one
object per line: its `message` and the error fields of structured access logs) and CloudWatch
Logs Insights CSV. Work is done on the whole text at C speed where possible, because a 20 MB
log must go through here quickly; the per-line work only runs when JSON or CSV is present.
"""

from __future__ import annotations

import csv
import io
import json
import re

# Fields of JSON log lines and API Gateway access logs that carry the error text.
_MESSAGE_FIELDS = ("message", "msg", "log", "@message", "Message")
_ERROR_FIELDS = (
    "errorType",
    "errorMessage",
    "integrationError",
    "integrationErrorMessage",
    "integrationErrorType",
    "errorResponseType",
    "error",
    "errorCode",
    "error_reason",
    "integrationStatus",
    "status",
    "statusCode",
    "integrationLatency",
)
_MAX_JSON_LINE = 1 << 20  # a longer "JSON" line is matched as plain text

# A fence and its language tag ("```json" on a line of its own); "```Task timed out" keeps "Task".
_FENCE = re.compile(r"```(?:[a-zA-Z0-9_+-]{1,20}(?=[ \t]*(?:\n|$)))?")


def normalize(text: str) -> str:
    """Plain text, `\n`-separated, ready for matching. Never raises."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if "```" in text:
        text = _FENCE.sub("\n", text)
    if "&" in text:
        # Slack escapes exactly these three; &amp; last so "&amp;lt;" stays "&lt;".
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    if "\n{" in text or text.lstrip().startswith("{"):
        text = _expand_json_lines(text)
    if "@message" in text[:4096]:
        text = _expand_insights_csv(text)
    return text


def _expand_json_lines(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("{") and stripped.endswith("}") and len(stripped) < _MAX_JSON_LINE:
            try:
                record = json.loads(stripped)
            except ValueError:
                record = None
            if isinstance(record, dict):
                out.append(line)  # the raw line too: the validator reads quoted responses from it
                out.extend(_lines_from_record(record))
                continue
        out.append(line)
    return "\n".join(out)


def _lines_from_record(record: dict) -> list[str]:
    lines: list[str] = []
    for key in _MESSAGE_FIELDS:
        value = record.get(key)
        if isinstance(value, str) and value:
            lines.extend(value.replace("\r\n", "\n").replace("\t", " ").split("\n"))
        elif isinstance(value, dict):  # JSON-formatted Lambda logs nest the message
            lines.extend(_lines_from_record(value))
    for key in _ERROR_FIELDS:
        value = record.get(key)
        if value not in (None, "", "-"):
            if isinstance(value, (dict, list)):
                value = json.dumps(value)
            lines.append(f"{key}: {value}")
    trace = record.get("stackTrace")
    if isinstance(trace, list):
        lines.extend(str(frame) for frame in trace[:50])
    return lines


def _expand_insights_csv(text: str) -> str:
    """Logs Insights 'Export results -> CSV': keep the @message column, one event per line."""
    head, _, _ = text.partition("\n")
    if "@message" not in head:
        return text
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return text
    if not rows:
        return text
    header = [cell.strip() for cell in rows[0]]
    if "@message" not in header:
        return text
    column = header.index("@message")
    messages = [row[column] for row in rows[1:] if len(row) > column]
    return normalize("\n".join(messages)) if messages else text


def line_at(text: str, position: int) -> tuple[int, str]:
    """The 1-based line number and the line containing `position` in `text`."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    if end < 0:
        end = len(text)
    return text.count("\n", 0, start) + 1, text[start:end]
