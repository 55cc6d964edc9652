"""bot.scan.literals: every match of a signature holds a string of its cover, and grep finds it.

Matches come from two places: the knowledge base's own texts (corpus pastes and entry
examples), and strings made at random from each signature's regex, the way `re` reads it.
"""

from __future__ import annotations

import io
import json
import random
import re
import re._parser as sre_parse

import pytest
import yaml

from bot.core.matching.normalize import normalize
from bot.scan import choose_engine, plan_for
from bot.scan.blocks import blocks_of
from bot.scan.literals import cover, grep_expressions, is_strong
from bot.scan.patterns import raw_pattern

from .conftest import ROOT
from .test_bigfile import engines

SAMPLES_PER_SIGNATURE = 40
# Characters a class or `.` may be sampled as: ASCII, and non-ASCII ones of every kind.
_ALPHABET = [chr(c) for c in range(32, 127)] + list("é\u00a0\u0663中ſ")


@pytest.fixture(scope="module")
def plan(matcher):
    return plan_for(matcher)


def _texts(knowledge) -> list[str]:
    corpus = yaml.safe_load((ROOT / "tests" / "corpus" / "real_world.yaml").read_text(encoding="utf-8"))
    texts = [item["text"] for item in corpus]
    for entry in knowledge.entries:
        texts.extend(entry.examples_match)
        texts.extend(entry.examples_no_match)
    return texts


def test_known_covers():
    assert cover("method completed with status: ?502") == (
        "method completed with status: 502", "method completed with status:502")
    # \b and look-arounds are zero-width: the run goes on through them
    assert cover(r"\bruntime\.exiterror\b") == ("runtime.exiterror",)
    assert cover(r"signal: (?!killed)\w+ now") == ("signal: ",)
    assert cover("kms(?:accessdenied|disabled)exception") == (
        "kmsaccessdeniedexception", "kmsdisabledexception")
    # \d is every Unicode digit; a back-reference is any text: both end a run
    assert cover(r"size: (\d+) mb max used: \1 mb") == (" mb max used: ",)
    assert cover(r"a.*b") == ("a",)  # true, and weak: left to the regex
    assert cover(r".*\d+") is None
    assert cover("[\n ]abcdef[\n ]") == ("abcdef",)  # grep reads lines: no string spans two
    assert cover("(?i)task timed out") is None  # (?i) folds `s` with `ſ`
    assert not is_strong(cover(r"http/[\d.]+ 50[0-4]"))  # " 502" is no rare string


def test_every_match_in_the_knowledge_texts_holds_a_string_of_its_cover(plan, knowledge):
    lowered = [normalize(text).lower() for text in _texts(knowledge)]
    checked = set()
    for target in plan.targets:
        strings = cover(target.source)
        if strings is None:
            continue
        pattern = re.compile(target.source, re.MULTILINE)
        for text in lowered:
            for match in pattern.finditer(text):
                assert any(s in match.group() for s in strings), (target.name, match.group(), strings)
                checked.add(target.name)
    assert len(checked) >= 100, "the knowledge texts should match most signatures"


def sample(items, rng: random.Random, groups: dict[int, str]) -> str:
    """A string that the sequence `items` (parsed by re) may match: its assertions ignored,
    so the caller checks that the regex really matches it."""
    out = []
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(value))
        elif name in ("IN", "ANY", "NOT_LITERAL"):
            out.append(_one_char(op, value, rng))
        elif name == "BRANCH":
            out.append(sample(list(rng.choice(value[1])), rng, groups))
        elif name == "SUBPATTERN":
            text = sample(list(value[3]), rng, groups)
            if value[0] is not None:
                groups[value[0]] = text
            out.append(text)
        elif name == "ATOMIC_GROUP":
            out.append(sample(list(value), rng, groups))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, inner = value
            count = rng.randint(low, min(high, low + 3))
            out.append("".join(sample(list(inner), rng, groups) for _ in range(count)))
        elif name == "GROUPREF":
            out.append(groups.get(value, ""))
        elif name == "GROUPREF_EXISTS":
            out.append(sample(list(value[1] if value[0] in groups else value[2] or []), rng, groups))
        # AT, ASSERT, ASSERT_NOT: zero-width
    return "".join(out)


def _one_char(op, value, rng: random.Random) -> str:
    import re._compiler as sre_compile

    item = sre_compile.compile(sre_parse.SubPattern(sre_parse.State(), [(op, value)]), 0)
    fits = [c for c in [*_ALPHABET, "\t"] if item.fullmatch(c)]
    return rng.choice(fits) if fits else ""


