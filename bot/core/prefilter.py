"""Required literals of a regex: the cheap test that lets big logs skip most regexes.

`str.find` scans gigabytes a second; a regex starting with `\\b` or a group cannot use `re`'s
literal-prefix scan and crawls through a 20 MB log. So each signature regex is paired with
literal strings of which at least one must occur wherever the regex matches; the regex then
runs only on the lines where one does.
"""

from __future__ import annotations

from typing import Any

MIN_LITERAL = 3


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Strings, one of which occurs in every match of `pattern`; None when none can be derived."""
    import re._parser as sre_parse  # the stdlib's own parser; imported only when compiling

    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - a pattern that does not parse is reported by kb validate
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
