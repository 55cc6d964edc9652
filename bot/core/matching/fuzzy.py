"""The line of a paste that a signature's literal fits best, as rapidfuzz's `extractOne` with
`partial_ratio` finds it, without scoring every line for every literal.

Scoring 40-odd literals against each of a long paste's lines took most of its diagnosis (1.5 ms
of 3). One `partial_ratio` of a literal against all the lines joined answers, for most literals,
that no line of at least the literal's length can reach the cutoff:
- such a line's score is its best window: one of the literal's length, or a shorter one at an
  edge of the line (its start or end);
- a full-length window of the line is one of the joined text, so the joined score is at least
  its score;
- a shorter edge window of length k with c characters in common scores 2c / (L + k) >= r (the
  cutoff, as a share): c <= k gives c / L >= r / (2 - r), and the line's own full-length window
  at that edge holds those c characters, so the joined text scores at least r / (2 - r).
So below r / (2 - r) (0.786 for 0.88) no long line reaches r. A line shorter than a literal is
the needle instead (`partial_ratio` turns them around) and the same reasoning holds with the
roles swapped: one `partial_ratio` of the line against every literal joined rules it out for all
of them at once. Whatever the screens leave is scored as before: the answer is always
extractOne's.
"""

from __future__ import annotations

from collections.abc import Sequence

SCREENED_FROM = 3  # lines: one or two are scored as quickly as screened


class Literals:
    """Every literal that may be asked about, joined once (a matcher makes this at its start)."""

    def __init__(self, literals: Sequence[str]) -> None:
        self.joined = "\n".join(literals)
        self.longest = max(map(len, literals), default=0)


class FuzzyLines:
    """The lines of a paste, ready to be asked which one each literal fits best."""

    def __init__(self, lines: Sequence[str], literals: Literals, cutoff: float) -> None:
        from rapidfuzz import fuzz, process  # imported here: most pastes never need it

        self._ratio, self._extract = fuzz.partial_ratio, process.extractOne
        self.lines = lines
        self.cutoff = cutoff
        share = cutoff / 100.0
        self._screen = 100.0 * share / (2.0 - share) - 0.01  # a hair lower: scores are floats
        self._joined = "\n".join(lines)
        self._literals = literals
        self._open: list[int] | None = None

    def best(self, literal: str) -> tuple[float, int] | None:
        """(score, index) of the line that `literal` fits best at the cutoff or above (the first
        on ties), or None: rapidfuzz's extractOne with partial_ratio."""
        lines = self.lines
        if len(lines) < SCREENED_FROM or self._ratio(literal, self._joined, score_cutoff=self._screen):
            found = self._extract(literal, lines, scorer=self._ratio, score_cutoff=self.cutoff)
            return None if found is None else (found[1], found[2])
        short = [number for number in self._open_short_lines() if len(lines[number]) < len(literal)]
        if not short:
            return None
        found = self._extract(literal, [lines[number] for number in short],
                              scorer=self._ratio, score_cutoff=self.cutoff)
        return None if found is None else (found[1], short[found[2]])

    def _open_short_lines(self) -> list[int]:
        """The lines that some literal longer than them may fit (found once per paste)."""
        if self._open is None:
            longest, joined, screen = self._literals.longest, self._literals.joined, self._screen
            self._open = [number for number, line in enumerate(self.lines)
                          if len(line) < longest and self._ratio(line, joined, score_cutoff=screen)]
        return self._open
