"""A signature as a pattern for raw log bytes: every line it can match, and a few more.

The matcher reads text after `normalize` (tabs as spaces, `&lt;` unescaped, JSON strings
decoded, lower-cased); the scanner reads the raw bytes of each line. So each character of a
signature is widened to every raw form it can take there:
- a space is also a tab or a JSON `\\t`; a quote, `<`, `>`, `&`, `/` or `\\` is also its JSON
  or HTML escape; a character that can be non-ASCII is also 1-4 bytes of UTF-8 (or a
  replaced bad byte);
- what a finite automaton cannot do is widened away: `\\b`, `^`, `$` and look-arounds are
  dropped, a back-reference repeats its group's pattern, a bounded repeat loses its bound.

The result is a superset: the scanner confirms every candidate line with the matcher's own
patterns on the normalised line (bot.scan.selection). Two flavours are written: Hyperscan's
(PCRE syntax over bytes) and GNU grep -E's (POSIX ERE, raw bytes, in the C locale).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any

HYPERSCAN = "hyperscan"
GREP = "grep"

# Raw forms of characters that normalize() or a JSON export may write differently.
_ESCAPED_FORMS = {
    " ": ("\t", "\\t"),
    '"': ('\\"', "\\u0022"),
    "'": ("\\u0027",),
    "<": ("&lt;", "\\u003c"),
    ">": ("&gt;", "\\u003e"),
    "&": ("&amp;", "\\u0026"),
    "/": ("\\/",),
    "\\": ("\\\\",),
}
# Non-ASCII characters one pattern item can match are probed with these.
_NON_ASCII_PROBES = "é\u00a0\u0663\u2028\u212a\ufffd中ſ\x85"


EQUAL_RUN_LENGTH = 6  # see _Writer._equal_runs


class Untranslatable(ValueError):
    """A pattern with a construct the scanner cannot widen (it is then not scanned for)."""


def raw_pattern(pattern: str, flavour: str) -> str:
    """`pattern` (Python syntax, for lower-cased normalised text) widened for raw bytes.

    Matched case-insensitively (Hyperscan's caseless flag, grep -i) and never across lines.
    """
    import re._parser as sre_parse  # the stdlib's own parser: exactly what `re` understands

    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise Untranslatable(f"{pattern!r}: {exc}") from None
    writer = _Writer(flavour, {})
    return writer.sequence(list(parsed))


class _Writer:
    def __init__(self, flavour: str, groups: dict[int, str]) -> None:
        self.flavour = flavour
        self.groups = groups  # group number -> its translation, for back-references

    def group(self, inner: str) -> str:
        return f"(?:{inner})" if self.flavour == HYPERSCAN else f"({inner})"

    def sequence(self, items: list[Any]) -> str:
        for at, (op, value) in enumerate(items):
            if str(op) != "SUBPATTERN" or value[0] is None:
                continue
            run = self._run_of_few(value[3])
            ref = next((k for k in range(at + 1, len(items)) if str(items[k][0]) == "GROUPREF"
                        and items[k][1] == value[0]), None)
            if run is not None and ref is not None:
                self.groups[value[0]] = self.group(self.sequence(list(value[3])))
                return (self.sequence(items[:at]) + self._equal_runs(*run, items[at + 1 : ref])
                        + self.sequence(items[ref + 1 :]))
        return "".join(self.item(op, value) for op, value in items)

    def _run_of_few(self, inner: Any) -> tuple[set[int], int, int] | None:
        """(the bytes, min, max) when a group is a run of a few plain characters, like `(\\d+)`."""
        if len(inner) != 1 or str(inner[0][0]) not in ("MAX_REPEAT", "POSSESSIVE_REPEAT"):
            return None
        low, high, body = inner[0][1]
        if low < 1 or len(body) != 1 or str(body[0][0]) not in ("IN", "LITERAL"):
            return None
        codes, escapable, non_ascii = _ascii_set(*body[0])
        if escapable or non_ascii or not 1 <= len({chr(c).lower() for c in codes}) <= 16:
            return None
        return codes, low, high

    def _equal_runs(self, codes: set[int], low: int, high: int, middle: list[Any]) -> str:
        """`(run) middle \\1` widened only as far as: both runs start alike and are as long
        (up to EQUAL_RUN_LENGTH), which a few-character back-reference allows."""
        between = self.sequence(middle)
        every = self.byte_class(codes)
        branches = []
        for first in sorted({chr(c).lower() for c in codes}):
            start = self.byte_class({c for c in codes if chr(c).lower() == first})
            for length in range(low, EQUAL_RUN_LENGTH + 1):
                if length > high:
                    break
                if length < EQUAL_RUN_LENGTH:
                    run = start + (f"{every}{{{length - 1}}}" if length > 1 else "")
                else:
                    run = f"{start}{every}{{{length - 1},}}"
                branches.append(run + between + run)
        return self.group("|".join(branches))

    def item(self, op: Any, value: Any) -> str:
        name = str(op)
        if name == "LITERAL":
            return self.literal(chr(value))
        if name in ("NOT_LITERAL", "ANY", "IN"):
            return self.single(op, value)
        if name == "BRANCH":
            return self.group("|".join(self.sequence(list(branch)) for branch in value[1]))
        if name == "SUBPATTERN":
            number, add_flags, _, inner = value
            if add_flags & ~(re.IGNORECASE | re.UNICODE):
                raise Untranslatable("inline flags other than (?i)")
            text = self.group(self.sequence(list(inner)))
            if number is not None:
                self.groups[number] = text
            return text
        if name == "ATOMIC_GROUP":
            return self.group(self.sequence(list(value)))
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, inner = value
            closed = self._closed_class(list(inner)) if high != 1 else None
            body = closed if closed is not None else self.group(self.sequence(list(inner)))
            if high == 1:
                return body if low == 1 else f"{body}?"
            # No upper bound: a decoded character may be several raw ones (`\\u00e9`).
            return f"{body}*" if low == 0 else (f"{body}+" if low == 1 else f"{body}{{{low},}}")
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            return ""  # anchors, \b and look-arounds: dropped, which only widens
        if name == "GROUPREF":
            if value not in self.groups:
                raise Untranslatable("a back-reference to an unknown group")
            return self.groups[value]
        if name == "GROUPREF_EXISTS":
            _, yes, no = value
            return self.group(self.sequence(list(yes)) + "|" + (self.sequence(list(no)) if no else ""))
        raise Untranslatable(f"unsupported construct {name}")

    def _closed_class(self, items: list[Any]) -> str | None:
        """A repeated character item as one byte class, when its every raw form is made of the
        bytes its one-byte forms are: then (forms)* is exactly [bytes]*. `[^\\n]{0,300}` widens
        to a star of 17 alternatives (`\\t`, `\\"`, `&lt;`, 1-4 bytes of UTF-8...), all of
        them plain bytes it also matches alone: as one class, the whole database scans a REST log in
        16% less time for that one signature."""
        if len(items) != 1 or str(items[0][0]) not in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            return None
        op, value = items[0]
        if str(op) == "LITERAL":
            char = chr(value)
            if char == "\n":
                return None  # refused where it is written
            if not char.isascii():
                singles, longer = set(range(128, 256)), []
            else:
                singles = {9, 32} if char == " " else {value}
                longer = [form for form in _ESCAPED_FORMS.get(char, ()) if len(form) > 1 or char == " "]
        else:
            codes, escapable, non_ascii = _ascii_set(op, value)
            singles = set(codes) | (set(range(128, 256)) if non_ascii else set())
            longer = [form for char in escapable for form in _ESCAPED_FORMS[char]]
        folded = {chr(code).lower() for code in singles}  # matched case-insensitively
        if not singles or any(char.lower() not in folded for form in longer for char in form):
            return None
        return self.byte_class(singles)

    def literal(self, char: str) -> str:
        if char == "\n":
            raise Untranslatable("a signature spanning lines")
        if not char.isascii():
            return self.non_ascii()
        forms = [self.byte(ord(char))] + [
            "".join(self.byte(ord(c)) for c in form) for form in _ESCAPED_FORMS.get(char, ())
        ]
        if char == " ":
            forms[:2] = [self.byte_class({9, 32})]
        return forms[0] if len(forms) == 1 else self.group("|".join(forms))

    def single(self, op: Any, value: Any) -> str:
        """One character matched by a class, `.` or [^x]: its ASCII bytes, escapes, UTF-8."""
        ascii_bytes, escapable, non_ascii = _ascii_set(op, value)
        forms = [self.byte_class(ascii_bytes)] if ascii_bytes else []
        for char in escapable:
            forms += ["".join(self.byte(ord(c)) for c in form) for form in _ESCAPED_FORMS[char]]
        if non_ascii:
            forms.append(self.non_ascii())
        if not forms:
            raise Untranslatable("a class that matches nothing")
        return forms[0] if len(forms) == 1 else self.group("|".join(forms))

    def non_ascii(self) -> str:
        """One non-ASCII character: 1-4 bytes of UTF-8, or a bad byte read as U+FFFD."""
        return self.byte_class(set(range(128, 256))) + "{1,4}"

    def byte(self, code: int) -> str:
        char = chr(code)
        if char.isalnum() and code < 128:
            return char
        if self.flavour == HYPERSCAN:
            return f"\\x{code:02x}"
        if char in ".[]()*+?{}|^$\\":
            return "\\" + char
        return char  # grep reads the pattern file as bytes (C locale)

    def byte_class(self, codes: set[int]) -> str:
        if len(codes) == 1:
            return self.byte(next(iter(codes)))
        if self.flavour == HYPERSCAN:
            return "[" + "".join(_ranges(codes, lambda c: f"\\x{c:02x}")) + "]"
        # POSIX brackets have no escapes: ']' goes first, '-' last, '^' not first.
        inner = sorted(codes - {ord("]"), ord("-"), ord("^")})
        # `grep -i` folds a range's ends: "_-z" becomes "_-Z", which it refuses. Ranges stay
        # within letters of one case or digits; every other byte is written on its own.
        text = "".join(
            "".join(_ranges(set(part), chr)) if part else ""
            for part in _same_kind_runs(inner)
        )
        head = "]" if ord("]") in codes else ""
        tail = ("^" if ord("^") in codes else "") + ("-" if ord("-") in codes else "")
        if not head and not text and tail == "^":
            return "\\^"
        return "[" + head + text + tail + "]"


def _ascii_set(op: Any, value: Any) -> tuple[set[int], list[str], bool]:
    """What one character item matches: (raw ASCII bytes, the characters among them that have
    escaped forms, whether it matches non-ASCII characters too)."""
    import re._compiler as sre_compile
    import re._parser as sre_parse

    compiled = sre_compile.compile(sre_parse.SubPattern(sre_parse.State(), [(op, value)]), 0)
    # A raw ASCII character is seen lower-cased by the matcher, a tab as a space.
    codes = {
        code for code in range(128)
        if code not in (0, 10, 13)  # NUL is dropped by decoding; CR and LF end lines
        and compiled.fullmatch(" " if code == 9 else chr(code).lower())
    }
    escapable = [char for char in _ESCAPED_FORMS if compiled.fullmatch(char)]
    non_ascii = any(compiled.fullmatch(probe) for probe in _NON_ASCII_PROBES)
    return codes, escapable, non_ascii


def _same_kind_runs(codes: list[int]) -> list[list[int]]:
    """`codes` in runs of lower-case letters, upper-case letters, digits, and single others."""
    def kind(code: int) -> str:
        char = chr(code)
        if "a" <= char <= "z":
            return "lower"
        if "A" <= char <= "Z":
            return "upper"
        if "0" <= char <= "9":
            return "digit"
        return f"other{code}"

    runs: list[list[int]] = []
    for code in codes:
        if runs and kind(runs[-1][-1]) == kind(code):
            runs[-1].append(code)
        else:
            runs.append([code])
    return runs


def _ranges(codes: set[int], spell) -> list[str]:
    out: list[str] = []
    ordered = sorted(codes)
    start = previous = ordered[0]
    for code in [*ordered[1:], None]:
        if code is not None and code == previous + 1:
            previous = code
            continue
        out.append(spell(start) if start == previous else f"{spell(start)}-{spell(previous)}")
        if code is not None:
            start = previous = code
    return out


def raw_patterns(sources: list[str], literals: list[tuple[str, ...] | None], flavour: str) -> list[str]:
    """The raw pattern of each source; a source that cannot be widened is looked for by a word
    of each of its required literals instead (bot.core.matching.prefilter.raw_word)."""
    from bot.core.matching.prefilter import raw_word

    out = []
    for source, required in zip(sources, literals, strict=True):
        try:
            out.append(raw_pattern(source, flavour))
            continue
        except Untranslatable:
            if not required:
                raise
        words = [raw_word(literal) for literal in required]
        if not all(words):
            raise Untranslatable(f"{source!r}: no word to look for")
        writer = _Writer(flavour, {})
        out.append("|".join("".join(writer.byte(ord(c)) for c in word or "") for word in words))
    return out
