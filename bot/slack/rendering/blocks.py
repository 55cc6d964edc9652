"""A diagnosis, an entry, and the bot's other answers as Slack Block Kit messages.

Pure: data in, `SlackMessage` out. Every message goes through `_fit`, which keeps it inside
Slack's limits (see LIMITS) whatever the entry or the paste: long parts are cut or left out, and
a note says so, so Slack never rejects a reply. Text that came from the user is escaped.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from bot.core.diagnosis import Diagnosis, Match
from bot.core.kb.knowledge import Entry, KnowledgeBase, Sample
from bot.core.kb.messages import LABELS, NOTHING_FOUND, client_statuses, next_steps
from bot.slack.rendering.texts import escape, say
from bot.slack.state.reply_state import ReplyState, diagnosis_metadata

MAX_BLOCKS = 50
MAX_HEADER = 150
MAX_SECTION = 3000
MAX_CONTEXT_ELEMENT = 2000
MAX_BUTTON_TEXT = 75
MAX_TOTAL_TEXT = 12000  # all text of the blocks plus the fallback `text`, strictly under this
MAX_FALLBACK = 3500  # the plain reply when Slack refuses the blocks
MAX_OTHER_CAUSES = 8

ACTION_SWITCH_LANGUAGE = "badgateway_switch_language"
ACTION_OTHER_CAUSES = "badgateway_other_causes"
ACTION_HELPFUL = "badgateway_feedback_helpful"
ACTION_NOT_HELPFUL = "badgateway_feedback_not_helpful"
ACTION_SHARE_TEXT = "badgateway_share_text"  # under the thanks: the author adds their redacted text

DEFAULT_RUNTIMES = ("nodejs", "python")  # the sample shown when the log does not reveal a runtime


@dataclass(frozen=True)
class SlackMessage:
    text: str  # the plain fallback: notifications, screen readers, clients without blocks
    blocks: tuple[dict[str, Any], ...]
    metadata: dict[str, Any] | None = None
    shortened: bool = False

    def post_kwargs(self) -> dict[str, Any]:
        """Arguments for chat.postMessage / chat.update."""
        kwargs: dict[str, Any] = {"text": self.text, "blocks": list(self.blocks)}
        if self.metadata is not None:
            kwargs["metadata"] = self.metadata
        return kwargs


@dataclass
class _Part:
    block: dict[str, Any]
    drop_rank: int = 0  # 0: always kept; otherwise dropped first when the message is too long
    cut_first: bool = False  # shortened before anything is dropped (code samples)


# -- diagnosis ---------------------------------------------------------------------------------


def render_diagnosis(diagnosis: Diagnosis, *, key: str = "") -> SlackMessage:
    """The reply to a paste: the best cause in full, then buttons; or what to collect next."""
    lang = diagnosis.language
    label = LABELS[lang]
    state = ReplyState.of(diagnosis, key)
    metadata = diagnosis_metadata(diagnosis)
    if not diagnosis.found:
        observed = diagnosis.observed
        parts = [
            _Part(_header(NOTHING_FOUND[lang])),
            *([_Part(_section(escape(_observed(diagnosis))))] if observed is not None else []),
            _Part(_section(say(lang, "what_to_paste"))),
            _Part(_section(f"*{label['collect']}*\n"
                           + _numbered(next_steps(observed.front if observed else None, lang,
                                                     pasted=observed is None or observed.source == "pasted")))),
            *_note_parts(diagnosis.notes),
            _Part(_actions(diagnosis, state)),
        ]
        return _fit(parts, escape(NOTHING_FOUND[lang]), lang, None, metadata)
    best = diagnosis.matches[0]
    entry = best.entry
    parts = [
        _Part(_header(entry.title[lang])),
        _Part(_context(f"`{entry.id}` · {label['client_sees']}: {escape(client_statuses(entry, lang))}")),
        _Part(_section(f"*{label['why']}*\n{escape(entry.summary[lang].strip())}")),
    ]
    if best.details:
        parts.append(_Part(_section(f"*{label['response']}*\n" + _details(best, lang)), drop_rank=5))
    parts.append(_Part(_section(f"*{label['fix']}*\n" + _numbered(entry.fix[lang]))))
    sample = sample_for(entry, diagnosis.runtime)
    if sample is not None:
        parts.append(_Part(_section(_sample_text(sample, lang, label["sample"])), drop_rank=2, cut_first=True))
    if best.evidence:
        parts.append(_Part(_section(f"*{label['evidence']}*\n" + _evidence(best, lang)), drop_rank=4))
    elif best.keywords:  # recognised from the words alone: those words are the evidence
        words = ", ".join(f"`{escape(word).replace('`', '')}`" for word in best.keywords)
        parts.append(_Part(_context(f"{label['words']}: {words}\n{label['words_only']}"), drop_rank=4))
    if entry.myth:
        parts.append(_Part(_section(f"*{label['myth']}:* {escape(entry.myth[lang].strip())}"), drop_rank=1))
    if entry.references:
        parts.append(_Part(_section(f"*{label['docs']}*\n" + _links(entry)), drop_rank=3))
    parts.extend(_note_parts(diagnosis.notes))
    parts.append(_Part(_actions(diagnosis, state)))
    fallback = escape(f"{entry.title[lang]} [{entry.id}]: {_first_sentence(entry.summary[lang])}")
    return _fit(parts, fallback, lang, entry.id, metadata)


def render_plain(diagnosis: Diagnosis) -> str:
    """The whole reply as plain text, for when Slack refuses the blocks (invalid_blocks)."""
    from bot.render.text import render_diagnosis as render_text

    text = escape(render_text(diagnosis).strip())
    if len(text) > MAX_FALLBACK:
        text = cut_text(text, MAX_FALLBACK - 40) + "\n" + say(diagnosis.language, "shortened_plain")
    return text


def render_other_causes(diagnosis: Diagnosis) -> SlackMessage:
    """The causes after the first, one short section each (the 'other likely causes' button)."""
    lang = diagnosis.language
    others = diagnosis.matches[1 : 1 + MAX_OTHER_CAUSES]
    title = say(lang, "other_causes_title")
    if not others:
        return render_notice(say(lang, "no_other_causes"), lang)
    parts = [_Part(_header(title))]
    for match in others:
        entry = match.entry
        parts.append(_Part(_section(
            f"*{escape(entry.title[lang])}*  `{entry.id}` ({LABELS[lang]['score']} {match.score:.2f})\n"
            f"{escape(_first_sentence(entry.summary[lang]))}\n`/502 show {entry.id}`"
        )))
    return _fit(parts, escape(f"{title}: " + ", ".join(m.id for m in others)), lang)


def sample_for(entry: Entry, runtime: str | None) -> Sample | None:
    """The sample for the runtime the log revealed; else a Node.js or Python one; else the first."""
    for wanted in ((runtime,) if runtime else ()) + DEFAULT_RUNTIMES:
        for sample in entry.samples:
            if sample.runtime == wanted:
                return sample
    return entry.sample_for(runtime)


# -- entries and commands ----------------------------------------------------------------------


def render_entry(entry: Entry, lang: str) -> SlackMessage:
    """One knowledge entry in full (`/502 show ID`)."""
    label = LABELS[lang]
    parts = [
        _Part(_header(entry.title[lang])),
        _Part(_context(f"`{entry.id}` · {label['client_sees']}: {escape(client_statuses(entry, lang))}")),
        _Part(_section(f"*{label['why']}*\n{escape(entry.summary[lang].strip())}")),
        _Part(_section(f"*{label['causes']}*\n" + "\n".join(f"• {escape(c)}" for c in entry.causes[lang])),
              drop_rank=4),
        _Part(_section(f"*{label['fix']}*\n" + _numbered(entry.fix[lang]))),
    ]
    # Samples past the first are the first thing to go when the entry is long.
    for number, sample in enumerate(entry.samples):
        parts.append(_Part(_section(_sample_text(sample, lang, label["sample"])),
                           drop_rank=2 if number else 3, cut_first=True))
    if entry.myth:
        parts.append(_Part(_section(f"*{label['myth']}:* {escape(entry.myth[lang].strip())}"), drop_rank=1))
    if entry.references:
        parts.append(_Part(_section(f"*{label['docs']}*\n" + _links(entry)), drop_rank=5))
    return _fit(parts, escape(f"{entry.title[lang]} [{entry.id}]"), lang, entry.id)


def render_list(knowledge: KnowledgeBase, lang: str) -> SlackMessage:
    lines = [
        f"• `{entry.id}`  {escape(entry.title[lang])} ({escape(client_statuses(entry, lang))})"
        for entry in knowledge.entries
    ]
    title = say(lang, "list_title", count=len(lines))
    parts = [_Part(_header(title))]
    chunk: list[str] = []
    for line in lines:  # several sections rather than one cut section
        if chunk and len("\n".join([*chunk, line])) > MAX_SECTION:
            parts.append(_Part(_section("\n".join(chunk))))
            chunk = []
        chunk.append(line)
    if chunk:
        parts.append(_Part(_section("\n".join(chunk))))
    parts.append(_Part(_context("`/502 show ENTRY-ID`")))
    return _fit(parts, escape(title), lang)


def render_help(lang: str) -> SlackMessage:
    title = say(lang, "help_title")
    return _fit([_Part(_header(title)), _Part(_section(say(lang, "help")))], escape(title), lang)


def render_thanks(lang: str, share_value: str | None) -> SlackMessage:
    """The thanks for a verdict; with `share_value`, the offer to add the message's redacted text."""
    if share_value is None:
        return render_notice(say(lang, "feedback_thanks"), lang)
    parts = [_Part(_section(say(lang, "feedback_thanks") + "\n" + say(lang, "feedback_share_ask"))),
             _Part({"type": "actions", "block_id": "badgateway_share",
                    "elements": [_button(say(lang, "feedback_share_button"), ACTION_SHARE_TEXT, share_value)]})]
    return _fit(parts, _unformat(say(lang, "feedback_thanks")), lang)


