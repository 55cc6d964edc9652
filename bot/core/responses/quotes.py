"""Finding the function's response quoted in pasted text: REST execution logs, HTTP API access
logs (integrationError), `sam local start-api` output and test-invoke output.

`find_quoted_responses(text)` gives every quote, for `diagnose` and the live checks;
`parse_response_text(text)` gives the one response `validate-response` checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from bot.core.lazy_re import compile_cached
from bot.core.responses.decode import NOT_JSON, decode_quote, scan_balanced, try_json
from bot.core.responses.model import QuotedResponse
from bot.errors import UsageError

EXECUTION_LOG_MARKER = "Endpoint response body before transformations:"
# API Gateway caps an execution-log event at 1 KB; a quote whose line is about that long and does
# not decode was cut, even if the " [TRUNCATED]" suffix got lost in the paste.
_LOG_EVENT_LIMIT = 1024
_GATEWAY_ERROR_BODIES = ({"message": "Internal server error"}, {"message": "Internal Server Error"})


def parse_response_text(text: str) -> object:
    """The function's response from pasted text: raw JSON, or the body a log line quotes.

    Raises UsageError (one line) when there is no JSON to read, or when the only quoted body was
    truncated by API Gateway.
    """
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        raise UsageError("input is empty: paste the JSON the function returned")
    error: ValueError | None = None
    try:
        parsed = json.loads(stripped)
    except RecursionError:
        raise UsageError(
            "input is not JSON the validator can read: it is nested too deeply"
        ) from None
    except ValueError as exc:
        error = exc
        parsed = None
    if error is None and not _has_quote_marker(stripped):
        return parsed

    quotes = find_quoted_responses(text)
    usable = [q for q in quotes if q.parsed and not q.truncated]
    if usable:
        return usable[-1].payload  # the latest quoted response is the one the user is looking at
    if error is None:
        return parsed
    if any(q.truncated for q in quotes):
        raise UsageError(
            "the quoted response body is truncated (API Gateway cuts execution-log lines at 1 KB): "
            "paste the full JSON the function returned, e.g. from `aws lambda invoke`"
        )
    if isinstance(error, json.JSONDecodeError):
        raise UsageError(
            f"input is not JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    raise UsageError(f"input is not JSON: {error}") from None


_QUOTE_MARKERS = (
    EXECUTION_LOG_MARKER,
    "Invalid API Gateway Response Keys",
    "Response received:",
    "integrationError",
    "Response Body",
    "Response body",
)


def _has_quote_marker(text: str) -> bool:
    return any(marker in text for marker in _QUOTE_MARKERS)


def find_quoted_responses(text: str) -> list[QuotedResponse]:
    """Every function response quoted in `text`, in order.

    Looks for: REST execution-log lines "Endpoint response body before transformations: ..."
    (only for Lambda: a quote after a non-200 Lambda answer or a non-Lambda endpoint is not a
    function response); `sam local start-api` messages ("Invalid API Gateway Response Keys: {...}
    in {...}", "Response received: ..."); an integrationError / integrationErrorMessage field
    holding JSON; a test's "Response" / "Response Body" section. JSON input (test-invoke-method
    output, CloudWatch events) is searched inside its strings, where quotes are unescaped.
    """
    found: list[QuotedResponse] = []
    seen: set[tuple[str, str]] = set()
    for view, field in _views(text):
        for quote in _quotes_in(view, field, text):
            key = (quote.text, quote.source)
            if is_lambda_service_error(quote.payload):
                continue  # written by the Lambda service (KMS, throttling), not by the function
            if key not in seen:
                seen.add(key)
                found.append(quote)
    return found


def is_lambda_service_error(payload: object) -> bool:
    """The Lambda service's own error body, e.g. {"Message": "...", "Type": "User"}.

    API Gateway quotes it where a function response would be when Lambda rejects the invoke
    (KMSAccessDeniedException, throttling with "Reason"), so it says nothing about the function.
    """
    if not isinstance(payload, dict) or not payload:
        return False
    keys = set(payload)
    return keys <= {"Message", "message", "Type", "Reason", "__type"} and bool(
        keys & {"Type", "__type"}
    )


def _views(text: str) -> Iterator[tuple[str, str | None]]:
    """(text to search, name of the JSON field it came from or None)."""
    whole = try_json(text.strip())
    if whole is not NOT_JSON:
        yield from _json_strings(whole, None)
        return
    plain: list[str] = []
    for line in text.splitlines():
        candidate = line.strip()
        if candidate.startswith("{") and _has_quote_marker(candidate):
            parsed = try_json(candidate)
            if parsed is not NOT_JSON:
                yield from _json_strings(parsed, None)
                continue
        plain.append(line)
    yield "\n".join(plain), None


def _json_strings(
    value: object, field: str | None, depth: int = 0
) -> Iterator[tuple[str, str | None]]:
    if depth > 50:
        return
    if isinstance(value, str):
        yield value, field
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_strings(item, str(key), depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, field, depth + 1)


_INTEGRATION_ERROR_FIELDS = frozenset(
    {
        "integrationerror",
        "integrationerrormessage",
        "integration.error",
        "integration_error",
        "integration_error_message",
    }
)
_INTEGRATION_ERROR_TEXT = compile_cached(
    r"""["']?integration(?:[._]?error(?:[._]?message)?)["']?\s*[:=]\s*"((?:[^"\\\n]|\\.)*)\"""",
    re.IGNORECASE,
)
_SAM_KEYS = compile_cached(r"Invalid API Gateway Response Keys: ")
_SAM_RECEIVED = compile_cached(r"Response received: ")
_RESPONSE_HEADING = compile_cached(r"^[ \t]*Response(?: [Bb]ody)?:?[ \t]*$", re.MULTILINE)
_RECEIVED_STATUS = compile_cached(r"Received response\. (?:Status: (\d+))?")
_ENDPOINT = compile_cached(r"(?:Sending request to|Endpoint request URI:) (\S+)")
_MARKER = compile_cached(re.escape(EXECUTION_LOG_MARKER))


