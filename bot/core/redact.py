"""Redaction of secrets in text we quote back: evidence lines, replies, logs.

Applied to everything quoted from user input before it leaves the core.
"""

from __future__ import annotations

import re

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # AWS access key ids (long-term AKIA, temporary ASIA, and the other documented prefixes).
    (re.compile(r"\b(?:AKIA|ASIA|AROA|AIDA|ANPA|ANVA|AGPA|AIPA|APKA)[A-Z0-9]{16}\b"), "[REDACTED-AWS-KEY-ID]"),
    # Secret access keys and session tokens introduced by their names.
    (
        re.compile(
            r"(?i)((?:aws_?)?(?:secret_?access_?key|secret_?key|session_?token|security_?token)"
            r"[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9/+=]{16,}"
        ),
        r"\1[REDACTED]",
    ),
    # Slack tokens: bot, user, app-level, refresh, config, legacy workspace tokens.
    (re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{8,}"), "[REDACTED-SLACK-TOKEN]"),
    (re.compile(r"\bxapp-[A-Za-z0-9-]{8,}"), "[REDACTED-SLACK-TOKEN]"),
    (re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+"), "https://hooks.slack.com/services/[REDACTED]"),
    # JSON Web Tokens (header.payload.signature, base64url).
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), "[REDACTED-JWT]"),
    # Authorization headers and bearer tokens.
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [REDACTED]"),
    (re.compile(r"(?i)(\"?(?:authorization|x-api-key|api[_-]?key|password|passwd|client_secret|token)\"?\s*[:=]\s*\"?)[^\s\",;]{4,}"), r"\1[REDACTED]"),
    # Passwords in URLs: scheme://user:password@host.
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^/\s@]+@", re.IGNORECASE), r"\1[REDACTED]@"),
    # GitHub and generic private keys.
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"), "[REDACTED-TOKEN]"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)"), "[REDACTED-PRIVATE-KEY]"),
)


def redact(text: str) -> str:
    """`text` with access keys, secrets, tokens, JWTs and URL passwords replaced by markers."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
