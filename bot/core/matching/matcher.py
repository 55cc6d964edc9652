"""Recognising failure modes in pasted text: text -> normalised lines -> signals -> ranked diagnosis.

Two layers, combined in one ranking:
- signatures: literal phrases (case-insensitive) and regular expressions from each entry, weighted
  by how specific they are; literals also match with typos and truncation (rapidfuzz partial
  ratio) on pastes. They are precise: a log line that says what happened.
- the prose layer (`bot.core.prose`): a model learnt from every entry's examples, the entries'
  own vocabulary and the training part of the real corpus, which recognises descriptions
  ("the lambda uses the full 29 seconds and API Gateway returns a 504") that no signature holds.

An entry's score is its strongest signature (weight x similarity), a little for each further
signature, and a bonus when the prose layer agrees; with no signature, the prose probability
alone, scaled below the precise markers. Under REPORT_THRESHOLD nothing is reported: a bare
"502" is not a diagnosis.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bot.core.diagnosis import Detail, Diagnosis, Evidence, Match, Observed
from bot.core.kb.knowledge import Entry, KnowledgeBase, Signature, load_knowledge
from bot.core.lazy_re import compile_cached
from bot.core.matching.described import described_response
from bot.core.matching.fuzzy import FuzzyLines, Literals
from bot.core.matching.http_reply import HttpReply, failing_reply, find_replies
from bot.core.matching.language import detect_language, in_person
from bot.core.matching.normalize import Normalised, line_at, normalise
from bot.core.matching.runtime import SAMPLE_LIMIT as RUNTIME_SAMPLE_LIMIT
from bot.core.matching.runtime import detect_runtime
from bot.core.prose.model import ProseModel, ProseVerdict, load_model
from bot.core.prose.view import prose_view
from bot.core.record import Record
from bot.core.redact import redact

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any

REPORT_THRESHOLD = 0.35
EXTRA_SIGNATURE_POINTS = 0.05
FUZZY_CUTOFF = 88.0  # rapidfuzz partial_ratio, 0-100
FUZZY_MAX_TEXT = 256 * 1024  # a longer text is fuzzy-matched (and read for prose) in its start
FUZZY_WINDOW = 64 * 1024  # ... this much of it at most: where a paste's own lines are
FUZZY_SKIP_WEIGHT = 0.8  # an exact signature this strong makes a fuzzy pass unnecessary
MAX_HITS_PER_SIGNATURE = 3
MAX_EVIDENCE = 3
EVIDENCE_WIDTH = 300
PROSE_LIMIT = 64 * 1024

# Lines that are log output rather than someone's words: keywords are read only outside them.
# A line starting with one of these is a log line (_LOG_LINE's class), without the regex.
_LOG_FIRST = frozenset('({["<>|*$#')
_LOG_LINE = compile_cached(
    r"""^\s*(?:
        \d{4}-\d\d-\d\d | \d\d:\d\d | [({\["<>|*$#] | START\b | END\b | REPORT\b | INIT_ | at\s
        | File\s" | Traceback | HTTP/ | [A-Z][a-zA-Z]+(?:Error|Exception)\b | \w+\.\w+Error\b
        | [0-9a-f]{8}-[0-9a-f]{4}
        | (?:errorType|errorMessage|integrationError\w*|errorResponseType|errorCode|error_reason
           |status|statusCode|integrationStatus|integrationLatency|error):
    )""",
    re.VERBOSE,
)


class Signals(Record):
    """What a text says, before scoring (see Matcher.signals)."""

    text: str  # normalised
    hits: dict[str, list[_Hit]]
    details: dict[str, tuple[Detail, ...]]
    runtime: str | None
    language: str
    prose: str  # what the prose layer reads ("" for big logs)
    numbering: _Numbering
    reply: HttpReply | None = None  # the failing HTTP response pasted, if any


class _Hit(Record):
    signature: Signature
    position: int  # in the normalised text
    similarity: float
    line: str = ""  # set for fuzzy hits, which are found per line
    line_number: int = 0


class Matcher:
    """A knowledge base compiled for matching. Build once, call `diagnose` many times."""

    def __init__(self, knowledge: KnowledgeBase, prose: ProseModel | None = None) -> None:
        from bot.core.matching.prefilter import literals_of_patterns

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
        self._fuzzy_literals = Literals([literal for _, signature, literal in self._literals if signature.fuzzy])
        self.prose = prose if prose is not None else load_model(knowledge.directory)

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
        signals = self.signals(text, lang=lang, line_numbers=line_numbers)
        return self.decide(signals, self.prose_verdict(signals), top=top)

    def signals(
        self, text: str, *, lang: str = "auto", line_numbers: Sequence[int] | None = None
    ) -> Signals:
        """Everything the text says before any scoring: signature hits, quoted responses, prose."""
        parsed = normalise(text)
        normalised = parsed.text
        lowered = normalised.lower()
        hits = self._exact_hits(normalised, lowered)
        head = _head_lines(parsed, line_numbers)
        if not any(hit.signature.weight >= FUZZY_SKIP_WEIGHT for found in hits.values() for hit in found):
            for entry, found in self._fuzzy_hits(head, hits).items():
                hits.setdefault(entry, []).extend(found)
        runtime = detect_runtime(_runtime_sample(normalised, hits))
        details = self._quoted_response_signals(normalised, lowered, runtime, hits)
        language = lang if lang in ("en", "it") else detect_language(
            prose_of(normalised, skip=_hit_lines(normalised, hits)), text=normalised
        )
        view = prose_view("\n".join(line for _, line in head), normalised=True)
        return Signals(
            text=normalised,
            hits=hits,
            details=details,
            runtime=runtime,
            language=language,
            prose=view,
            numbering=_Numbering(parsed, line_numbers),
            reply=failing_reply(find_replies(normalised)) if _may_hold_reply(lowered) else None,
        )

    def prose_verdict(self, signals: Signals, model: ProseModel | None = None) -> ProseVerdict | None:
        model = model or self.prose
        if model is None or not signals.prose:
            return None
        # Words are shown for prose matches past the lower of the two gates only (_rank; below
        # it by less than the rounding of probabilities, to be safe).
        plain, fitting = _gates(model.params)
        threshold, against = min(plain[0], fitting[0]), min(plain[1], fitting[1])
        return model.verdict(signals.prose, words_from=min(threshold, 1.0) - 0.001,
                             words_against_none=max(0.0, against - 0.001))

    def decide(
        self,
        signals: Signals,
        verdict: ProseVerdict | None,
        *,
        top: int | None = None,
        params: dict[str, Any] | None = None,
    ) -> Diagnosis:
        """The ranked diagnosis from the signals and the prose verdict."""
        if params is None:
            params = self.prose.params if self.prose is not None else {}
        observed: Observed | None = None
        reply = signals.reply
        # Shown when it is the failing response, or a whole HTTP response; a bare "Status Code:
        # 400" (a deploy error) only keeps words from contradicting it.
        if reply is not None and (reply.status >= 500 or reply.status == 413 or reply.headers):
            # The header values are the user's text: redacted like every line quoted back.
            observed = Observed(reply.front, reply.status, _redacted(reply.error_type), _redacted(reply.request_id))
        elif reply is None and (described := described_response(signals.prose)) is not None:
            observed = Observed(*described, source="described")
        fitting = frozenset(
            entry.id for entry in self.knowledge.entries if _fits(entry, observed.front, observed.status)
        ) if observed is not None else frozenset()
        matches = self._rank(signals, verdict, params, fitting)
        if top is not None:
            matches = matches[: max(top, 0)]
        consistent: tuple[str, ...] = ()
        if observed is not None:
            likely = {score.entry: score.probability for score in verdict.scores} if verdict else {}
            ordered = [e for e in self.knowledge.entries if e.id in fitting]
            ordered.sort(key=lambda entry: -likely.get(entry.id, 0.0))  # stable: KB order on ties
            consistent = tuple(entry.id for entry in ordered)
        return Diagnosis(
            language=signals.language,
            matches=tuple(matches),
            runtime=signals.runtime,
            observed=observed,
            consistent_with=consistent,
        )

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
        from bot.core.responses import find_quoted_responses, validate_response

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

    def _fuzzy_hits(self, lines: list[tuple[int, str]], exact: dict[str, list[_Hit]]) -> dict[str, list[_Hit]]:
        numbered = [
            (number, line)
            for number, line in lines
            if len(line.strip()) >= 12 and not in_person(line)  # someone's words: the prose layer's
        ]
        if not numbered:
            return {}
        candidates = FuzzyLines([line[:600].lower() for _, line in numbered], self._fuzzy_literals, FUZZY_CUTOFF)
        found: dict[str, list[_Hit]] = {}
        for entry, signature, literal in self._literals:
            if not signature.fuzzy:
                continue
            if any(hit.signature is signature for hit in exact.get(entry.id, ())):
                continue
            best = candidates.best(literal)
            if best is None:
                continue
            score, index = best
            number, line = numbered[index]
            if self._unless_matches(entry, signature, line):
                continue
            found.setdefault(entry.id, []).append(
                _Hit(signature, -1, round(score / 100.0, 3), line=line, line_number=number)
            )
        return found

    # -- ranking ------------------------------------------------------------------------------

    def _rank(
        self, signals: Signals, verdict: ProseVerdict | None, params: dict[str, Any],
        fitting: frozenset[str] = frozenset(),
    ) -> list[Match]:
        """`fitting`: the entries that can give the status the text shows or describes."""
        text, hits, details, numbering = signals.text, signals.hits, signals.details, signals.numbering
        prose = {score.entry: score for score in verdict.scores} if verdict else {}
        none = verdict.none_probability if verdict else 0.0
        plain, for_fitting = _gates(params)
        bonus = float(params.get("agreement_bonus", 0.0))
        veto = float(params.get("none_veto", 2.0))
        proof = float(params.get("veto_proof", VETO_PROOF_WEIGHT))
        none_first = verdict is not None and (not verdict.scores or none >= verdict.scores[0].probability)
        ranked: list[tuple[tuple[float, float, int, str], Match]] = []
        for entry in self.knowledge.entries:
            entry_hits = hits.get(entry.id, [])
            said = prose.get(entry.id)
            probability = said.probability if said else 0.0
            # The prose layer names an entry when it is likely, and far likelier than "none".
            needed, against = for_fitting if entry.id in fitting else plain
            believed = probability >= needed and _share(probability, none) >= against
            if entry_hits:
                strongest = max(hit.signature.weight * hit.similarity for hit in entry_hits)
                # A marker that also appears in look-alikes (deploy-time errors, local emulators
                # reusing runtime words) falls when the words say "none" far more than this entry.
                if none_first and strongest < proof and _share(none, probability) >= veto:
                    continue
                distinct = {hit.signature.name for hit in entry_hits}
                score = strongest + EXTRA_SIGNATURE_POINTS * min(3, len(distinct) - 1)
                score = max(score + bonus * probability, _prose_score(probability, needed) if believed else 0.0)
            elif believed and (
                signals.reply is None or _fits(entry, signals.reply.front, signals.reply.status)
            ):
                # Words alone never contradict the response pasted: a REST 502 is no 500 cause.
                strongest = 0.0
                score = _prose_score(probability, needed)
            else:
                continue
            if score < REPORT_THRESHOLD:
                continue
            match = Match(
                entry=entry,
                score=round(score, 3),
                evidence=self._evidence(text, entry_hits, numbering),
                keywords=tuple(redact(w) for w in said.words) if said and believed else (),
                details=details.get(entry.id, ()),
            )
            ranked.append(((-score, -strongest, -len(entry_hits), entry.id), match))
        ranked.sort(key=lambda pair: pair[0])
        return [match for _, match in ranked]

    def _evidence(self, text: str, hits: list[_Hit], numbering: _Numbering) -> tuple[Evidence, ...]:
        ordered = sorted(hits, key=lambda h: (-h.signature.weight * h.similarity, h.position))
        evidence: list[Evidence] = []
        seen: set[int] = set()
        for hit in ordered:
            if hit.position >= 0:
                number, line = line_at(text, hit.position)
                column = hit.position - (text.rfind("\n", 0, hit.position) + 1)
            else:
                number, line, column = hit.line_number, hit.line, 0
            number = numbering.user_line(number)
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


PROSE_HEAD_LINES = 200  # a long text's words are in its start (bot.scan keeps these lines whole)


def _head_lines(parsed: Normalised, line_numbers: Sequence[int] | None) -> list[tuple[int, str]]:
    """The numbered lines a paste's words are in: all of a paste, the start of anything longer.

    Fuzzy matching and the prose layer read these. A long text (or a big file's selection,
    bot.scan) is read in its first PROSE_HEAD_LINES lines, at most FUZZY_WINDOW characters: the
    same lines either way, so a big file gets the diagnosis of reading it whole.
    """
    text = parsed.text
    lines = text.split("\n")
    if line_numbers is None and len(text) <= FUZZY_MAX_TEXT:
        return list(enumerate(lines, start=1))
    kept: list[tuple[int, str]] = []
    size = 0
    for number, line in enumerate(lines, start=1):
        origin = parsed.origin(number)
        if line_numbers is not None:
            origin = line_numbers[origin - 1] if 0 < origin <= len(line_numbers) else origin
        size += len(line) + 1
        if origin > PROSE_HEAD_LINES or size > FUZZY_WINDOW:
            break
        kept.append((number, line))
    return kept


def _hit_lines(text: str, hits: dict[str, list[_Hit]]) -> frozenset[int]:
    """The lines a signature matched: AWS's words, not the writer's."""
    numbers = {hit.line_number for found in hits.values() for hit in found if hit.position < 0}
    positions = sorted(hit.position for found in hits.values() for hit in found if hit.position >= 0)
    numbers.update(text.count("\n", 0, position) + 1 for position in positions[:50])
    return frozenset(numbers)


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


_REPLY_SCAN = 256 * 1024


def _may_hold_reply(lowered: str) -> bool:
    head = lowered[:_REPLY_SCAN]
    return "http/" in head or "status code" in head


def _fits(entry: Entry, front: str, status: int) -> bool:
    """Whether `entry` can give `status` behind the front door `front` (per its applies_to).

    "unknown": any front door; "api-gateway" (described, REST or HTTP not said): either API."""
    doors = {"unknown": None, "api-gateway": ("rest", "http")}.get(front, (front,))
    return any(item.client_status == status and (doors is None or item.integration in doors)
               for item in entry.applies_to)


PROSE_FLOOR = REPORT_THRESHOLD  # a prose match at the threshold scores this
PROSE_CEILING = 0.75  # a certain prose match stays under the precise log markers (0.8 - 1.0)
VETO_PROOF_WEIGHT = 0.8  # a marker this strong is believed whatever the prose says


def _gates(params: dict[str, Any]) -> tuple[tuple[float, float], tuple[float, float]]:
    """(threshold, share against "none") a prose match must pass: for any entry, and for an
    entry that can give the status the text shows or describes. Words and status agreeing
    ("504 from API Gateway after 29 seconds") are two pieces of evidence: they may need less.
    Without the second pair's parameters, the first pair holds for both."""
    threshold = float(params.get("threshold", 1.0))
    against = float(params.get("against_none", 0.0))
    return (threshold, against), (float(params.get("threshold_fitting", threshold)),
                                  float(params.get("against_none_fitting", against)))


def _share(probability: float, other: float) -> float:
    """How much of the two probabilities is the first's (0 when both are 0)."""
    total = probability + other
    return probability / total if total > 0 else 0.0


def _prose_score(probability: float, threshold: float) -> float:
    """A prose probability at or over `threshold`, as a score between PROSE_FLOOR and PROSE_CEILING."""
    if probability < threshold or threshold >= 1.0:
        return 0.0
    share = (probability - threshold) / (1.0 - threshold)
    return PROSE_FLOOR + (PROSE_CEILING - PROSE_FLOOR) * share


class _Numbering:
    """Line numbers of the normalised text -> the user's own line numbers."""

    def __init__(self, parsed: Normalised, line_numbers: Sequence[int] | None) -> None:
        self._parsed = parsed
        self._given = line_numbers

    def user_line(self, number: int) -> int:
        if number <= 0:
            return number
        number = self._parsed.origin(number)
        if self._given is not None and 1 <= number <= len(self._given):
            return self._given[number - 1]
        return number


def lower_pattern(pattern: str) -> str:
    """`pattern` with letters outside escapes lower-cased, to search lower-cased text.

    Searching lower-cased text with a case-sensitive pattern lets `re` use its literal-prefix
    scan, which is an order of magnitude faster on big logs than re.IGNORECASE.
    """
    parts = _ESCAPE.split(pattern)  # text, escape, text, ...: escapes keep their case (\S, \W)
    parts[::2] = [part.translate(_ASCII_LOWER) for part in parts[::2]]
    return "".join(parts)


_ESCAPE = compile_cached(r"(\\.)")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@lru_cache(maxsize=1024)
def _compiled(pattern: str, flags: int = re.MULTILINE) -> re.Pattern[str]:
    return compile_cached(pattern, flags)


def clip(line: str, column: int, width: int = EVIDENCE_WIDTH) -> str:
    """At most `width` characters of `line`, keeping the part around `column` visible."""
    if len(line) <= width:
        return line
    start = max(0, min(column - width // 3, len(line) - width))
    piece = line[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(line) else "")


def _redacted(value: str | None) -> str | None:
    return redact(value) if value else value


REDACT_WINDOW = 4096  # characters redacted on each side of the evidence in a very long line


def _redacted_clip(line: str, column: int) -> str:
    """`line` redacted whole, then clipped around `column` (a position in the unredacted line).

    A very long line (a logged 10 MB body) is redacted in a window of REDACT_WINDOW characters
    around the evidence: far wider than what is shown, so a secret cut by the window's edge
    cannot reach the part shown, and the cost stays bounded.
    """
    indent = len(line) - len(line.lstrip())
    stripped = line.strip()
    column = max(0, column - indent)
    prefix = suffix = ""
    if len(stripped) > 2 * REDACT_WINDOW:
        start = max(0, column - REDACT_WINDOW)
        end = column + REDACT_WINDOW
        prefix = "…" if start else ""
        suffix = "…" if end < len(stripped) else ""
        stripped, column = stripped[start:end], column - start
    redacted = redact(stripped)
    if redacted != stripped:
        # Markers change lengths: keep the column at the same share of the line.
        column = int(column * len(redacted) / max(1, len(stripped)))
    clipped = clip(redacted, column)
    if prefix and not clipped.startswith("…"):
        clipped = "…" + clipped
    if suffix and not clipped.endswith("…"):
        clipped += "…"
    return clipped


def prose_of(text: str, skip: frozenset[int] = frozenset()) -> str:
    """The lines of `text` that are someone's words rather than log output.

    `skip`: numbers (1-based) of lines known to be log output, e.g. those a signature matched.
    """
    lines = []
    size = 0
    for number, line in enumerate(text.split("\n", 5000)[:5000], start=1):
        stripped = line.strip()
        if len(stripped) < 8 or number in skip or stripped[0] in _LOG_FIRST or _LOG_LINE.match(stripped):
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


class ScanSignature(Record):
    """A signature as `Matcher.diagnose` tests it, on lower-cased normalised text."""

    entry_id: str
    signature: Signature
    literal: str | None  # lower-cased; else `pattern` is set
    pattern: str | None  # Python syntax, for lower-cased text, matched per line
    literals: tuple[str, ...] | None  # one of these occurs in every match (None: unknown)
