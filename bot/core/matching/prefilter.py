"""Required literals of a regex: the cheap test that lets big logs skip most regexes.

`str.find` scans gigabytes a second; a regex starting with `\\b` or a group cannot use `re`'s
literal-prefix scan and crawls through a 20 MB log. So each signature regex is paired with
literal strings of which at least one must occur wherever the regex matches; the regex then
runs only on the lines where one does.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any

MIN_LITERAL = 3
# The memo's name carries the version of required_literals' rules: change it with them.
MEMO = "regex-literals-1"


def literals_of_patterns(patterns: list[str]) -> dict[str, tuple[str, ...] | None]:
    """required_literals of each pattern, remembered on disk across runs.

    Parsing regexes costs milliseconds on every start; the answer depends on the pattern text
    alone, so a memo keyed by the pattern can never go stale.
    """
    from bot.core.kb import cache

    memo = cache.read(MEMO, key=1)
    if not isinstance(memo, dict):
        memo = {}
    result: dict[str, tuple[str, ...] | None] = {}
    fresh = False
    for pattern in patterns:
        if pattern in memo:
            known = memo[pattern]
            result[pattern] = tuple(known) if isinstance(known, list) else None
        else:
            result[pattern] = required_literals(pattern)
            fresh = True
    if fresh:
        stored = {p: list(found) if found is not None else None for p, found in result.items()}
        cache.write(MEMO, 1, stored)
    return result


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Strings, one of which occurs in every match of `pattern`; None when none can be derived."""
    import re._parser as sre_parse  # the stdlib's own parser; imported only when compiling

    try:
        parsed = sre_parse.parse(pattern)
    except Exception:
        return None
    return _sequence_literals(list(parsed))


def _sequence_literals(items: list[Any]) -> tuple[str, ...] | None:
    best_run = ""
    run: list[str] = []
    groups: list[tuple[str, ...]] = []
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(value))
            continue
        best_run = max(best_run, "".join(run), key=len)
        run = []
        if name == "SUBPATTERN":
            inner = _sequence_literals(list(value[-1]))
            if inner:
                groups.append(inner)
        elif name == "BRANCH":
            inner = _branch_literals(value[1])
            if inner:
                groups.append(inner)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and value[0] >= 1:
            inner = _sequence_literals(list(value[2]))
            if inner:
                groups.append(inner)
    best_run = max(best_run, "".join(run), key=len)
    if len(best_run) >= 4:
        return (best_run,)
    usable = [g for g in groups if all(len(s) >= MIN_LITERAL for s in g)]
    if usable:
        return min(usable, key=len)  # fewest alternatives: fewest scans
    if len(best_run) >= MIN_LITERAL:
        return (best_run,)
    return None


def _branch_literals(branches: list[Any]) -> tuple[str, ...] | None:
    found: list[str] = []
    for branch in branches:
        inner = _sequence_literals(list(branch))
        if not inner:
            return None
        found.extend(inner)
    return tuple(dict.fromkeys(found))


def raw_word(text: str) -> str | None:
    """The piece of `text` least likely to be on a healthy log line, such that every raw line
    whose normalised form holds `text` holds the piece too (None: no usable piece).

    Split at white space and at every character a JSON export or an HTML escape may write
    differently (quotes, backslashes, `/`, `<`, `>`, `&`), so no escape can hide a line.
    """
    import re

    parts = [p for p in re.split(r"[\s\"'\\`/<>&]+", text) if p.isascii() and len(p) >= MIN_LITERAL]
    if not parts:
        return None
    return max(parts, key=lambda p: (p.strip(":;,.") not in COMMON_LOG_WORDS, len(p)))


# Words on most lines of a healthy Lambda or API Gateway log; a poor choice of prefilter word.
COMMON_LOG_WORDS = frozenset(
    ["request", "requestid", "version", "status", "memory", "function", "lambda", "error", "body", "gateway", "completed", "execution", "endpoint", "internal", "invoke", "missing", "state", "found", "handler", "module", "cannot", "unable", "invalid", "package", "runtime", "operation", "invocation", "configuration", "executing", "environment", "permission", "permissions", "statement", "currently", "following", "appropriate", "authorized", "duration", "billed", "size", "used", "max", "init", "start", "end", "report", "info", "debug", "warn", "method", "http", "response", "the", "with", "from", "for", "and", "this", "that", "was", "are", "not", "has", "have"]
)
