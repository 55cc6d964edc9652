"""A knowledge entry in full, for `badgateway kb show` and the generated index."""

from __future__ import annotations

from bot.core.kb.knowledge import Entry
from bot.core.kb.messages import LABELS, client_statuses


def render_entry(entry: Entry, lang: str, *, markdown: bool = False) -> str:
    label = LABELS[lang]
    h1, h2 = ("# ", "### ") if markdown else ("", "")
    sub = (lambda s: f"{h2}{s}") if markdown else (lambda s: f"{s}:")
    out = [f"{h1}{entry.title[lang]}  [{entry.id}]", f"{label['client_sees']}: {client_statuses(entry, lang)}"]
    for applies in entry.applies_to:
        if applies.note:
            out.append(f"  ({applies.integration}) {applies.note[lang]}")
    out += ["", sub(label["why"]), entry.summary[lang].strip()]
    if entry.myth:
        out += ["", f"{label['myth']}: {entry.myth[lang].strip()}"]
    out += ["", sub(label["causes"])]
    out += [f"- {cause}" for cause in entry.causes[lang]]
    out += ["", sub(label["fix"])]
    out += [f"{n}. {step}" for n, step in enumerate(entry.fix[lang], start=1)]
    for sample in entry.samples:
        out += ["", sub(f"{label['sample']}: {sample.caption[lang]}")]
        code = sample.code_in(lang).rstrip()
        if markdown:
            out += [f"```{sample.language}", code, "```"]
        else:
            out += ["    " + line for line in code.split("\n")]
    out += ["", sub(label["docs"])]
    out += [f"- [{r.title}]({r.url})" if markdown else f"- {r.title}: {r.url}" for r in entry.references]
    return "\n".join(out) + "\n"
