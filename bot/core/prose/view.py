"""What part of a text the prose layer reads, the same at training and at scoring time."""

from __future__ import annotations

from bot.core.normalize import normalize
from bot.core.prose.tokens import MAX_CHARS


def prose_view(text: str, *, normalised: bool = False) -> str:
    """The normalised text, its start and its end when it is long (where people write words)."""
    if not normalised:
        text = normalize(text[: 4 * MAX_CHARS])
    if len(text) <= MAX_CHARS:
        return text
    half = MAX_CHARS // 2
    return text[:half] + "\n" + text[-half:]
