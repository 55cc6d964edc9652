"""Literal strings one of which every match of a signature holds: what the grep engine seeks.

    cover("method completed with status: ?502")
    # ('method completed with status: 502', 'method completed with status:502')

GNU grep reads about 25 MB/s given the widened signatures as regexes, and 200 MB/s and more
given mostly literal strings. So a signature with a strong cover is looked for by the strings
of its cover, and the matcher's own pattern then confirms each line they find (as it confirms
every candidate).

`cover` reads the regex with the stdlib's own parser and multiplies out the parts whose
language is finite and small (literals, small classes, `?`, alternatives of literals; `\\b`
and look-arounds are zero-width and do not interrupt a run), so a required string may span
several words and reach into an alternative: "status: 502", not just "status". Of every set of
required strings found, the one whose weakest string is strongest wins; a string's strength is
its length, with the words on many healthy log lines counting for little.
"""

from __future__ import annotations

import re

from bot.core.matching.prefilter import COMMON_LOG_WORDS
from bot.scan.patterns import GREP, raw_pattern, raw_patterns

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any

MAX_STRINGS = 64  # a finite language larger than this is treated as open
MAX_CLASS = 10  # a class of more characters is treated as open
STRONG = 7.0  # a cover whose weakest string is weaker than this is left to a regex engine
COMMON_WEIGHT = 0.2  # what a character of a common log word counts for
# Words on many lines of healthy API Gateway execution logs and Lambda logs, besides
# prefilter's list; and every word of one or two letters (hex ids are full of them).
_MORE_COMMON = frozenset(
    ["integration", "latency", "received", "customer", "transformations", "before", "after",
     "requestid", "headers", "header", "path", "query", "string", "content", "type", "code",
     "plan", "usage", "stage", "key", "api", "sending", "successfully", "starting", "verifying",
     "application", "json", "amazonaws", "https", "aws", "arn", "billed", "exception",
     "resource", "httpmethod", "statuscode", "latest", "extended", "functions", "invocations",
     "order", "orders", "processed", "throttle", "quota", "limits", "contribute", "require",
     "does", "will", "because", "get", "post", "put", "delete", "prod", "true", "false", "null",
     "message", "level", "timestamp", "accept", "host", "agent", "user", "proto", "forwarded",
     "connection", "alive", "keep", "date", "length", "uri", "source", "identity"]
)
_COMMON = COMMON_LOG_WORDS | _MORE_COMMON


def cover(pattern: str) -> tuple[str, ...] | None:
    """Strings of lower-cased normalised text, one of which is in every match of `pattern`
    (the strongest such set found); None if none is known."""
    import re._parser as sre_parse  # the stdlib's own parser: exactly what `re` understands

    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None  # (?i) folds `s` with `ſ`, `k` with the Kelvin sign: not plain bytes
    candidates = _covers(list(parsed))
    if not candidates:
        return None
    return max(candidates, key=lambda strings: (cover_strength(strings), -len(strings)))


def cover_strength(strings: tuple[str, ...]) -> float:
    """How unlikely the weakest of `strings` is on a healthy log line: its length, the
    characters of common words (judged whole) counting COMMON_WEIGHT each."""
    return min(map(_strength, strings)) if strings else 0.0


def is_strong(strings: tuple[str, ...] | None) -> bool:
    return bool(strings) and cover_strength(strings or ()) >= STRONG


def _strength(text: str) -> float:
    common = sum(
        len(word) for word in re.findall(r"[a-z]+", text) if len(word) <= 2 or word in _COMMON
    )
    return len(text) - (1 - COMMON_WEIGHT) * common


def grep_expressions(sources: list[str], literals: list[tuple[str, ...] | None]) -> list[str]:
    """What grep -E looks for, for these signatures: the strings of a strong cover, else the
    widened signature itself (bot.scan.patterns), each written for raw bytes."""
    weak = [at for at, source in enumerate(sources) if not is_strong(cover(source))]
    out = raw_patterns([sources[at] for at in weak], [literals[at] for at in weak], GREP)
    for source in sources:
        found = cover(source)
        if is_strong(found):
            out.extend(raw_pattern(re.escape(text), GREP) for text in found or ())
    return list(dict.fromkeys(out))


