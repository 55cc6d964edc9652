"""What a scan of a big log looks for: the matcher's signatures, and how to confirm a line.

An engine (Hyperscan, grep, Python) only proposes candidate lines, with patterns widened so
that they can never miss one (bot.scan.patterns). `Target.confirms` then decides, with the
matcher's own pattern on the normalised line, exactly as `Matcher.diagnose` would.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.matching.normalize import normalize
from bot.core.record import Record

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from bot.core.matching.matcher import Matcher



class Target(Record):
    """One signature of one entry, as the matcher tests it."""

    number: int  # its place in the plan: the id engines report it by
    entry_id: str
    name: str
    literal: str | None  # lower-cased literal; else `pattern` is set
    pattern: str | None  # Python regex for lower-cased text, matched per line
    literals: tuple[str, ...] | None  # one of these is in every match (None: unknown)
    unless: str | None  # a line this matches (case-insensitively) does not count

    @property
    def source(self) -> str:
        """The target as a Python pattern for lower-cased text."""
        return self.pattern if self.pattern is not None else re.escape(self.literal or "")

    def confirms(self, line: str, lowered: str) -> bool:
        """True when the matcher would count this signature on `line` (normalised; it may hold
        several lines, e.g. a JSON record and its fields), `lowered` being line.lower()."""
        if self.literals is not None and not any(literal in lowered for literal in self.literals):
            return False
        if self.literal is not None:
            starts = _occurrences(lowered, self.literal)
        else:
            starts = (m.start() for m in _compiled(self.source, re.MULTILINE).finditer(lowered))
        for start in starts:
            if self.unless is None:
                return True
            begin = line.rfind("\n", 0, start) + 1
            end = line.find("\n", start)
            if not _compiled(self.unless, re.IGNORECASE).search(
                line[begin : end if end >= 0 else len(line)]
            ):
                return True
        return False


@lru_cache(maxsize=1024)
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _occurrences(text: str, literal: str):
    position = text.find(literal)
    while position >= 0:
        yield position
        position = text.find(literal, position + len(literal))


class ScanPlan(Record):
    targets: tuple[Target, ...]
    quote_markers: tuple[str, ...]  # lines that may quote a Lambda response (lower-case)
    key: str  # a digest of everything that shapes the engines' databases: their cache key


def _plan_key(targets: tuple[Target, ...]) -> str:
    from bot.core.kb.cache import hasher
    from bot.scan import patterns  # how the patterns are widened is part of it

    digest = hasher()
    with open(patterns.__file__, "rb") as handle:
        digest.update(handle.read())
    for target in targets:
        digest.update(b"\0" + target.source.encode("utf-8"))
    return digest.hexdigest()[:24]


def plan_for(matcher: Matcher) -> ScanPlan:
    targets = tuple(
        Target(
            number=index,
            entry_id=found.entry_id,
            name=found.signature.name,
            literal=found.literal,
            pattern=found.pattern,
            literals=found.literals,
            unless=found.signature.unless or None,
        )
        for index, found in enumerate(matcher.scan_signatures())
    )
    return ScanPlan(targets=targets, quote_markers=matcher.quote_markers(), key=_plan_key(targets))


def normalised_line(raw: bytes) -> tuple[str, str]:
    """A raw line as the matcher sees it after reading and normalising: (text, lower-cased)."""
    text = normalize(raw.decode("utf-8", "replace").replace("\x00", "").removesuffix("\r"))
    return text, text.lower()
