"""Server-side filters: which log lines are worth reading at all.

Logs Insights gets one case-insensitive regular expression made from the knowledge base's own
signatures (one word each that every line the signature matches holds: a superset of those
lines), so that a new entry is searched for the moment it exists. The matcher reads what comes back, as
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
MIN_WORD = 6  # a shorter word ("api", "http") is on too many healthy lines to filter by
# Regexes Insights reads as Python does: no look-arounds, named groups or back-references.
_PORTABLE = re.compile(r"(?:[^\\(]|\\[^1-9]|\((?!\?[<P=!]))*")
_GAPS = re.compile(r"[\s\"'\\`/<>&]+")  # where an export or an escape may write the text otherwise
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
    """`(?i)(word|word|...)`, ready to sit between the slashes of `like /.../`.

    One word of every signature the matcher tests (and of the markers of a quoted response),
    chosen by bot.core.matching.prefilter.raw_word so that no JSON or HTML escape can hide the line: a
    superset of the lines `diagnose` can recognise, which the matcher then reads.
    """
    from bot.core.matching.matcher import get_matcher
    from bot.core.matching.prefilter import raw_word

    matcher = get_matcher()
    parts: list[str] = []
    for signature in matcher.scan_signatures():
        if signature.literal is not None:
            parts.append(_server_side(signature.literal, raw_word(signature.literal)))
            continue
        words = [(text, raw_word(text)) for text in signature.literals or ()]
        if signature.pattern and not all(_rare(word) for _, word in words) and _PORTABLE.fullmatch(signature.pattern):
            parts.append(signature.pattern.replace("/", r"\/"))  # its own regex, not a common word of it
        else:
            parts += [_server_side(text, word) for text, word in words]
    parts += [_server_side(marker, raw_word(marker)) for marker in matcher.quote_markers()]
    parts += list(_EXTRA_PATTERNS)
    return "(?i)(" + "|".join(sorted(dict.fromkeys(parts))) + ")"


def insights_query(limit: int = INSIGHTS_LIMIT) -> str:
    return (f"fields @timestamp, @message, @log | filter @message like /{insights_regex()}/ "
            f"| sort @timestamp desc | limit {limit}")


def _server_side(text: str, word: str | None) -> str:
    """A rare enough word of `text`, else the whole phrase with room for any escape between its words."""
    if _rare(word):
        return _escaped(str(word))
    pieces = [piece for piece in _GAPS.split(text) if piece]
    return ".{1,12}".join(_escaped(piece) for piece in pieces) or _escaped(text)


def _rare(word: str | None) -> bool:
    from bot.core.matching.prefilter import COMMON_LOG_WORDS

    return bool(word) and len(str(word)) >= MIN_WORD and str(word).strip(":;,.").lower() not in COMMON_LOG_WORDS


def _escaped(word: str) -> str:
    return _INSIGHTS_SPECIAL.sub(r"\\\1", word)


def filter_terms(pattern: str) -> tuple[str, ...]:
    """The terms of an OR filter pattern such as `?ERROR ?"Task timed out"` (case-sensitive, as CloudWatch)."""
    return tuple(quoted or bare for quoted, bare in re.findall(r'\?"([^"]+)"|\?(\S+)', pattern))
