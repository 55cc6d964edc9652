"""Redaction of secrets in text we show back: evidence lines, details, findings, replies, logs.

Applied to every string that came from a user or from AWS before it leaves the process. The
shapes are data (bot.core.secret_rules, after gitleaks' and detect-secrets' rules); each runs
in time linear in the text, and only when one of its keywords is in the text, so redacting a
line costs about one pass over it per rule that could match.

Redact whole lines, then cut them: a window that starts inside a secret would show the value
without the name that gives it away.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from functools import cache

from bot.core.lazy_re import compile_cached
from bot.core.secret_rules import RULES, SecretRule

MARKER_PREFIX = "[REDACTED"


def redact(text: str) -> str:
    """`text` with every secret shape of bot.core.secret_rules replaced by its marker."""
    if not text:
        return text
    lowered = text.lower()  # keywords are looked for once, in the text as it came
    woken = set(_ALWAYS)
    for keyword, rules in _RULES_BY_KEYWORD:
        if keyword in lowered:
            woken.update(rules)
    for index in sorted(woken):  # in the rules' order, as each rewrites the text for the next
        text = _compiled(index).sub(_replacer(index), text)
    return text


def _by_keyword() -> tuple[tuple[str, tuple[int, ...]], ...]:
    rules: dict[str, list[int]] = {}
    for index, rule in enumerate(RULES):
        for keyword in rule.keywords:
            rules.setdefault(keyword, []).append(index)
    return tuple((keyword, tuple(indexes)) for keyword, indexes in rules.items())


# Each keyword once, with the rules it wakes (86 keywords, 39 rules): one test per keyword.
_RULES_BY_KEYWORD = _by_keyword()
_ALWAYS = tuple(index for index, rule in enumerate(RULES) if not rule.keywords)


@cache
def _compiled(index: int) -> re.Pattern[str]:
    """Rules are compiled when first needed: most texts wake only a few of them."""
    return compile_cached(RULES[index].pattern)


@cache
def _replacer(index: int) -> Callable[[re.Match[str]], str]:
    rule = RULES[index]
    named = "secret" in _compiled(index).groupindex

    def replace(match: re.Match[str]) -> str:
        whole = match.group(0)
        if not named:
            return rule.marker if _looks_secret(rule, whole) else whole
        start, end = match.span("secret")
        if start < 0 or not _looks_secret(rule, match.group("secret")):
            return whole
        offset = match.start()
        return whole[: start - offset] + rule.marker + whole[end - offset :]

    return replace


def _looks_secret(rule: SecretRule, value: str) -> bool:
    if rule.mixed and not (any(c.isupper() for c in value) and any(c.islower() for c in value)
                           and any(c.isdigit() for c in value)):
        return False
    return not rule.entropy or shannon_entropy(value) >= rule.entropy


def shannon_entropy(value: str) -> float:
    """Bits per character, as gitleaks computes it for its `entropy` thresholds."""
    if not value:
        return 0.0
    size = len(value)
    return -sum(count / size * math.log2(count / size) for count in Counter(value).values())