# -- reading the regex ---------------------------------------------------------------------------


def _covers(items: list[Any]) -> list[tuple[str, ...]]:
    """Sets of strings one of which every match of the sequence `items` holds."""
    found: list[tuple[str, ...]] = []
    run: set[str] = {""}

    def close() -> None:
        if "" not in run:
            found.append(tuple(sorted(run)))

    for op, value in items:
        language = _language(op, value)
        if language is not None:
            longer = {a + b for a in run for b in language}
            if len(longer) <= MAX_STRINGS:
                run = longer
                continue
            close()
            run = language if len(language) <= MAX_STRINGS else {""}
            continue
        close()
        run = {""}
        found.extend(_inner_covers(op, value))
    close()
    return found


def _inner_covers(op: Any, value: Any) -> list[tuple[str, ...]]:
    """Covers of an item whose language is open: of its inside, when every match holds it."""
    name = str(op)
    if name == "SUBPATTERN" and not value[1] & re.IGNORECASE:
        return _covers(list(value[3]))
    if name == "ATOMIC_GROUP":
        return _covers(list(value))
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and value[0] >= 1:
        return _covers(list(value[2]))
    if name == "BRANCH":
        union: list[str] = []
        for branch in value[1]:
            options: list[tuple[str, ...]] = _covers(list(branch))
            if not options:
                return []
            strongest: tuple[str, ...] = max(options, key=cover_strength)
            union.extend(strongest)
        return [tuple(dict.fromkeys(union))]
    return []


def _language(op: Any, value: Any) -> set[str] | None:
    """Every string the item matches in lower-cased text, when they are few; else None."""
    name = str(op)
    if name == "LITERAL":
        return {chr(value).lower()} if value != 10 else None  # grep reads line by line
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return {""}  # zero-width: the strings around it still meet
    if name in ("IN", "ANY", "NOT_LITERAL"):
        return _class(op, value)
    if name == "SUBPATTERN":
        return None if value[1] & re.IGNORECASE else _sequence_language(list(value[3]))
    if name == "ATOMIC_GROUP":
        return _sequence_language(list(value))
    if name == "BRANCH":
        union: set[str] = set()
        for branch in value[1]:
            inner = _sequence_language(list(branch))
            if inner is None:
                return None
            union |= inner
        return union if len(union) <= MAX_STRINGS else None
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, inner_items = value
        if high > 3:
            return None
        inner = _sequence_language(list(inner_items))
        if inner is None:
            return None
        union, power = ({""} if low == 0 else set()), {""}
        for count in range(1, high + 1):
            power = {a + b for a in power for b in inner}
            if len(power) > MAX_STRINGS:
                return None
            if count >= low:
                union |= power
        return union if len(union) <= MAX_STRINGS else None
    return None  # back-references, conditionals


def _sequence_language(items: list[Any]) -> set[str] | None:
    strings = {""}
    for op, value in items:
        language = _language(op, value)
        if language is None:
            return None
        strings = {a + b for a in strings for b in language}
        if len(strings) > MAX_STRINGS:
            return None
    return strings


def _class(op: Any, value: Any) -> set[str] | None:
    """The characters a class matches in lower-cased text, when few and all ASCII."""
    if str(op) != "IN":
        return None  # `.` and [^x] match almost anything
    chars: set[str] = set()
    for kind, item in value:
        kind = str(kind)
        if kind == "LITERAL" and item < 128:
            chars.add(chr(item))
        elif kind == "RANGE" and item[1] < 128 and item[1] - item[0] < MAX_CLASS:
            chars.update(chr(code) for code in range(item[0], item[1] + 1))
        else:
            return None  # \\d, \\s, \\w (Unicode in str patterns), negation, non-ASCII
    if "\n" in chars:
        return None  # a string of the cover lies within a line
    chars = {char for char in chars if char.lower() == char}  # upper case: never in lowered text
    return chars if 0 < len(chars) <= MAX_CLASS else None
