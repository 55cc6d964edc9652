"""`lazy_compile`: re.compile's pattern, compiled the first time it is used.

One diagnosis used about half of the patterns the core compiled (the sample log 27 of 51, a
sentence 15 of 29), and compiling one costs 0.05-0.7 ms: milliseconds of `badgateway
diagnose`'s start-up went to patterns it never ran.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any

# Copied onto the stand-in once compiled, so later uses are one attribute lookup, as on a
# compiled pattern.
_COPIED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
           "pattern", "flags", "groups", "groupindex")


class _LazyPattern:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only for names not set yet: the first use
        if name.startswith("__"):  # copy, pickle and hasattr probes: not a use
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for attribute in _COPIED:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile{self._source!r}"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A stand-in for re.compile(pattern, flags) that compiles on first use."""
    return _LazyPattern(pattern, flags)  # type: ignore[return-value]
