"""`lazy_compile`: re.compile's pattern, compiled the first time it is used.

A diagnosis used about half of the core's module-level patterns (the sample log 27 of 51, a
sentence 15 of 29), and compiling one costs 0.05-0.7 ms: together they were milliseconds of
`badgateway diagnose`'s start-up spent on patterns it never ran.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any

# What callers use of a pattern: copied onto the stand-in once compiled, so later calls are one
# attribute lookup, as on a compiled pattern.
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class _LazyPattern:
    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name: str) -> Any:  # only for names not set yet: the first use
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.groups, self.groupindex = compiled.groups, compiled.groupindex
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r}, {self.flags!r})"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A stand-in for re.compile(pattern, flags) that compiles on first use."""
    return _LazyPattern(pattern, flags)  # type: ignore[return-value]
