"""Turning text as people paste it into plain log text, one event per line.

Handles Slack code fences and HTML escapes, Windows line endings, tabs, JSON log exports (one
object per line: its `message` and the error fields of structured access logs) and CloudWatch
Logs Insights CSV. Work is done on the whole text at C speed where possible, because a 20 MB
log must go through here quickly; the per-line work only runs when JSON or CSV is present.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.lazy_re import lazy_compile
from bot.core.record import Record

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
_MAX_FIELD = 64 * 1024  # a nested error field shown as JSON is cut here

# A fence and its language tag ("```json" on a line of its own); "```Task timed out" keeps "Task".
_FENCE = lazy_compile(r"```(?:[a-zA-Z0-9_+-]{1,20}(?=[ \t]*(?:\n|$)))?")


class Normalised(Record):
    """Normalised text and, for each of its lines, the line of the user's text it came from.

    A fence, a JSON log line or a CSV row becomes several lines here; evidence must still name
    the line the person sees in their own paste.
    """

    text: str
    origins: tuple[int, ...] | None = None  # 1-based user line per line of `text`; None: the same

    def origin(self, line_number: int) -> int:
        """The user's line number for line `line_number` (1-based) of the normalised text."""
        if self.origins is None or not 1 <= line_number <= len(self.origins):
            return line_number
        return self.origins[line_number - 1]


def normalize(text: str) -> str:
    """Plain text, `\n`-separated, ready for matching. Never raises."""
    return normalise(text).text


def normalise(text: str) -> Normalised:
    """`normalize` with the user's line number of every resulting line. Never raises."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if "&" in text:
        # Slack escapes exactly these three; &amp; last so "&amp;lt;" stays "&lt;".
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    origins: list[int] | None = None
    if "```" in text:
        text, origins = _expand_lines(text, origins, _split_fences)
    if "\n{" in text or text.lstrip().startswith("{"):
        text, origins = _expand_lines(text, origins, _expand_json_line)
    if "@message" in text[:4096]:
        text, origins = _expand_insights_csv(text, origins)
    return Normalised(text, tuple(origins) if origins is not None else None)


def _expand_lines(
    text: str, origins: list[int] | None, expand: Callable[[str], list[str] | None]
) -> tuple[str, list[int] | None]:
    """Apply `expand` to every line; a line it turns into several keeps its user line number."""
    lines = text.split("\n")
    out: list[str] = []
    out_origins: list[int] = []
    changed = False
    for number, line in enumerate(lines, start=1):
        origin = origins[number - 1] if origins is not None else number
        pieces = expand(line)
        if pieces is None:
            out.append(line)
            out_origins.append(origin)
        else:
            changed = True
            out.extend(pieces)
            out_origins.extend([origin] * len(pieces))
    if not changed:
        return text, origins
    return "\n".join(out), out_origins


def _split_fences(line: str) -> list[str] | None:
    if "```" not in line:
        return None
    return _FENCE.sub("\n", line).split("\n")


def _expand_json_line(line: str) -> list[str] | None:
    stripped = line.strip()
    if not (stripped.startswith("{") and stripped.endswith("}") and len(stripped) < _MAX_JSON_LINE):
        return None
    try:
        import json  # only for a text that holds JSON lines

        record = json.loads(stripped)
    except (ValueError, RecursionError):  # deeply nested "JSON" is matched as plain text
        return None
    if not isinstance(record, dict):
        return None
    # The raw line too: the validator reads quoted responses from it.
    return [line, *_lines_from_record(record)]


def _lines_from_record(record: dict, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for key in _MESSAGE_FIELDS:
        value = record.get(key)
        if isinstance(value, str) and value:
            lines.extend(value.replace("\r\n", "\n").replace("\t", " ").split("\n"))
        elif isinstance(value, dict) and depth < 4:  # JSON-formatted Lambda logs nest the message
            lines.extend(_lines_from_record(value, depth + 1))
    for key in _ERROR_FIELDS:
        value = record.get(key)
        if value not in (None, "", "-"):
            if isinstance(value, (dict, list)):
                value = _compact_json(value)
            lines.append(f"{key}: {value}")
    trace = record.get("stackTrace")
    if isinstance(trace, list):
        lines.extend(str(frame)[:2000] for frame in trace[:50])
    return lines


def _compact_json(value: object) -> str:
    try:
        import json

        return json.dumps(value)[:_MAX_FIELD]
    except (ValueError, RecursionError):
        return ""


def _expand_insights_csv(text: str, origins: list[int] | None) -> tuple[str, list[int] | None]:
    """Logs Insights 'Export results -> CSV': keep the @message column, one event per line."""
    head, _, _ = text.partition("\n")
    if "@message" not in head:
        return text, origins
    import csv  # only for a CSV export: not on every paste's start-up
    import io

    try:
        reader = csv.reader(io.StringIO(text))
        header = [cell.strip() for cell in next(reader, [])]
        if "@message" not in header:
            return text, origins
        column = header.index("@message")
        messages: list[str] = []
        message_origins: list[int] = []
        row_start = reader.line_num + 1
        for row in reader:
            if len(row) > column:
                origin = origins[row_start - 1] if origins and row_start <= len(origins) else row_start
                for piece in row[column].replace("\r\n", "\n").replace("\t", " ").split("\n"):
                    messages.append(piece)
                    message_origins.append(origin)
            row_start = reader.line_num + 1
    except csv.Error:
        return text, origins
    if not messages:
        return text, origins
    inner = normalise("\n".join(messages))
    return inner.text, [message_origins[inner.origin(n) - 1] for n in range(1, inner.text.count("\n") + 2)]


def line_at(text: str, position: int) -> tuple[int, str]:
    """The 1-based line number and the line containing `position` in `text`."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    if end < 0:
        end = len(text)
    return text.count("\n", 0, start) + 1, text[start:end]