def _quotes_in(view: str, field: str | None, whole: str) -> Iterator[QuotedResponse]:
    if field is not None and field.lower() in _INTEGRATION_ERROR_FIELDS:
        quote = _integration_error_quote(view, whole)
        if quote:
            yield quote
    for match in _MARKER.finditer(view):
        quote = _execution_log_quote(view, match.end())
        if quote:
            yield quote
    for match in _SAM_KEYS.finditer(view):
        # "Invalid API Gateway Response Keys: {'error'} in {...}": skip the set of keys.
        keys_end = scan_balanced(view, match.end())
        if keys_end is not None and view.startswith(" in ", keys_end):
            yield decode_quote(view, keys_end + 4, "rest", "sam-local")
    for match in _SAM_RECEIVED.finditer(view):
        yield decode_quote(view, match.end(), "rest", "sam-local")
    for match in _RESPONSE_HEADING.finditer(view):
        quote = decode_quote(view, match.end(), "rest", "test-invoke", skip_space=True)
        # The gateway's own error body is what the client got, not what the function returned.
        if quote.parsed and not quote.truncated and quote.payload not in _GATEWAY_ERROR_BODIES:
            yield quote
    if field is None:
        for match in _INTEGRATION_ERROR_TEXT.finditer(view):
            try:
                value = json.loads(f'"{match.group(1)}"')
            except ValueError:
                continue
            quote = _integration_error_quote(value, whole)
            if quote:
                yield quote


def _execution_log_quote(view: str, start: int) -> QuotedResponse | None:
    line_end = view.find("\n", start)
    segment = view[start:] if line_end < 0 else view[start:line_end]
    if segment.strip():
        scope = view[: start + len(segment)]  # AWS logs the body on the marker's own line
    else:
        # Pretty-printed by hand on the next lines; a real empty body is followed by a log line.
        rest = view[start:].lstrip()
        if not rest or rest[0] not in '{["':
            return None
        scope = view
    if not _lambda_context(view[:start], view[start:]):
        return None
    quote = decode_quote(scope, start, "rest", "execution-log", skip_space=True)
    truncated = quote.truncated
    if not quote.parsed and not truncated:
        # Cut at the 1 KB event limit without the " [TRUNCATED]" suffix surviving the paste.
        truncated = len(segment.strip().encode("utf-8", errors="replace")) >= _LOG_EVENT_LIMIT - 200
    completed = _METHOD_COMPLETED.search(_same_request(view[start:]))
    return QuotedResponse(
        quote.text,
        quote.payload,
        "rest",
        truncated,
        "execution-log",
        quote.parsed,
        int(completed.group(1)) if completed else None,
    )


_METHOD_COMPLETED = compile_cached(r"Method completed with status: (\d{3})")
_NEXT_REQUEST = compile_cached(
    r"Received response\.|Starting execution for request|Execution log for request"
)


def _same_request(after: str) -> str:
    """The log text after a quote that still belongs to the same request."""
    ahead = after[:6000]
    following = _NEXT_REQUEST.search(ahead)
    return ahead[: following.start()] if following else ahead


def _lambda_context(before: str, after: str) -> bool:
    """False when the execution log shows this body is not a function's response."""
    window = before[-6000:]
    endpoints = list(_ENDPOINT.finditer(window))
    endpoint = endpoints[-1] if endpoints else None  # the latest before the quote
    if endpoint is not None and "lambda" not in endpoint.group(1).lower():
        return False  # an HTTP or AWS-service integration (SQS, Step Functions...)
    statuses = list(_RECEIVED_STATUS.finditer(window))
    received = statuses[-1] if statuses else None
    if received is not None and received.group(1) and received.group(1) != "200":
        return False  # Lambda itself refused (throttled, 4XX/5XX): not the function's output
    # Lambda's own error type header (TooManyRequestsException...) is logged before or after the
    # body depending on the log's age; look around the quote, within this request.
    since = window[received.end() :] if received is not None else window[-1500:]
    return "x-amzn-ErrorType=" not in since + _same_request(after)


def _integration_error_quote(value: str, whole: str) -> QuotedResponse | None:
    brace = min((i for i in (value.find("{"), value.find("[")) if i >= 0), default=-1)
    if brace < 0 or value.strip() == "-":
        return None  # "-" is the access log's empty value; plain text is a message, not a body
    # HTTP APIs only have access logs; a REST execution log around it means REST.
    rest_clues = (EXECUTION_LOG_MARKER, "Method completed with status", "resourcePath")
    integration = "rest" if any(clue in whole for clue in rest_clues) else "http-v2"
    quote = decode_quote(value, brace, integration, "integration-error")
    return quote if quote.parsed or quote.truncated else None
