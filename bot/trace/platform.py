"""Lambda's system log lines in its JSON log format, read as the plain-text lines they stand for.

With `LoggingConfig.LogFormat: JSON`, Lambda writes its START, END and REPORT lines as JSON
events (`{"time": ..., "type": "platform.start", "record": {"requestId": ...}}`; the types are
those of the Telemetry API: platform.start, platform.runtimeDone, platform.report). The trace
reads invocations and reports by their plain-text shape, so each such event is given the line
Lambda writes in the text format; the event itself is what is shown. Pure.
"""

from __future__ import annotations

import json
from typing import Any

_MAX_EVENT = 16 * 1024  # platform events are a few hundred bytes
_MARKER = '"platform.'


def platform_text(message: str) -> str | None:
    """The text-format line for a JSON platform start, runtimeDone or report event; else None."""
    text = message.strip()
    if not text.startswith("{") or _MARKER not in text or len(text) > _MAX_EVENT:
        return None
    try:
        event = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(event, dict) or not isinstance(event.get("record"), dict):
        return None
    record: dict[str, Any] = event["record"]
    request_id = record.get("requestId")
    if not isinstance(request_id, str) or not request_id or len(request_id) > 100:
        return None
    kind = event.get("type")
    if kind == "platform.start":
        return f"START RequestId: {request_id} Version: {record.get('version', '$LATEST')}"
    if kind == "platform.runtimeDone":
        return f"END RequestId: {request_id}"
    if kind == "platform.report":
        return _report(request_id, record)
    return None


def _report(request_id: str, record: dict[str, Any]) -> str:
    metrics = record.get("metrics") if isinstance(record.get("metrics"), dict) else {}
    fields = [f"REPORT RequestId: {request_id}"]
    for key, name, unit in (("durationMs", "Duration", "ms"), ("billedDurationMs", "Billed Duration", "ms"),
                            ("memorySizeMB", "Memory Size", "MB"), ("maxMemoryUsedMB", "Max Memory Used", "MB"),
                            ("initDurationMs", "Init Duration", "ms")):
        value = metrics.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            shown = f"{value:.2f}" if unit == "ms" and key != "billedDurationMs" else f"{int(value)}"
            fields.append(f"{name}: {shown} {unit}")
    status = record.get("status")
    if isinstance(status, str) and status and status != "success":
        fields.append(f"Status: {status[:32]}")
    return "\t".join(fields) + "\t"