def render_notice(mrkdwn: str, lang: str = "en") -> SlackMessage:
    """One short message (a refusal, a notice); `mrkdwn` must already be escaped."""
    return _fit([_Part(_section(mrkdwn))], _unformat(mrkdwn), lang)


# -- limits -------------------------------------------------------------------------------------


def text_length(blocks: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> int:
    """All the characters of text in `blocks` (text objects, button labels, fields)."""
    total = 0

    def walk(node: Any) -> None:
        nonlocal total
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str):
                total += len(node["text"])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(list(blocks))
    return total


def limit_problems(message: SlackMessage) -> list[str]:
    """Every Block Kit limit `message` breaks (empty when Slack will take it)."""
    problems = []
    if not message.text.strip():
        problems.append("no fallback text")
    if len(message.blocks) > MAX_BLOCKS:
        problems.append(f"{len(message.blocks)} blocks > {MAX_BLOCKS}")
    total = text_length(message.blocks) + len(message.text)
    if total >= MAX_TOTAL_TEXT:
        problems.append(f"total text {total} >= {MAX_TOTAL_TEXT}")
    for number, block in enumerate(message.blocks):
        kind = block.get("type")
        if kind == "header" and len(block["text"]["text"]) > MAX_HEADER:
            problems.append(f"block {number}: header {len(block['text']['text'])} > {MAX_HEADER}")
        if kind == "section" and len(block["text"]["text"]) > MAX_SECTION:
            problems.append(f"block {number}: section {len(block['text']['text'])} > {MAX_SECTION}")
        if kind == "context":
            for element in block["elements"]:
                if len(element["text"]) > MAX_CONTEXT_ELEMENT:
                    problems.append(f"block {number}: context element too long")
        if kind == "actions":
            for element in block["elements"]:
                if len(element["text"]["text"]) > MAX_BUTTON_TEXT or len(element.get("value", "")) > 2000:
                    problems.append(f"block {number}: button text or value too long")
    return problems


