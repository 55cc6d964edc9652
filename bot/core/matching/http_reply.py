"""What a pasted HTTP response (`curl -i`, `curl -v`, browser devtools) says by itself.

The status line, a few headers and the body tell which front door answered and how:
- REST API: `x-amz-apigw-id`, `x-amzn-ErrorType`, body `{"message": "Internal server error"}`;
- HTTP API: `apigw-requestid`, body `{"message":"Internal Server Error"}` / `"Service Unavailable"`;
- ALB: `server: awselb/2.0` and its HTML error page;
- CloudFront: `x-cache: ... from cloudfront` (`LambdaValidationError`, `LambdaExecutionError`, ...);
- a Lambda function URL: a `*.lambda-url.*.on.aws` host.
With the front door and the status, the knowledge base's own `applies_to` (which status each
cause gives behind which front door) narrows the causes: a REST 502 is not a missing invoke
permission (500) nor an integration timeout (504). The status alone is never a diagnosis.
"""

from __future__ import annotations

import re

from bot.core.lazy_re import lazy_compile
from bot.core.record import Record

# The status a browser reports beside its error ("... Status code: 502." in Firefox's CORS
# message, "Status Code: 504 Gateway Timeout" in the network panel), or a service's answer.
_STATUS_CODE = lazy_compile(r"\bStatus Code: ?([1-5]\d\d)\b", re.IGNORECASE)
_STATUS_LINE = lazy_compile(r"^[<>]? ?HTTP/(?:1\.[01]|2(?:\.0)?|3) (\d{3})\b", re.MULTILINE)
_HEADER = lazy_compile(r"^[<>]? ?([A-Za-z][A-Za-z0-9-]{0,60}):[ \t]?(.{0,500})$")
_REQUEST_ID_HEADERS = ("x-amzn-requestid", "apigw-requestid", "x-amz-apigw-id", "x-amz-cf-id")
MAX_REPLIES = 5
_SCAN_LIMIT = 256 * 1024


class HttpReply(Record):
    status: int
    front: str  # "rest" | "http" | "alb" | "cloudfront" | "function-url" | "unknown"
    headers: tuple[tuple[str, str], ...]  # (lower-cased name, value), as pasted
    body: str  # the first lines of the body, if any
    line_number: int  # of the status line, in the text given

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value
        return None

    @property
    def error_type(self) -> str | None:
        value = self.header("x-amzn-errortype")
        return value.split(":", 1)[0].strip() if value else None

    @property
    def request_id(self) -> str | None:
        for name in _REQUEST_ID_HEADERS:
            value = self.header(name)
            if value:
                return value.strip()
        return None


def find_replies(text: str) -> tuple[HttpReply, ...]:
    """The HTTP responses pasted in `text` (status line, headers, start of the body)."""
    text = text[:_SCAN_LIMIT]
    if "HTTP/" not in text:
        return tuple(
            HttpReply(int(m.group(1)), "unknown", (), "", text.count("\n", 0, m.start()) + 1)
            for m in list(_STATUS_CODE.finditer(text))[:MAX_REPLIES]
        )
    replies: list[HttpReply] = []
    lines = text.split("\n")
    starts = {text.count("\n", 0, m.start()): int(m.group(1)) for m in _STATUS_LINE.finditer(text)}
    for index, status in sorted(starts.items())[:MAX_REPLIES]:
        headers: list[tuple[str, str]] = []
        cursor = index + 1
        while cursor < len(lines) and len(headers) < 60:
            match = _HEADER.match(lines[cursor].strip())
            if not match:
                break
            headers.append((match.group(1).lower(), match.group(2).strip()))
            cursor += 1
        body_lines: list[str] = []
        while cursor < len(lines) and not lines[cursor].strip():
            cursor += 1
        while cursor < len(lines) and len(body_lines) < 20 and cursor not in starts:
            body_lines.append(lines[cursor])
            cursor += 1
        body = "\n".join(body_lines).strip()[:2000]
        replies.append(HttpReply(status, _front(headers, body, text), tuple(headers), body, index + 1))
    return tuple(replies)


def _front(headers: list[tuple[str, str]], body: str, text: str) -> str:
    names = {name for name, _ in headers}
    values = {name: value.lower() for name, value in headers}
    cache = values.get("x-cache", "")
    if "lambda" in cache and "cloudfront" in cache:
        return "cloudfront"  # LambdaValidationError / LambdaExecutionError from cloudfront: the edge function
    if "x-amz-apigw-id" in names or "x-amzn-errortype" in names:
        return "rest"  # API Gateway's own headers, forwarded by CloudFront too
    if "apigw-requestid" in names:
        return "http"
    if values.get("server", "").startswith("awselb") or "awselb" in body.lower():
        return "alb"
    if ".lambda-url." in text:
        return "function-url"
    if "cloudfront" in cache or "cloudfront" in values.get("via", ""):
        return "unknown"  # CloudFront passing on an origin's error: the origin is not known
    if '"Internal server error"' in body:
        return "rest"  # REST writes "server error" in lower case, HTTP APIs "Server Error"
    if '"Internal Server Error"' in body or '"Service Unavailable"' in body:
        return "http"
    return "unknown"


def failing_reply(replies: tuple[HttpReply, ...]) -> HttpReply | None:
    """The last 5XX (or 413) response, which is the one the question is about; else the last one
    (a 200 or a 4XX: then no 5XX cause fits what the client got)."""
    for reply in reversed(replies):
        if reply.status >= 500 or reply.status == 413:
            return reply
    return replies[-1] if replies else None
