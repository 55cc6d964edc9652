"""Server-side filters: which log lines are worth reading at all.

Logs Insights gets one case-insensitive regular expression made from the knowledge base's own
prefilter (bot.core.matcher's grep prefilter: a superset of the lines any signature can match),
so that a new entry is searched for the moment it exists. The matcher reads what comes back, as
`badgateway diagnose` would. FilterLogEvents takes no regular expression: it gets fixed term
lists (case-sensitive, as CloudWatch's filter patterns are).
"""

from __future__ import annotations

import re
from functools import lru_cache

INSIGHTS_LIMIT = 1000  # rows per query, newest first (Insights returns at most 10,000)
# Structured access logs (HTTP APIs, JSON formats) with a 5XX status and no error text; and a
# response a function logged with multiValueHeaders, which an ALB target group may not expect.
_EXTRA_PATTERNS = (r'"status"\s*:\s*"?5\d\d', "multiValueHeaders")
_POSIX_CLASSES = (("[^[:space:]]", r"\S"), ("[[:space:]]", r"\s"), ("[[:alnum:]_]", r"\w"),
                  ("[:space:]", r"\s"), ("[:alnum:]_", r"\w"))
_INSIGHTS_SPECIAL = re.compile(r"([.\\^$|?*+()\[\]{}/])")

EXECUTION_LOG_FILTER = (
    '?"Execution failed" ?"Lambda execution failed" ?"Lambda invocation failed" ?"status: 50" '
    '?"timed out" ?Malformed ?"Invalid permissions" ?Exception ?"Internal server error" ?Authorizer '
    '?"assume the provided role" ?"not authorized to perform" ?"No match for output mapping" '
    '?"Unable to transform" ?"Invalid mapping expression"'
)
FUNCTION_LOG_FILTER = (
    '?ERROR ?Error ?error ?"Task timed out" ?Exception ?exception ?Traceback ?"Runtime." ?denied '
    '?"Process exited" ?"signal: killed" ?errorType ?EACCES ?"Unable to import" ?"Cannot find module" '
    '?"is undefined" ?"not a function" ?"Status: timeout" ?multiValueHeaders'
)


@lru_cache(maxsize=1)
def insights_regex() -> str:
    """`(?i)(word|word|pattern...)`, ready to sit between the slashes of `like /.../`."""
    from bot.core.knowledge import load_knowledge
    from bot.core.matcher import Matcher

    prefilter = Matcher(load_knowledge()).grep_prefilter()
    parts: list[str] = []
    if prefilter is not None:
        parts += [_escaped(word) for word in prefilter.words]
        parts += [_from_posix(pattern) for pattern in prefilter.extended]
        # grep -P patterns use back-references, which Insights does not take; their lines also hold
        # words of the list above (the runtime's own error lines), so leaving them out loses little.
    parts += list(_EXTRA_PATTERNS)
    return "(?i)(" + "|".join(dict.fromkeys(parts)) + ")"


def insights_query(limit: int = INSIGHTS_LIMIT) -> str:
    return (f"fields @timestamp, @message, @log | filter @message like /{insights_regex()}/ "
            f"| sort @timestamp desc | limit {limit}")


def _escaped(word: str) -> str:
    return _INSIGHTS_SPECIAL.sub(r"\\\1", word)


def _from_posix(pattern: str) -> str:
    """A grep -E pattern (POSIX classes) as the Perl-style regex Insights reads; '/' escaped."""
    for posix, perl in _POSIX_CLASSES:
        pattern = pattern.replace(posix, perl)
    return pattern.replace("/", r"\/")


def filter_terms(pattern: str) -> tuple[str, ...]:
    """The terms of an OR filter pattern such as `?ERROR ?"Task timed out"` (case-sensitive, as CloudWatch)."""
    return tuple(quoted or bare for quoted, bare in re.findall(r'\?"([^"]+)"|\?(\S+)', pattern))
