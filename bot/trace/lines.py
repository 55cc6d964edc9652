"""What one request's log lines say, read into plain facts. Pure; every regex here is linear.

- Execution log (REST): `(<request-id>) <message>`, one event per step of the request;
- access log: one JSON record per request, with whichever `$context` variables the stage's format
  names (requestId, integrationRequestId, status, integrationStatus, integrationLatency...);
- function log: `START RequestId: ...`, `REPORT RequestId: ... Duration: ... ms ...`, `Task timed out
  after N seconds`, the runtime's error lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.trace.platform import platform_text

if TYPE_CHECKING:
    from bot.core.responses import QuotedResponse

MAX_LINE = 64 * 1024  # a log event is at most 256 KB; what a trace needs is near its start
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9=+/_-]{5,99}")  # a UUID (REST) or apigw-requestid (HTTP)

_EXECUTION = re.compile(r"\((?P<id>[A-Za-z0-9=+/_-]{1,100})\) (?P<message>.*)")
_RESOURCE = re.compile(r"HTTP Method: (?P<method>[A-Z]{1,10}), Resource Path: (?P<path>\S{1,2048})")
_COMPLETED = re.compile(r"Method completed with status: (?P<status>\d{3})")
_RECEIVED = re.compile(r"Received response\. Status: (?P<status>\d{3}), Integration latency: (?P<ms>\d{1,9}) ms")
_ENDPOINT_URI = re.compile(r"Endpoint request URI: \S{0,300}/functions/(?P<fn>[^/\s]{1,300})/invocations")
_LAMBDA_ID_HEADER = re.compile(r"x-amzn-RequestId=(?P<id>[0-9a-fA-F-]{8,64})")
_LAMBDA_ID_TAIL = re.compile(r"Lambda request id: (?P<id>[0-9a-fA-F-]{8,64})")
_AUTHORIZER_LINE = re.compile(r"[Aa]uthorizer|Unauthorized request")
_DENIED = re.compile(r"Unauthorized request|Access denied|User is not authorized|explicit deny", re.IGNORECASE)

_REPORT = re.compile(r"REPORT RequestId: (?P<id>\S{1,64})")
_NUMBER_FIELD = re.compile(r"(?P<name>Init Duration|Billed Duration|Duration|Memory Size|Max Memory Used): "
                           r"(?P<value>\d{1,12}(?:\.\d{1,6})?) (?:ms|MB)")
_TIMED_OUT = re.compile(r"Task timed out after (?P<seconds>\d{1,6}(?:\.\d{1,3})?) seconds")
_STATUS_FIELD = re.compile(r"Status: (?P<status>[a-z]{1,32})")


def execution_line(line: str) -> tuple[str, str] | None:
    """`(id) message` -> (id, message); a timestamp or tab before it is allowed (exports add one)."""
    start = line.find("(")
    if start < 0 or start > 64:
        return None
    match = _EXECUTION.match(line[:MAX_LINE], start)
    return (match.group("id"), match.group("message")) if match else None


@dataclass(frozen=True)
class ExecutionFacts:
    method: str | None = None
    path: str | None = None
    status: int | None = None  # what the client got
    integration_status: int | None = None
    integration_latency_ms: int | None = None
    function_reference: str | None = None  # what the integration called
    lambda_request_id: str | None = None
    authorizer_lines: tuple[str, ...] = ()
    denied: bool = False


def execution_facts(lines: tuple[str, ...]) -> ExecutionFacts:
    found: dict[str, Any] = {}
    authorizer: list[str] = []
    denied = tail = False
    for line in lines:
        parsed = execution_line(line)
        message = parsed[1] if parsed else line[:MAX_LINE]
        if (match := _RESOURCE.search(message)) and "path" not in found:
            found["method"], found["path"] = match.group("method"), match.group("path")
        if match := _COMPLETED.search(message):
            found["status"] = int(match.group("status"))
        if match := _RECEIVED.search(message):
            found["integration_status"] = int(match.group("status"))
            found["integration_latency_ms"] = int(match.group("ms"))
        if match := _ENDPOINT_URI.search(message):
            found["function_reference"] = match.group("fn")
        # The integration's call comes after an authorizer's: the last id wins, and Lambda's own
        # "Lambda request id:" over a response header.
        if match := _LAMBDA_ID_TAIL.search(message):
            found["lambda_request_id"], tail = match.group("id"), True
        elif (match := _LAMBDA_ID_HEADER.search(message)) and not tail:
            found["lambda_request_id"] = match.group("id")
        if _AUTHORIZER_LINE.search(message):
            authorizer.append(line)
            denied = denied or bool(_DENIED.search(message))
    return ExecutionFacts(**found, authorizer_lines=tuple(authorizer), denied=denied)


# ------------------------------------------------------------------------------ access logs
def access_record(line: str) -> dict[str, str] | None:
    """A JSON access log record, its keys folded (`integration.requestId` -> `integrationrequestid`)."""
    text = line[:MAX_LINE].strip()
    start = text.find("{")
    if start < 0 or not text.endswith("}"):
        return None
    try:
        document = json.loads(text[start:])
    except (ValueError, RecursionError):  # not JSON, or nested past what the parser follows
        return None
    if not isinstance(document, dict):
        return None
    return {_fold(str(key)): "" if value in (None, "-") else str(value)
            for key, value in document.items() if not isinstance(value, (dict, list))}


def _fold(key: str) -> str:
    return key.replace(".", "").replace("_", "").lower()


def record_int(record: dict[str, str], *keys: str) -> int | None:
    for key in keys:
        value = record.get(key, "")
        if value.isdigit():
            return int(value)
    return None


def record_text(record: dict[str, str], *keys: str) -> str | None:
    return next((record[key] for key in keys if record.get(key)), None)


# --------------------------------------------------------------------------- function logs
@dataclass(frozen=True)
class FunctionFacts:
    started: bool = False
    ended: bool = False
    duration_ms: float | None = None
    memory_size_mb: int | None = None
    max_memory_mb: int | None = None
    init_duration_ms: float | None = None
    timed_out_after_s: float | None = None
    report_status: str | None = None  # newer runtimes: "Status: timeout" / "error" on the REPORT line
    report_line: str | None = None


def function_facts(lines: tuple[str, ...], lambda_request_id: str) -> FunctionFacts:
    found: dict[str, Any] = {}
    for raw in lines:
        line = platform_text(raw) or raw[:MAX_LINE]  # Lambda's JSON log format: its text line
        if line.startswith("START RequestId:") and lambda_request_id in line:
            found["started"] = True
        elif line.startswith("END RequestId:") and lambda_request_id in line:
            found["ended"] = True
        elif (match := _REPORT.search(line)) and match.group("id") == lambda_request_id:
            found["report_line"] = line
            for field in _NUMBER_FIELD.finditer(line):
                _report_field(found, field.group("name"), field.group("value"))
            if status := _STATUS_FIELD.search(line, match.end()):
                found["report_status"] = status.group("status")
        if match := _TIMED_OUT.search(line):
            found["timed_out_after_s"] = float(match.group("seconds"))
    return FunctionFacts(**found)


def _report_field(found: dict[str, Any], name: str, value: str) -> None:
    key = {"Duration": "duration_ms", "Init Duration": "init_duration_ms", "Memory Size": "memory_size_mb",
           "Max Memory Used": "max_memory_mb"}.get(name)
    if key is not None:
        found[key] = int(float(value)) if key.endswith("_mb") else float(value)


MAX_LOGGED_RESPONSE = 16 * 1024


def logged_response(line: str) -> QuotedResponse | None:
    """A proxy response the function printed (`print(response)`, `console.log(JSON.stringify(r))`):
    the line's last tab-separated field (after a runtime's timestamp, request id and level), a JSON
    object or a Python dict with a statusCode. None for any other line."""
    from bot.core.responses import QuotedResponse

    text = line.rsplit("\t", 1)[-1].strip()
    if len(text) > MAX_LOGGED_RESPONSE or not (text.startswith("{") and text.endswith("}")) or "statusCode" not in text:
        return None
    payload = _json_or_python(text)
    if not isinstance(payload, dict) or "statusCode" not in payload:
        return None
    return QuotedResponse(text, payload, "", False, source="function-log")


def _json_or_python(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        pass
    if not text.startswith("{'"):
        return None
    import ast

    try:  # a Python dict as print() writes it: literals only, never evaluated as code
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, RecursionError, MemoryError, TypeError):
        return None
