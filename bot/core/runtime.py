"""Which Lambda runtime wrote the function, from clues in the pasted text."""

from __future__ import annotations

import re

_CLUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("nodejs", re.compile(r"/var/task/\S+\.(?:m|c)?js\b|\bnode_modules/|\bat \S+ \((?:file://)?/var/(?:task|runtime)/|\bRuntime\.UnhandledPromiseRejection\b|\bCannot find module\b|\bnode(?:js)?\d{1,2}\.x\b|\bindex\.(?:m|c)?js\b|\bERR_REQUIRE_ESM\b")),
    ("python", re.compile(r"Traceback \(most recent call last\)|File \"/var/task/|\.py\b|\[Errno \d+\]|\bpython3\.\d+\b|\bNo module named\b")),
    ("java", re.compile(r"\bat (?:[a-z][\w$]*\.)+[A-Z][\w$]*\.[\w$<>]+\(\w+\.java:\d+\)|\bjava\.lang\.|\bjava\d{1,2}\b|\.jar\b")),
    ("go", re.compile(r"\bgoroutine \d+ \[|\.go:\d+\b|\bprovided\.al2(?:023)?\b|\bruntime error: invalid memory address\b")),
)


def detect_runtime(text: str) -> str | None:
    """'nodejs', 'python', 'java' or 'go' for the runtime with the earliest clue, else None."""
    best: tuple[int, str] | None = None
    sample = text[:200_000]
    for runtime, pattern in _CLUES:
        found = pattern.search(sample)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), runtime)
    return best[1] if best else None