def samples(target, rng: random.Random) -> list[str]:
    """Up to SAMPLES_PER_SIGNATURE single-line strings that the target's pattern matches."""
    parsed = list(sre_parse.parse(target.source))
    pattern = re.compile(target.source, re.MULTILINE)
    found: list[str] = []
    for _ in range(SAMPLES_PER_SIGNATURE * 5):
        text = "x " + sample(parsed, rng, {}) + " y"
        if "\n" not in text and pattern.search(text):
            found.append(text)
            if len(found) >= SAMPLES_PER_SIGNATURE:
                break
    return found


def test_every_match_of_a_sampled_string_holds_a_string_of_its_cover(plan):
    rng = random.Random(11)
    sampled = 0
    for target in plan.targets:
        strings = cover(target.source)
        if strings is None:
            continue
        pattern = re.compile(target.source, re.MULTILINE)
        for text in samples(target, rng):
            for match in pattern.finditer(text):
                assert any(s in match.group() for s in strings), (target.name, match.group(), strings)
            sampled += 1
    assert sampled >= 100 * SAMPLES_PER_SIGNATURE // 2


def _raw_forms_of(text: str) -> list[str]:
    """The line as written, with tabs for spaces, and inside a JSON record (quotes, slashes
    and tabs escaped): the forms a real log holds it in."""
    return [
        "2024-01-01T00:00:00Z\t" + text,
        "2024-01-01T00:00:00Z\t" + text.replace(" ", "\t"),
        json.dumps({"message": "abc\t" + text.replace(" ", "\t")}).replace("/", "\\/"),
    ]


@pytest.mark.parametrize("engine", [e for e in engines() if e != "python"])
def test_the_engines_propose_every_sampled_line(plan, engine):
    """Each sampled match, raw as a log holds it, among healthy lines: its line is proposed
    (grep looks for most signatures by their cover only, so this checks it end to end)."""
    rng = random.Random(29)
    filler = "2024-01-01T00:00:00Z\tINFO\tprocessed order 42 for customer c-7 in 3.1 ms"
    lines, wanted = [], []
    for target in plan.targets:
        for text in samples(target, rng)[:8]:
            for raw in _raw_forms_of(text):
                if target.confirms(*_normalised(raw)):
                    wanted.append((len(lines) + 1, target.name, raw))
                    lines.append(raw)
                    lines.append(filler)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    scanner = choose_engine(plan, engine)
    proposed = set()
    for block, candidates in scanner.candidates(blocks_of(io.BytesIO(data))):
        for _, position in candidates:
            proposed.add(block.first_line + block.data.count(b"\n", 0, position))
    missed = [(name, raw) for number, name, raw in wanted if number not in proposed]
    assert len(wanted) > 1000
    assert not missed, missed[:5]


def _normalised(raw: str) -> tuple[str, str]:
    from bot.scan.plan import normalised_line

    return normalised_line(raw.encode("utf-8"))


def test_grep_looks_for_few_regexes(plan):
    """Most signatures are looked for by their cover's strings (what makes grep fast)."""
    sources = [t.source for t in plan.targets]
    expressions = grep_expressions(sources, [t.literals for t in plan.targets])
    literal = {raw_pattern(re.escape(s), "grep") for src in sources if is_strong(cover(src))
               for s in cover(src) or ()}
    assert sum(1 for src in sources if is_strong(cover(src))) >= 0.8 * len(sources)
    assert literal <= set(expressions)


def test_a_repeated_class_is_one_byte_class_only_where_that_is_exact():
    """`[^\\n]*` widens to a star of its raw forms (`\\t`, `\\"`, `&lt;`, UTF-8...), all of them
    bytes it matches alone: one byte class says the same, and Hyperscan scans faster for it.
    A repeated space is not collapsed: its JSON form `\\t` holds bytes a space is not."""
    hyperscan = pytest.importorskip("hyperscan")  # no wheel for some platforms: the fallback's

    anything = raw_pattern(r"a[^\n]*b", "hyperscan")
    assert anything == r"a[\x01-\x09\x0b-\x0c\x0e-\xff]*b"
    spaces = raw_pattern(r"a *b", "hyperscan")
    assert "\\x5ct" in spaces  # the JSON `\t` form is still looked for
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=[spaces.encode()], flags=hyperscan.HS_FLAG_CASELESS)
    found: list[int] = []
    database.scan(b'{"m": "a\\t\\tb"}', match_event_handler=lambda *args: found.append(1))
    assert found
