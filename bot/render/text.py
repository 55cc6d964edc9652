"""A diagnosis as a person reads it: in a terminal (text) or pasted into a ticket (markdown)."""

from __future__ import annotations

from bot.core.diagnosis import Diagnosis, Match
from bot.core.kb.messages import (
    CONSISTENT,
    CONSISTENT_MORE,
    DESCRIBED,
    FRONT_NAMES,
    LABELS,
    NOTHING_FOUND,
    OBSERVED,
    client_statuses,
    next_steps,
)


def render_diagnosis(diagnosis: Diagnosis, *, markdown: bool = False, top: int | None = None) -> str:
    lang = diagnosis.language
    label = LABELS[lang]
    out: list[str] = []
    heading = "## " if markdown else ""
    subheading = "**{}**" if markdown else "{}:"
    if not diagnosis.found:
        out.append(f"{heading}{NOTHING_FOUND[lang]}")
        observed = diagnosis.observed
        if observed is not None:
            out.append("")
            out.extend(observed_lines(diagnosis))
        out.append("")
        out.append(subheading.format(label["collect"]))
        steps = next_steps(observed.front if observed else None, lang,
                           pasted=observed is None or observed.source == "pasted")
        out.extend(f"{n}. {step}" for n, step in enumerate(steps, start=1))
        out.extend(_notes(diagnosis))
        return "\n".join(out) + "\n"
    best = diagnosis.matches[0]
    entry = best.entry
    out.append(f"{heading}{entry.title[lang]}  [{entry.id}]")
    out.append(f"{label['client_sees']}: {client_statuses(entry, lang)}")
    out.append("")
    out.append(subheading.format(label["why"]))
    out.append(entry.summary[lang].strip())
    if entry.myth:
        out.append("")
        out.append(f"{label['myth']}: {entry.myth[lang].strip()}")
    if best.details:
        out.append("")
        out.append(subheading.format(label["response"]))
        for detail in best.details:
            fix = f" {detail.fix[lang]}" if detail.fix else ""
            path = f"`{detail.path}`" if markdown else detail.path
            out.append(f"- {path}: {detail.message[lang]}{fix}")
    out.append("")
    out.append(subheading.format(label["fix"]))
    out.extend(f"{n}. {step}" for n, step in enumerate(entry.fix[lang], start=1))
    sample = entry.sample_for(diagnosis.runtime)
    if sample is not None:
        out.append("")
        out.append(subheading.format(f"{label['sample']} ({sample.caption[lang]})"))
        code = sample.code_in(lang).rstrip()
        if markdown:
            out.append(f"```{sample.language}")
            out.append(code)
            out.append("```")
        else:
            out.extend("    " + line for line in code.split("\n"))
    if best.evidence:
        out.append("")
        out.append(subheading.format(label["evidence"]))
        for item in best.evidence[:2]:
            out.append(f"    line {item.line_number}: {item.line}" if not markdown else f"> {item.line}")
    elif best.keywords:  # recognised from the words alone: those words are the evidence
        out.append("")
        out.append(subheading.format(label["words"]))
        out.append(", ".join(best.keywords))
        out.append(label["words_only"])
    others = diagnosis.matches[1 : top if top else None]
    if others:
        out.append("")
        out.append(subheading.format(label["also"]))
        out.extend(_other(match, lang) for match in others)
    if entry.references:
        out.append("")
        out.append(subheading.format(label["docs"]))
        for ref in entry.references:
            out.append(f"- [{ref.title}]({ref.url})" if markdown else f"- {ref.title}: {ref.url}")
    out.extend(_notes(diagnosis))
    return "\n".join(out) + "\n"


CONSISTENT_SHOWN = 6


def observed_lines(diagnosis: Diagnosis) -> list[str]:
    """ "The response you pasted: REST API answered 502 (x-amzn-ErrorType ...)." (or "You describe
    ..."), then the causes that give that status there, if any."""
    observed = diagnosis.observed
    assert observed is not None
    lang = diagnosis.language
    error_type = f" ({observed.error_type})" if observed.error_type else ""
    front = FRONT_NAMES.get(observed.front, FRONT_NAMES["unknown"])[lang]
    said = DESCRIBED if observed.source == "described" else OBSERVED
    lines = [said[lang].format(front=front, status=observed.status, error_type=error_type)]
    if diagnosis.consistent_with:
        # The likeliest first (the prose layer's order); a long list helps nobody read it.
        shown, more = diagnosis.consistent_with[:CONSISTENT_SHOWN], len(diagnosis.consistent_with) - CONSISTENT_SHOWN
        tail = f", {CONSISTENT_MORE[lang].format(count=more)}" if more > 0 else ""
        lines.append(f"{CONSISTENT[lang]}: {', '.join(shown)}{tail}.")
    return lines


def _other(match: Match, lang: str) -> str:
    return f"- {match.entry.title[lang]} [{match.id}] ({LABELS[lang]['score']} {match.score:.2f})"


def _notes(diagnosis: Diagnosis) -> list[str]:
    return ["", *(f"({note})" for note in diagnosis.notes)] if diagnosis.notes else []
