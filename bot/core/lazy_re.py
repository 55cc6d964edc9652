"""Patterns for the start-up path: compiled from remembered code, and compiled on first use.

`compile_cached(pattern, flags)` is re.compile's pattern. Parsing and compiling a pattern costs
0.05-0.7 ms, and `badgateway diagnose` compiled 30-odd at every start (6-7 ms of about 40 in
process), the same ones each time. What `re` makes of a pattern is a list of opcodes that
`_sre.compile` turns into the pattern object; that list depends on the pattern, its flags and the
interpreter only, so it is remembered in the user's cache (bot.core.kb.cache, one copy per Python
version, keyed by the `_sre` engine's MAGIC as well) and the next start hands it straight to
`_sre.compile`, which validates the code before use. Anything unexpected (another interpreter, a
damaged copy) falls back to re.compile.

`lazy_compile(pattern, flags)` is a stand-in that compiles the first time it is used: one
diagnosis used about half of the patterns the core defines (the sample log 27 of 51, a sentence
15 of 29).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any

MEMO = "regex-code-2"
MAX_REMEMBERED = 4000  # patterns; more means the knowledge changed often: start the memo anew

# (pattern, flags) -> the arguments of _sre.compile after the pattern, marshalled: a memo of
# hundreds of patterns loads in a tenth of a millisecond, and a start unpacks only those it uses.
_remembered: dict[tuple[str, int], bytes] | None = None
_learnt: dict[tuple[str, int], bytes] = {}


def compile_cached(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile(pattern, flags), from the remembered code when this interpreter has it."""
    global _remembered
    if _remembered is None:
        _remembered = _read_memo()
    key = (pattern, int(flags))
    packed = _remembered.get(key) or _learnt.get(key)
    if packed is not None:
        try:
            return _sre().compile(pattern, *_unpack(packed))  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - a damaged or foreign copy: compile as re does
            _remembered.pop(key, None)
    compiled, parts = _compile_and_keep_code(pattern, int(flags))
    if parts is not None:
        if not _learnt:
            import atexit

            atexit.register(save)
        _learnt[key] = _pack(parts)
    return compiled


def _pack(parts: tuple[Any, ...]) -> bytes:
    import marshal

    return marshal.dumps(parts)


def _unpack(packed: bytes) -> tuple[Any, ...]:
    import marshal

    final_flags, code, groups, groupindex, indexgroup = marshal.loads(packed)
    return final_flags, code, groups, groupindex, tuple(indexgroup)


def save() -> None:
    """Add what this process compiled to the memo (at exit, once; the memo is a cache)."""
    from bot.core.kb import cache

    if not _learnt:
        return
    merged = {**(_remembered or {}), **_learnt} if len(_remembered or ()) < MAX_REMEMBERED else dict(_learnt)
    _learnt.clear()
    cache.write(MEMO, _engine_key(), [[pattern, flags, packed] for (pattern, flags), packed in merged.items()])


def _read_memo() -> dict[tuple[str, int], bytes]:
    from bot.core.kb import cache

    key = _engine_key()
    if key is None:
        return {}
    stored = cache.read(MEMO, key)
    if not isinstance(stored, list):
        return {}
    memo = {}
    for row in stored:
        try:
            pattern, flags, packed = row
        except (TypeError, ValueError):
            return {}
        if isinstance(pattern, str) and isinstance(flags, int) and isinstance(packed, bytes):
            memo[(pattern, flags)] = packed
    return memo


def _engine_key() -> list[Any] | None:
    import sys

    if sys.implementation.name != "cpython":
        return None
    engine = _sre()
    return [sys.hexversion, engine.MAGIC, engine.CODESIZE]


def _sre():  # type: ignore[no-untyped-def]
    import _sre

    return _sre


def _compile_and_keep_code(pattern: str, flags: int) -> tuple[re.Pattern[str], tuple[Any, ...] | None]:
    """re.compile's result, and the arguments of `_sre.compile` that made it (as re._compiler
    makes them), or None when this interpreter's `re` does not work that way."""
    try:
        from re import _compiler, _parser

        parsed = _parser.parse(pattern, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses
        state = parsed.state
        indexgroup: list[str | None] = [None] * state.groups
        for name, index in state.groupdict.items():
            indexgroup[index] = name
        parts = (flags | state.flags, code, state.groups - 1, dict(state.groupdict), tuple(indexgroup))
        compiled = _sre().compile(pattern, *parts)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - not CPython's layout: no memo, re.compile as always
        return re.compile(pattern, flags), None
    if _engine_key() is None or compiled.flags != re.compile(pattern, flags).flags:
        return re.compile(pattern, flags), None
    return compiled, parts


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
        compiled = compile_cached(*self._source)
        for attribute in _COPIED:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile{self._source!r}"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A stand-in for re.compile(pattern, flags) that compiles on first use."""
    return _LazyPattern(pattern, flags)  # type: ignore[return-value]
