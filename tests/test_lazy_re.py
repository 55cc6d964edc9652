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