def _fit(
    parts: list[_Part],
    fallback: str,
    lang: str,
    entry_id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> SlackMessage:
    """Cut each block to its limit, then the whole message to MAX_TOTAL_TEXT, noting any cut.

    `fallback` is the plain `text`, already escaped.
    """
    fallback = cut_text(fallback.strip() or "badgateway", 500)
    shortened = False
    for part in parts:
        shortened |= _clamp(part.block)
    note = _context(say(lang, "shortened", entry=entry_id) if entry_id else say(lang, "shortened_plain"))
    # Room for the note, whether or not it ends up needed.
    budget = MAX_TOTAL_TEXT - 1 - len(fallback) - text_length([note])

    def total() -> int:
        return text_length([p.block for p in parts])

    for part in sorted((p for p in parts if p.cut_first), key=lambda p: -p.drop_rank):
        if total() <= budget:
            break
        excess = total() - budget
        text = part.block["text"]["text"]
        part.block["text"]["text"] = cut_text(text, max(200, len(text) - excess))
        shortened = True
    for part in sorted((p for p in parts if p.drop_rank), key=lambda p: p.drop_rank):
        if total() <= budget:
            break
        parts.remove(part)
        shortened = True
    sections = [p for p in parts if p.block["type"] == "section"]
    while sections and total() > budget:  # only essentials left and still too long: cut the longest
        longest = max(sections, key=lambda p: len(p.block["text"]["text"]))
        text = longest.block["text"]["text"]
        longest.block["text"]["text"] = cut_text(text, max(100, len(text) - (total() - budget)))
        shortened = True
        if len(text) <= 100:
            break
    blocks = [p.block for p in parts]
    if shortened:
        # Before the buttons, if any, so they stay last.
        position = len(blocks) - 1 if blocks and blocks[-1]["type"] == "actions" else len(blocks)
        blocks.insert(position, note)
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + blocks[-1:]
        shortened = True
    return SlackMessage(text=fallback, blocks=tuple(blocks), metadata=metadata, shortened=shortened)


def _clamp(block: dict[str, Any]) -> bool:
    """Cut `block`'s texts to their own limits; True when something was cut."""
    cut = False
    kind = block["type"]
    if kind in ("header", "section"):
        limit = MAX_HEADER if kind == "header" else MAX_SECTION
        text = block["text"]["text"]
        if len(text) > limit:
            block["text"]["text"] = cut_text(text, limit)
            cut = True
    elif kind == "context":
        for element in block["elements"]:
            if len(element["text"]) > MAX_CONTEXT_ELEMENT:
                element["text"] = cut_text(element["text"], MAX_CONTEXT_ELEMENT)
                cut = True
    return cut


def cut_text(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, ending in '…', with an open code block closed."""
    if len(text) <= limit:
        return text
    piece = text[: max(0, limit - 5)]
    newline = piece.rfind("\n")
    if newline > len(piece) * 0.8:  # prefer a whole line
        piece = piece[:newline]
    amp = piece.rfind("&")
    if amp >= len(piece) - 5 and ";" not in piece[amp:]:  # never half an entity
        piece = piece[:amp]
    piece += "…"
    if piece.count("```") % 2:
        piece += "\n```"
    return piece


# -- pieces -------------------------------------------------------------------------------------


def _header(text: str) -> dict[str, Any]:
    # plain_text is shown as is (Slack parses no links or mentions in it): no escaping.
    return {"type": "header", "text": {"type": "plain_text", "text": text.strip() or "-", "emoji": True}}


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def _context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}


def _note_parts(notes: tuple[str, ...]) -> list[_Part]:
    return [_Part(_context(escape(note)), drop_rank=6) for note in notes[:5]]


def _numbered(steps: tuple[str, ...]) -> str:
    return "\n".join(f"{n}. {escape(step)}" for n, step in enumerate(steps, start=1))


def _sample_text(sample: Sample, lang: str, label: str) -> str:
    code = sample.code_in(lang).rstrip().replace("```", "'''")
    return f"*{label}: {escape(sample.caption[lang])}*\n```{escape(code)}```"


def _observed(diagnosis: Diagnosis) -> str:
    """The pasted response's front and status, and the causes that give that status there."""
    from bot.render.text import observed_lines

    return "\n".join(observed_lines(diagnosis))


def _evidence(match: Match, lang: str) -> str:
    lines = [
        f"{say(lang, 'evidence_line', number=item.line_number)}: {item.line}" for item in match.evidence[:3]
    ]
    # Evidence is the user's own text (already redacted by the core): escaped, in a code block.
    return "```" + escape("\n".join(lines).replace("```", "'''")) + "```"


def _details(match: Match, lang: str) -> str:
    out = []
    for detail in match.details[:10]:
        fix = f" {escape(detail.fix[lang])}" if detail.fix else ""
        out.append(f"• `{escape(detail.path).replace('`', '')}`: {escape(detail.message[lang])}{fix}")
    return "\n".join(out)


def _links(entry: Entry) -> str:
    return "\n".join(
        f"• <{escape(ref.url)}|{escape(ref.title).replace('|', '/')}>" for ref in entry.references
    )


def _actions(diagnosis: Diagnosis, state: ReplyState) -> dict[str, Any]:
    lang = diagnosis.language
    other = "it" if lang == "en" else "en"
    elements = [_button(say(lang, "switch_language"), ACTION_SWITCH_LANGUAGE,
                        dataclasses.replace(state, language=other).to_value())]
    if len(diagnosis.matches) > 1:
        elements.append(_button(say(lang, "other_causes", count=len(diagnosis.matches) - 1),
                                ACTION_OTHER_CAUSES, state.to_value()))
    elements.append(_button(say(lang, "helpful"), ACTION_HELPFUL, state.to_value(), style="primary"))
    elements.append(_button(say(lang, "not_helpful"), ACTION_NOT_HELPFUL, state.to_value()))
    return {"type": "actions", "block_id": "badgateway_actions", "elements": elements}


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text[:MAX_BUTTON_TEXT], "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _first_sentence(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    if 0 <= end < limit:
        return text[: end + 1]
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _unformat(mrkdwn: str) -> str:
    return mrkdwn.replace("*", "").replace("`", "")

