"""Logging for the running bot (`badgateway serve`, the Lambda function): one line per record.

- BADGATEWAY_LOG_LEVEL: DEBUG, INFO (default), WARNING or ERROR, for badgateway's own loggers.
  Other libraries' loggers (Bolt, the Slack SDK, botocore, urllib3, waitress) never go below
  INFO: at DEBUG they print request bodies, which hold the text people paste. Their records
  below INFO are dropped at the handler too, whatever level a library gives its own loggers.
- Nothing from a request body reaches the log, at any level: a library line that quotes a body
  (Bolt's "Invalid request signature detected (... body: ...)") keeps only the body's size, and
  library lines are cut to MAX_LIBRARY_LINE characters.
- BADGATEWAY_LOG_FORMAT: `json` (one JSON object per line; the default on Lambda and in the
  container image) or `text` (the default for `badgateway serve` in a terminal).

Every line goes through `mask_secrets`, whoever logged it: Slack tokens (xoxb-, xapp-, ...),
`Bearer ...` credentials and any value registered with `register_secret` (the signing secret)
are replaced by `[redacted]`.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from collections.abc import Mapping
from typing import Any

from bot.errors import BadGatewayError

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
FORMATS = ("json", "text")
# Libraries whose DEBUG output carries request bodies or headers: kept at INFO or above.
QUIET_LIBRARIES = ("slack_bolt", "slack_sdk", "botocore", "boto3", "urllib3", "s3transfer", "waitress")
REDACTED = "[redacted]"
MAX_LIBRARY_LINE = 500
# Where a library starts quoting a request: "body: ...", "Request body: ...", "for the request (...)".
_BODY_QUOTE = re.compile(r"(?i)\b(?:request )?body\b\s{0,3}[:=(]\s{0,3}|\bfor the request \(")

_TOKEN = re.compile(r"\b(?:xox[abeoprs]|xapp|xoxe\.xox[bp])-[A-Za-z0-9.-]{6,}")
_BEARER = re.compile(r"(?i)\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}")
_secrets: set[str] = set()
_secrets_lock = threading.Lock()
# Standard LogRecord attributes: anything else on a record was passed with `extra=` and is a field.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class LogConfigError(BadGatewayError):
    """BADGATEWAY_LOG_LEVEL or BADGATEWAY_LOG_FORMAT is malformed."""


def register_secret(value: str | None) -> None:
    """Mask this exact value in every log line from now on (short values are ignored)."""
    if value and len(value) >= 8:
        with _secrets_lock:
            _secrets.add(value)


def mask_secrets(text: str) -> str:
    text = _TOKEN.sub(REDACTED, text)
    text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
    with _secrets_lock:
        secrets = tuple(_secrets)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def library_logger(name: str) -> logging.Logger:
    """A library's logger (Bolt's) set to INFO at least: Bolt copies its level to the loggers it makes."""
    logger = logging.getLogger(name)
    logger.setLevel(max(logging.INFO, logger.getEffectiveLevel()))
    return logger


def is_library(name: str) -> bool:
    return any(name == lib or name.startswith(lib + ".") for lib in QUIET_LIBRARIES)


def without_body(message: str) -> str:
    """A library's log line with any quoted request body replaced by its size, and cut short."""
    found = _BODY_QUOTE.search(message)
    if found:
        message = f"{message[: found.end()].rstrip()} [not logged: {len(message) - found.end()} characters])"
    if len(message) > MAX_LIBRARY_LINE:
        message = message[: MAX_LIBRARY_LINE - 1] + "…"
    return message


class LibraryHygiene(logging.Filter):
    """On every handler: library records below INFO are dropped; the others lose any request body."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not is_library(record.name):
            return True
        if record.levelno < logging.INFO:
            return False
        message = record.getMessage()
        cleaned = without_body(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def log_settings(env: Mapping[str, str], *, default_format: str) -> tuple[int, str]:
    """(level, format) from the environment; LogConfigError naming the variable when malformed."""
    level_name = (env.get("BADGATEWAY_LOG_LEVEL") or "INFO").strip().upper()
    if level_name == "WARN":
        level_name = "WARNING"
    if level_name not in LEVELS:
        raise LogConfigError(f"BADGATEWAY_LOG_LEVEL is malformed: expected one of {', '.join(LEVELS)}")
    log_format = (env.get("BADGATEWAY_LOG_FORMAT") or default_format).strip().lower()
    if log_format not in FORMATS:
        raise LogConfigError("BADGATEWAY_LOG_FORMAT is malformed: expected json or text")
    return logging.getLevelName(level_name), log_format


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", ...the record's extra fields} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return mask_secrets(json.dumps(line, ensure_ascii=False, default=str, separators=(",", ":")))


class TextFormatter(logging.Formatter):
    """`time level logger message key=value ...`; tracebacks on the lines after."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = [f"{key}={_text_value(value)}" for key, value in vars(record).items()
                  if key not in _STANDARD and not key.startswith("_") and key != "aws_request_id"]
        if fields:
            head, _, tail = text.partition("\n")
            text = " ".join([head, *fields]) + ("\n" + tail if tail else "")
        return mask_secrets(text)


def configure_logging(env: Mapping[str, str], *, default_format: str = "text") -> tuple[int, str]:
    """Set the root logger up from the environment; returns (level, format).

    Existing root handlers (the Lambda runtime's, which writes to CloudWatch) get our formatter;
    without any, one writing to stderr is added. On a malformed setting the defaults are applied
    first, then LogConfigError is raised, so the caller can still log why.
    """
    try:
        level, log_format = log_settings(env, default_format=default_format)
        problem = None
    except LogConfigError as exc:
        level, log_format, problem = logging.INFO, default_format, exc
    formatter: logging.Formatter = JsonFormatter() if log_format == "json" else TextFormatter()
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler(sys.stderr))
    for handler in root.handlers:
        handler.setFormatter(formatter)
        if not any(isinstance(f, LibraryHygiene) for f in handler.filters):
            handler.addFilter(LibraryHygiene())
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    if problem is not None:
        raise problem
    return level, log_format


def _utc(created: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created)) + f".{int(created % 1 * 1000):03d}Z"


def _text_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value) or "-"
    return "-" if value is None else str(value)
