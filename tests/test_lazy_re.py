"""bot.core.lazy_re: a pattern compiled on first use answers as re.compile's does."""

import copy
import re

import pytest

from bot.core.lazy_re import lazy_compile


def test_a_lazy_pattern_answers_every_method_as_the_compiled_one():
    text = "HTTP/1.1 502 Bad Gateway\nStatus Code: 504\nstatus code: 500"
    for pattern, flags in ((r"Status Code: ?(\d{3})", re.IGNORECASE), (r"^HTTP/\S+ (\d{3})", re.MULTILINE)):
        lazy, compiled = lazy_compile(pattern, flags), re.compile(pattern, flags)
        assert lazy.search(text).group(1) == compiled.search(text).group(1)
        assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
        assert lazy.findall(text) == compiled.findall(text)
        assert lazy.sub("<>", text) == compiled.sub("<>", text)
        assert lazy.subn("<>", text) == compiled.subn("<>", text)
        assert lazy.split(text) == compiled.split(text)
        assert (lazy.match(text) is None) == (compiled.match(text) is None)
        assert (lazy.fullmatch("Status Code: 502") is None) == (compiled.fullmatch("Status Code: 502") is None)
        assert (lazy.pattern, lazy.flags, lazy.groups) == (compiled.pattern, compiled.flags, compiled.groups)


def test_nothing_is_compiled_before_the_first_use_and_a_bad_pattern_fails_there():
    broken = lazy_compile(r"(unclosed")
    copy.deepcopy(broken)  # a probe for __deepcopy__ is not a use
    assert "search" not in vars(broken)
    with pytest.raises(re.error):
        broken.search("x")
    used = lazy_compile(r"\d+")
    used.search("1")
    assert "search" in vars(used)  # later calls are one attribute lookup


# -- compile_cached: re.compile's pattern from the code remembered in the user's cache ------------

CASES = [
    (r"Task timed out after (?P<seconds>\d+(?:\.\d+)?) seconds", 0),
    (r"^(?:START|END|REPORT) RequestId: ([0-9a-f-]{36})", re.MULTILINE),
    (r"status(?:code)?\W{0,3}(5\d\d)", re.IGNORECASE),
    (r"[^\W_]+(?:'[^\W_]+)?", 0),
    (r"(?<![\w.:/-])(4[0-2]\d|5[01]\d)(?![\w:/-]|\.\d)", re.IGNORECASE | re.MULTILINE),
    (r"ä{2,}|Ω", re.IGNORECASE),
]
TEXT = ("START RequestId: 0a1b2c3d-0000-4000-8000-000000000000\nTask timed out after 29.03 seconds\n"
        "StatusCode: 502 it's ÄÄÄ ω 504")


def _same(cached, compiled):
    assert (cached.pattern, cached.flags, cached.groups, cached.groupindex) == (
        compiled.pattern, compiled.flags, compiled.groups, compiled.groupindex)
    assert [(m.span(), m.groups(), m.groupdict()) for m in cached.finditer(TEXT)] == [
        (m.span(), m.groups(), m.groupdict()) for m in compiled.finditer(TEXT)]
    assert cached.findall(TEXT) == compiled.findall(TEXT)


def test_a_cached_pattern_is_the_compiled_one_the_first_time_and_from_the_memo(monkeypatch, tmp_path):
    from bot.core import lazy_re

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(lazy_re, "_remembered", None)
    monkeypatch.setattr(lazy_re, "_learnt", {})
    for pattern, flags in CASES:
        _same(lazy_re.compile_cached(pattern, flags), re.compile(pattern, flags))
    lazy_re.save()
    assert list((tmp_path / "badgateway").glob(f"{lazy_re.MEMO}-*.marshal"))

    # A new process: the memo is read, and no pattern is parsed again.
    monkeypatch.setattr(lazy_re, "_remembered", None)
    from re import _parser

    parsed, real_parse = [], _parser.parse
    monkeypatch.setattr(_parser, "parse", lambda *a, **k: parsed.append(a[0]) or real_parse(*a, **k))
    again = [lazy_re.compile_cached(pattern, flags) for pattern, flags in CASES]
    monkeypatch.setattr(_parser, "parse", real_parse)
    assert parsed == []
    for cached, (pattern, flags) in zip(again, CASES, strict=True):
        _same(cached, re.compile(pattern, flags))


def test_every_pattern_of_the_knowledge_base_compiles_the_same_from_the_memo(knowledge, monkeypatch, tmp_path):
    from bot.core import lazy_re
    from bot.core.matching.matcher import lower_pattern

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(lazy_re, "_remembered", None)
    monkeypatch.setattr(lazy_re, "_learnt", {})
    patterns = [lower_pattern(s.regex) for entry in knowledge.entries for s in entry.signatures if s.regex]
    assert len(patterns) > 50
    for pattern in patterns:
        lazy_re.compile_cached(pattern, re.MULTILINE)
    lazy_re.save()
    monkeypatch.setattr(lazy_re, "_remembered", None)
    examples = "\n".join(text for entry in knowledge.entries for text in entry.examples_match).lower()
    for pattern in patterns:
        cached, compiled = lazy_re.compile_cached(pattern, re.MULTILINE), re.compile(pattern, re.MULTILINE)
        assert [m.span() for m in cached.finditer(examples)] == [m.span() for m in compiled.finditer(examples)]


def test_a_damaged_or_foreign_memo_falls_back_to_re_compile(monkeypatch, tmp_path):
    from bot.core import lazy_re

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pattern = r"Endpoint request (timed out)"
    # Code that _sre refuses (its validator), as a damaged or hand-edited memo would hold.
    import marshal

    for damaged in (marshal.dumps((32, [1, 2, 3], 0, {}, (None,))), b"not marshal at all"):
        monkeypatch.setattr(lazy_re, "_remembered", {(pattern, 0): damaged})
        monkeypatch.setattr(lazy_re, "_learnt", {})
        _same(lazy_re.compile_cached(pattern), re.compile(pattern))
    # Rows of the wrong shape: the memo is not used at all.
    from bot.core.kb import cache

    cache.write(lazy_re.MEMO, lazy_re._engine_key(), [["only", "three", "fields"]])
    assert lazy_re._read_memo() == {}
    with pytest.raises(re.error):
        lazy_re.compile_cached(r"(unclosed")
