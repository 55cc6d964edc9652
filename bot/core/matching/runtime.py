"""Which Lambda runtime wrote the function, from clues in the pasted text.

Each clue has a weight; the runtime with the highest total wins, and a tie is no evidence.
Only the first SAMPLE_LIMIT characters are read: on big logs the matcher passes the text around
its evidence instead, because these patterns crawl through megabytes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.lazy_re import compile_cached

SAMPLE_LIMIT = 64 * 1024

# (pattern, weight, literals one of which every match holds): a pattern runs only when the
# lower-cased text holds one of its literals, so a typical paste runs two or three of them; it
# is compiled then too (and kept), not at import: compiling all 27 cost milliseconds a start.
_Clue = tuple[str, int, tuple[str, ...]]
_RUNTIME_CLUES: dict[str, tuple[_Clue, ...]] = {
    "nodejs": (
        (r"\bnodejs\d+\.x\b", 5, ("nodejs",)),
        (r"/var/task/[\w./-]*\.(?:m|c)?js\b", 4, ("/var/task/",)),
        (
            r"\bat [\w$.<>\[\] ]{1,120} \((?:file://)?[^()\s]{1,300}\.(?:m|c)?js:\d+:\d+\)",
            4,
            ("js:",),
        ),
        (r"\bnode_modules/", 3, ("node_modules/",)),
        (r"\.mjs\b", 3, (".mjs",)),
        (r"\b(?:index|app|handler|server|lambda)\.(?:m|c)?js\b", 2, ("js",)),
        (
            r"Runtime\.UnhandledPromiseRejection|is undefined or not exported|ERR_REQUIRE_ESM",
            3,
            ("unhandledpromiserejection", "not exported", "err_require_esm"),
        ),
        (r"Cannot find module '", 2, ("cannot find module",)),
        (r"\bprocess\.processTicksAndRejections\b", 3, ("processticksandrejections",)),
    ),
    "python": (
        (r"\bpython3\.\d+\b", 5, ("python3.",)),
        (r"Traceback \(most recent call last\)", 4, ("traceback",)),
        (r"File \\?\"[^\"\n]{1,300}\.py\\?\", line \d+", 4, (".py",)),
        (r"\blambda_function\.py\b|/var/task/[\w./-]*\.py\b", 4, (".py",)),
        (r"\b\w+\.py\b", 2, (".py",)),
        (
            r"Unable to import module|No module named|missing on module|Runtime\.UserCodeSyntaxError",
            3,
            ("import module", "no module named", "missing on module", "usercodesyntaxerror"),
        ),
        (r"\[Errno \d+\]", 2, ("[errno",)),
    ),
    "java": (
        (r"\bjava(?:8|11|17|21)(?:\.al2)?\b", 5, ("java",)),
        (r"\bat [\w$.]{1,300}\([\w$]{1,100}\.java:\d+\)", 5, (".java:",)),
        (r"\b[\w$]+\.java:\d+\b", 3, (".java:",)),
        (r"\bjava\.lang\.\w+|\bcom\.amazonaws\.services\.lambda\b", 3,
         ("java.lang.", "com.amazonaws.services.lambda")),
        (r"(?m)Exception in thread \"|^Caused by: [\w.$]+", 2,
         ("exception in thread", "caused by: ")),
    ),
    "go": (
        (r"\bgo1\.x\b|github\.com/aws/aws-lambda-go", 5, ("go1.x", "aws-lambda-go")),
        (r"goroutine \d+ \[\w+", 5, ("goroutine",)),
        (r"\b[\w-]+\.go:\d+\b", 4, (".go:",)),
        (r"(?m)^panic: ", 3, ("panic: ",)),
        (r"runtime error: (?:invalid memory address|index out of range)", 3, ("runtime error: ",)),
        (r"\bfork/exec /var/task/", 2, ("fork/exec",)),
    ),
}


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return compile_cached(pattern)


def detect_runtime(text: str) -> str | None:
    """ "nodejs" / "python" / "java" / "go" when the text shows which runtime wrote the function."""
    if not text:
        return None
    sample = text[:SAMPLE_LIMIT]
    lowered = sample.lower()
    scores: dict[str, int] = {}
    for runtime, clues in _RUNTIME_CLUES.items():
        score = sum(
            weight
            for pattern, weight, literals in clues
            if any(literal in lowered for literal in literals) and _compiled(pattern).search(sample)
        )
        if score:
            scores[runtime] = score
    if not scores:
        return None
    best = max(scores.values())
    leaders = [r for r, s in scores.items() if s == best]
    return leaders[0] if len(leaders) == 1 else None  # a tie is no evidence either way
