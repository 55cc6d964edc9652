"""What part of a text the prose layer reads, the same at training and at scoring time."""

from __future__ import annotations

from bot.core.matching.normalize import normalize
from bot.core.prose.tokens import MAX_CHARS


def prose_view(text: str, *, normalised: bool = False) -> str:
    """The normalised text, or its start when it is long: where people write their words."""
    if not normalised:
        text = normalize(text[: 2 * MAX_CHARS])
    if len(text) <= MAX_CHARS:
        return text
    return text[: text.rfind("\n", 0, MAX_CHARS) + 1 or MAX_CHARS]
