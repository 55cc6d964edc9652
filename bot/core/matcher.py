"""Recognising failure modes in pasted text: text -> normalised lines -> signals -> ranked diagnosis.

Signals, strongest first:
- signatures: literal phrases (case-insensitive) and regular expressions from each entry;
  literals also match with typos and truncation (rapidfuzz partial ratio) when no strong exact
  signature is present, and only on pastes, not on multi-megabyte logs;
- keywords: words in the prose around the log lines, in English or Italian, typo-tolerant.

An entry's score is its strongest signature (weight x similarity) plus a little for each further
signature and keyword. Weights encode specificity, so a root cause (throttling) outranks the
symptom it produces (a malformed response). Under REPORT_THRESHOLD nothing is reported: a bare
"502" is not a diagnosis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.core.diagnosis import Detail, Diagnosis, Evidence, Match
from bot.core.knowledge import Entry, KnowledgeBase, Signature, load_knowledge
from bot.core.language import detect_language
from bot.core.normalize import line_at, normalize
from bot.core.redact import redact
from bot.core.runtime import SAMPLE_LIMIT as RUNTIME_SAMPLE_LIMIT
from bot.core.runtime import detect_runtime

if TYPE_CHECKING:
    from collections.abc import Sequence

REPORT_THRESHOLD = 0.35
KEYWORD_POINTS = 0.2
KEYWORD_ONLY_CAP = 0.6
KEYWORD_BONUS_CAP = 0.1
EXTRA_SIGNATURE_POINTS = 0.05
FUZZY_CUTOFF = 88.0  # rapidfuzz partial_ratio, 0-100
TYPO_SIMILARITY = 0.85  # a prose word this close to a keyword word is taken for it
FUZZY_MAX_TEXT = 256 * 1024  # fuzzy matching is for pastes, not for whole log files
FUZZY_SKIP_WEIGHT = 0.8  # an exact signature this strong makes a fuzzy pass unnecessary
MAX_HITS_PER_SIGNATURE = 3
MAX_EVIDENCE = 3
EVIDENCE_WIDTH = 300
PROSE_LIMIT = 64 * 1024

# Lines that are log output rather than someone's words: keywords are read only outside them.
_LOG_LINE = re.compile(
    r"""^\s*(?:
        \d{4}-\d\d-\d\d | \d\d:\d\d | [({\["<>|*$#] | START\b | END\b | REPORT\b | INIT_ | at\s
        | File\s" | Traceback | HTTP/ | [A-Z][a-zA-Z]+(?:Error|Exception)\b | \w+\.\w+Error\b
        | [0-9a-f]{8}-[0-9a-f]{4}
        | (?:errorType|errorMessage|integrationError\w*|errorResponseType|errorCode|error_reason
           |status|statusCode|integrationStatus|integrationLatency|error):
    )""",
    re.VERBOSE,
)
# A word of prose: letters and digits, with inner '.', '_', '-' ("sandbox.timedout", "add-permission").
# ':' separates words, so "AWS:SourceArn" holds the keyword "sourcearn".
_WORD = re.compile(r"[\wàèéìíòóùú](?:[\wàèéìíòóùú'._-]*[\wàèéìíòóùú])?")


@dataclass(frozen=True)
class _Hit:
    signature: Signature
    position: int  # in the normalised text
    similarity: float
    line: str = ""  # set for fuzzy hits, which are found per line
    line_number: int = 0


class Matcher:
    """A knowledge base compiled for matching. Build once, call `diagnose` many times."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        from bot.core.prefilter import literals_of_patterns

        self.knowledge = knowledge
        self._literals: list[tuple[Entry, Signature, str]] = []
        # (entry, signature, pattern for lower-cased text, literals one of which every match holds).
        # Patterns are compiled on first use: most never get past their literal test.
        self._regexes: list[tuple[Entry, Signature, str, tuple[str, ...] | None]] = []
        self._unless: dict[str, str] = {}
        for entry in knowledge.entries:
            for signature in entry.signatures:
                if signature.literal is not None:
                    self._literals.append((entry, signature, signature.literal.lower()))
                elif signature.regex is not None:
                    self._regexes.append((entry, signature, lower_pattern(signature.regex), None))
                if signature.unless:
                    self._unless[f"{entry.id}/{signature.name}"] = signature.unless
        literals = literals_of_patterns([pattern for _, _, pattern, _ in self._regexes])
        self._regexes = [(e, s, pattern, literals[pattern]) for e, s, pattern, _ in self._regexes]
        # keyword (as words) -> entries using it, over both languages: people mix English terms
        # into Italian. Matched on word sequences, not with one big regex, which costs
        # milliseconds to compile on every start.
        keyword_entries: dict[str, list[str]] = {}
        for entry in knowledge.entries:
            for words in entry.keywords.values():
                for keyword in words:
                    normal = " ".join(_WORD.findall(keyword.lower()))
                    if normal:
                        keyword_entries.setdefault(normal, []).append(entry.id)
        self._keyword_entries = {k: tuple(dict.fromkeys(v)) for k, v in keyword_entries.items()}
        self._vocabulary = sorted(
            {word for keyword in self._keyword_entries for word in keyword.split() if len(word) >= 6}
        )
        self._vocabulary_set = frozenset(self._vocabulary)
        # Vocabulary words by their first two letters: a typo rarely changes those, so a
        # misspelt word is compared with a handful of words, not the whole vocabulary.
        self._vocabulary_by_start: dict[str, list[str]] = {}
        for word in self._vocabulary:
            self._vocabulary_by_start.setdefault(word[:2], []).append(word)

    # -- public -------------------------------------------------------------------------------

    def diagnose(
        self,
        text: str,
        *,
        lang: str = "auto",
        top: int | None = None,
        line_numbers: Sequence[int] | None = None,
    ) -> Diagnosis:
        """Rank the entries that explain `text`. Never raises on any text.

        `line_numbers`: `text` is a selection of the lines of a bigger log (bot.scan), and these
        are the original 1-based numbers of its lines, for the evidence. A selection is not a
        paste: fuzzy matching does not run on it.
        """
        normalised = normalize(text)
        lowered = normalised.lower()
        hits = self._exact_hits(normalised, lowered)
        if line_numbers is None and len(normalised) <= FUZZY_MAX_TEXT and not any(
            hit.signature.weight >= FUZZY_SKIP_WEIGHT for found in hits.values() for hit in found
        ):
            for entry, found in self._fuzzy_hits(normalised, hits).items():
                hits.setdefault(entry, []).extend(found)
        runtime = detect_runtime(_runtime_sample(normalised, hits))
        details = self._quoted_response_signals(normalised, lowered, runtime, hits)
        prose = prose_of(normalised)
        keywords = self._keyword_hits(prose)
        language = lang if lang in ("en", "it") else detect_language(prose)
        matches = self._rank(normalised, hits, keywords, details)
        if line_numbers is not None:
            matches = _renumbered(matches, _origins_of_lines(text, normalised, line_numbers))
        if top is not None:
            matches = matches[: max(top, 0)]
        return Diagnosis(language=language, matches=tuple(matches), runtime=runtime)

    # -- signals ------------------------------------------------------------------------------

    def _exact_hits(self, text: str, lowered: str) -> dict[str, list[_Hit]]:
        hits: dict[str, list[_Hit]] = {}
        for entry, signature, literal in self._literals:
            position = lowered.find(literal)
            found = 0
            while position >= 0 and found < MAX_HITS_PER_SIGNATURE:
                if not self._excluded(entry, signature, text, position):
                    hits.setdefault(entry.id, []).append(_Hit(signature, position, 1.0))
                    found += 1
                position = lowered.find(literal, position + len(literal))
        for entry, signature, pattern, literals in self._regexes:
            if literals is not None and not any(literal in lowered for literal in literals):
                continue  # cannot match: no need to even compile it
            found = 0
            for start in _regex_matches(_compiled(pattern), literals, lowered):
                if not self._excluded(entry, signature, text, start):
                    hits.setdefault(entry.id, []).append(_Hit(signature, start, 1.0))
                    found += 1
                    if found >= MAX_HITS_PER_SIGNATURE:
                        break
        return hits

    def _quoted_response_signals(
        self, text: str, lowered: str, runtime: str | None, hits: dict[str, list[_Hit]]
    ) -> dict[str, tuple[Detail, ...]]:
        """Validate Lambda responses quoted in the text; a rejected one is evidence with details.

        "Endpoint response body before transformations: {...body: {...}}" says precisely what is
        wrong, so the diagnosis can say "`body` is an object; wrap it in JSON.stringify".
        """
        if not any(marker in lowered for marker in _QUOTE_MARKERS):
            return {}
        from bot.core.response_validator import find_quoted_responses, validate_response

        details: dict[str, tuple[Detail, ...]] = {}
        for quoted in find_quoted_responses(text[-QUOTE_SCAN_LIMIT:]):
            if quoted.truncated or not quoted.parsed:
                continue  # API Gateway cuts quotes at 1 KB: a cut body proves nothing
            if quoted.logged_status is not None and 200 <= quoted.logged_status < 300:
                continue  # the client got a 2XX: not a proxy integration, nothing was rejected
            verdict = validate_response(quoted.payload, quoted.integration, runtime=runtime)
            if verdict.accepted or verdict.entry is None or verdict.entry in details:
                continue
            signature = _QUOTE_SIGNATURES.get(verdict.entry, _QUOTE_SIGNATURES["malformed-proxy-response"])
            position = text.find(quoted.text[:200]) if quoted.text else -1
            number, line = line_at(text, position) if position >= 0 else (0, "")
            if position < 0 or "\n" in quoted.text.strip():
                line = " ".join(quoted.text.split())  # a multi-line quote, shown on one line
            hits.setdefault(verdict.entry, []).append(
                _Hit(signature, -1, 1.0, line=line, line_number=number)
            )
            details[verdict.entry] = tuple(
                Detail(
                    path=p.path,
                    severity=p.severity,
                    message={lang: redact(text) for lang, text in p.message.items()},
                    fix={lang: redact(text) for lang, text in p.fix.items()} if p.fix else None,
                )
                for p in verdict.problems
            )
        return details

    def _excluded(self, entry: Entry, signature: Signature, text: str, position: int) -> bool:
        return self._unless_matches(entry, signature, line_at(text, position)[1])

    def _unless_matches(self, entry: Entry, signature: Signature, line: str) -> bool:
        unless = self._unless.get(f"{entry.id}/{signature.name}")
        return bool(unless and _compiled(unless, re.IGNORECASE).search(line))

    def _fuzzy_hits(self, text: str, exact: dict[str, list[_Hit]]) -> dict[str, list[_Hit]]:
        from rapidfuzz import fuzz, process  # imported here: most pastes never need it

        numbered = [
            (number, line)
            for number, line in enumerate(text.split("\n"), start=1)
            if len(line.strip()) >= 12
        ]
        if not numbered:
            return {}
        candidates = [line[:600].lower() for _, line in numbered]
        found: dict[str, list[_Hit]] = {}
        for entry, signature, literal in self._literals:
            if not signature.fuzzy:
                continue
            if any(hit.signature is signature for hit in exact.get(entry.id, ())):
                continue
            best = process.extractOne(
                literal, candidates, scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF
            )
            if best is None:
                continue
            _, score, index = best
            number, line = numbered[index]
            if self._unless_matches(entry, signature, line):
                continue
            found.setdefault(entry.id, []).append(
                _Hit(signature, -1, round(score / 100.0, 3), line=line, line_number=number)
            )
        return found

    def _keyword_hits(self, prose: str) -> dict[str, list[str]]:
        """Keywords present in the prose; a word may carry up to two more letters ('timeouts')."""
        words = self._correct_typos(_WORD.findall(prose.lower()))
        if not words:
            return {}
        joined = " " + " ".join(words) + " "
        found: dict[str, list[str]] = {}
        for keyword, entry_ids in self._keyword_entries.items():
            start = joined.find(" " + keyword)
            while start >= 0:
                tail = joined.find(" ", start + len(keyword) + 1) - (start + len(keyword) + 1)
                if tail <= 2:
                    for entry_id in entry_ids:
                        found.setdefault(entry_id, []).append(keyword)
                    break
                start = joined.find(" " + keyword, start + 1)
        # 'permission' and 'permissions' found in the same words are one keyword, not two.
        return {
            entry_id: [k for k in found_keywords if not any(
                other != k and other.startswith(k) and len(other) - len(k) <= 2 for other in found_keywords
            )]
            for entry_id, found_keywords in found.items()
        }

    def _correct_typos(self, words: list[str]) -> list[str]:
        """Replace long misspelt words by the keyword word they are closest to ('permision')."""
        corrections: dict[str, str] = {}
        for word in {w for w in words if len(w) >= 6 and w not in self._vocabulary_set}:
            candidates = [
                known for known in self._vocabulary_by_start.get(word[:2], ())
                if abs(len(known) - len(word)) <= 2
            ]
            best = max(candidates, key=lambda known: similarity(word, known), default=None)
            if best is not None and similarity(word, best) >= TYPO_SIMILARITY:
                corrections[word] = best
        return [corrections.get(word, word) for word in words] if corrections else words

    # -- ranking ------------------------------------------------------------------------------

    def _rank(
        self,
        text: str,
        hits: dict[str, list[_Hit]],
        keywords: dict[str, list[str]],
        details: dict[str, tuple[Detail, ...]],
    ) -> list[Match]:
        ranked: list[tuple[tuple[float, float, int, str], Match]] = []
        for entry in self.knowledge.entries:
            entry_hits = hits.get(entry.id, [])
            entry_keywords = keywords.get(entry.id, [])
            if entry_hits:
                strongest = max(hit.signature.weight * hit.similarity for hit in entry_hits)
                distinct = {hit.signature.name for hit in entry_hits}
                score = (
                    strongest
                    + EXTRA_SIGNATURE_POINTS * min(3, len(distinct) - 1)
                    + min(KEYWORD_BONUS_CAP, 0.02 * len(entry_keywords))
                )
            elif entry_keywords:
                strongest = 0.0
                score = min(KEYWORD_ONLY_CAP, KEYWORD_POINTS * len(entry_keywords))
            else:
                continue
            if score < REPORT_THRESHOLD:
                continue
            match = Match(
                entry=entry,
                score=round(score, 3),
                evidence=self._evidence(text, entry_hits),
                keywords=tuple(entry_keywords),
                details=details.get(entry.id, ()),
            )
            ranked.append(((-score, -strongest, -len(entry_hits), entry.id), match))
        ranked.sort(key=lambda pair: pair[0])
        return [match for _, match in ranked]

    def _evidence(self, text: str, hits: list[_Hit]) -> tuple[Evidence, ...]:
        ordered = sorted(hits, key=lambda h: (-h.signature.weight * h.similarity, h.position))
        evidence: list[Evidence] = []
        seen: set[int] = set()
        for hit in ordered:
            if hit.position >= 0:
                number, line = line_at(text, hit.position)
                column = hit.position - (text.rfind("\n", 0, hit.position) + 1)
            else:
                number, line, column = hit.line_number, hit.line, 0
            if number in seen:
                continue
            seen.add(number)
            evidence.append(
                Evidence(
                    signature=hit.signature.name,
                    # Whole line first, then cut: a window that starts inside a secret must not
                    # show the value without the name that gave it away.
                    line=_redacted_clip(line, column),
                    line_number=number,
                    similarity=hit.similarity,
                )
            )
            if len(evidence) >= MAX_EVIDENCE:
                break
        return tuple(evidence)

    # -- for the scanner of big logs (bot.scan) -------------------------------------------------

    def scan_signatures(self) -> list[ScanSignature]:
        """Every signature as `diagnose` tests it: what a scan of a big log must find."""
        found = [
            ScanSignature(entry.id, signature, literal, None, (literal,))
            for entry, signature, literal in self._literals
        ]
        found += [
            ScanSignature(entry.id, signature, None, pattern, literals)
            for entry, signature, pattern, literals in self._regexes
        ]
        return found

    def quote_markers(self) -> tuple[str, ...]:
        """Words of a line that may quote a Lambda response (lower-case)."""
        return _QUOTE_MARKERS


QUOTE_SCAN_LIMIT = 1024 * 1024  # quoted responses are looked for in the newest 1 MB
_QUOTE_MARKERS = (
    "before transformations", "integrationerror", "invalid api gateway response",
    "invalid lambda response", "response body", "response received",
)
# A rejected quoted response, by the entry the validator names. A malformed body the validator
# has proven outranks the bare "Malformed Lambda proxy response" line (0.8) but not a root cause
# such as throttling (1.0); a Lambda error object is only the generic function-error wrapper.
_QUOTE_SIGNATURES = {
    entry_id: Signature(name="quoted-response-rejected", literal=None, regex=None, weight=weight)
    for entry_id, weight in (
        ("malformed-proxy-response", 0.9),
        ("payload-too-large", 0.95),
        ("unhandled-function-error", 0.6),
        ("import-module-error", 0.6),
        ("handler-not-found", 0.6),
        ("function-timeout", 0.6),
        ("runtime-exit", 0.6),
        ("package-permission-denied", 0.6),
    )
}


def _runtime_sample(text: str, hits: dict[str, list[_Hit]]) -> str:
    """The text to look for runtime clues in: all of a paste, the start and the evidence of a log."""
    if len(text) <= RUNTIME_SAMPLE_LIMIT:
        return text
    windows = [text[:16384]]
    for found in hits.values():
        for hit in found:
            if hit.position >= 0:
                windows.append(text[max(0, hit.position - 2000) : hit.position + 2000])
    return "\n".join(windows)[:RUNTIME_SAMPLE_LIMIT]
MAX_LINES_PER_LITERAL = 2000  # a literal on more lines than this: the regex scans the whole text


def _regex_matches(pattern: re.Pattern[str], literals: tuple[str, ...] | None, lowered: str):
    """Start positions of `pattern` in `lowered`, running it only on lines holding a literal."""
    if literals is None or len(lowered) < 65536:
        # A match that starts by crossing line ends (`^\s*...` after an empty line) is on the
        # line where its text starts, as it is when each line is searched on its own (below).
        yield from (m.start() + len(m.group()) - len(m.group().lstrip("\n")) for m in pattern.finditer(lowered))
        return
    lines: set[int] = set()
    for literal in literals:
        position = lowered.find(literal)
        while position >= 0:
            lines.add(lowered.rfind("\n", 0, position) + 1)
            if len(lines) > MAX_LINES_PER_LITERAL:
                yield from (m.start() for m in pattern.finditer(lowered))
                return
            position = lowered.find(literal, position + len(literal))
    for line_start in sorted(lines):
        line_end = lowered.find("\n", line_start)
        for occurrence in pattern.finditer(lowered, line_start, line_end if line_end >= 0 else len(lowered)):
            yield occurrence.start()


def compile_signature_regex(pattern: str) -> re.Pattern[str]:
    """Compile a signature regex for searching lower-cased text (see lower_pattern)."""
    return _compiled(lower_pattern(pattern))


def similarity(a: str, b: str) -> float:
    """2 x longest common subsequence / total length: rapidfuzz's fuzz.ratio, on 0..1.

    Written out because the words compared are few and short, and importing rapidfuzz would
    cost more than comparing them.
    """
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for char in a:
        current = [0]
        for index, other in enumerate(b):
            current.append(previous[index] + 1 if char == other else max(previous[index + 1], current[index]))
        previous = current
    return 2 * previous[-1] / (len(a) + len(b))


def lower_pattern(pattern: str) -> str:
    """`pattern` with letters outside escapes lower-cased, to search lower-cased text.

    Searching lower-cased text with a case-sensitive pattern lets `re` use its literal-prefix
    scan, which is an order of magnitude faster on big logs than re.IGNORECASE.
    """
    return _UPPER_OUTSIDE_ESCAPES.sub(
        lambda m: m.group(0) if m.group(0).startswith("\\") else m.group(0).lower(), pattern
    )


_UPPER_OUTSIDE_ESCAPES = re.compile(r"\\.|[A-Z]")


@lru_cache(maxsize=1024)
def _compiled(pattern: str, flags: int = re.MULTILINE) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def clip(line: str, column: int, width: int = EVIDENCE_WIDTH) -> str:
    """At most `width` characters of `line`, keeping the part around `column` visible."""
    if len(line) <= width:
        return line
    start = max(0, min(column - width // 3, len(line) - width))
    piece = line[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(line) else "")


def _redacted_clip(line: str, column: int) -> str:
    """`line` redacted whole, then clipped around `column` (a position in the unredacted line)."""
    indent = len(line) - len(line.lstrip())
    stripped = line.strip()
    redacted = redact(stripped)
    if redacted != stripped:
        # Markers change lengths: keep the column at the same share of the line.
        column = int((column - indent) * len(redacted) / max(1, len(stripped))) + indent
    return clip(redacted, column - indent)


def prose_of(text: str) -> str:
    """The lines of `text` that are someone's words rather than log output."""
    lines = []
    size = 0
    for line in text.split("\n", 5000)[:5000]:
        stripped = line.strip()
        if len(stripped) < 8 or _LOG_LINE.match(stripped):
            continue
        lines.append(stripped)
        size += len(stripped)
        if size > PROSE_LIMIT:
            break
    return "\n".join(lines)


@lru_cache(maxsize=4)
def _matcher_for(directory: str) -> Matcher:
    return Matcher(load_knowledge(directory))


def get_matcher(knowledge: KnowledgeBase | None = None) -> Matcher:
    if knowledge is None:
        knowledge = load_knowledge()
    return _matcher_for(knowledge.directory)


def diagnose(
    text: str, *, lang: str = "auto", top: int | None = None, knowledge: KnowledgeBase | None = None
) -> Diagnosis:
    """Diagnose pasted text against the knowledge base (loaded and compiled once per process)."""
    return get_matcher(knowledge).diagnose(text, lang=lang, top=top)


@dataclass(frozen=True)
class ScanSignature:
    """A signature as `Matcher.diagnose` tests it, on lower-cased normalised text."""

    entry_id: str
    signature: Signature
    literal: str | None  # lower-cased; else `pattern` is set
    pattern: str | None  # Python syntax, for lower-cased text, matched per line
    literals: tuple[str, ...] | None  # one of these occurs in every match (None: unknown)


def _origins_of_lines(text: str, normalised: str, line_numbers: Sequence[int]) -> list[int]:
    """The original line number of each line of `normalised` (= normalize(text)).

    normalize turns one line into several (a JSON record and its fields, a code fence) but does
    not join lines, so each line is normalised on its own to count what it became.
    """
    lines = text.split("\n")
    if normalised.count("\n") + 1 == len(lines):
        return list(line_numbers)
    origins: list[int] = []
    for number, line in zip(line_numbers, lines, strict=False):
        origins.extend([number] * (normalize(line.removesuffix("\r")).count("\n") + 1))
    return origins if len(origins) == normalised.count("\n") + 1 else list(line_numbers)


def _renumbered(matches: list[Match], origins: list[int]) -> list[Match]:
    """`matches` with evidence line numbers of the selection turned into the original ones."""
    import dataclasses

    def origin(number: int) -> int:
        return origins[number - 1] if 0 < number <= len(origins) else number

    return [
        dataclasses.replace(match, evidence=tuple(
            dataclasses.replace(item, line_number=origin(item.line_number)) for item in match.evidence
        ))
        for match in matches
    ]
