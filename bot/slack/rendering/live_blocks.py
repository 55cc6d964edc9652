"""A live CheckReport as a Slack Block Kit message, within Slack's limits.

Pure: report in, `SlackMessage` out. Failing findings first, each with its fix (real values, in a
code block) and evidence; warnings and errors next; passes and skips summed up in context lines.
The message always fits: at most 50 blocks, sections of at most 3000 characters, a header of at
most 150, under 12,000 characters in all with the fallback text. What does not fit is counted in
a last line that says how to see everything.
"""

from __future__ import annotations

from typing import Any

from bot.live.finding import CheckReport, Finding
from bot.slack.rendering.blocks import SlackMessage, cut_text, text_length
from bot.slack.rendering.texts import escape, template

MAX_BLOCKS = 50
MAX_HEADER = 150
MAX_SECTION = 3000
MAX_CONTEXT_ELEMENT = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_TOTAL_TEXT = 12_000  # blocks' text plus the fallback, strictly under this
MAX_FALLBACK = 500
MAX_EVIDENCE_LINES = 3
MAX_SUMMARY_LINES = 40  # passes / skips listed by name, then counted

ICONS = {"fail": ":x:", "error": ":warning:", "warn": ":large_orange_diamond:", "skip": ":heavy_minus_sign:",
         "pass": ":white_check_mark:"}
DETAILED = ("fail", "error", "warn")


def render_check_report(report: CheckReport, *, image: dict[str, Any] | None = None) -> SlackMessage:
    """The /502 reply. `image`: an optional Block Kit image block (the CloudWatch graph)."""
    fallback = cut_text(_fallback(report), MAX_FALLBACK)
    head = [_header(report), _context([escape(_where(report))]), _section(_summary(report))]
    tail: list[dict[str, Any]] = []
    if image is not None:
        tail.append(image)
    tail += _summaries(report)
    detailed = [f for status in DETAILED for f in report.by_status(status)]

    blocks = list(head)
    budget = MAX_TOTAL_TEXT - 1 - len(fallback) - text_length(head) - text_length(tail) - 200  # 200: the note
    room = MAX_BLOCKS - len(head) - len(tail) - 1
    left_out = 0
    for finding in detailed:
        if room <= 0:
            left_out += 1
            continue
        for variant in (_finding_section(finding, full=True), _finding_section(finding, full=False)):
            size = text_length([variant])
            if size <= budget:
                blocks.append(variant)
                budget -= size
                room -= 1
                break
        else:
            left_out += 1
    blocks += tail
    if left_out:
        blocks.append(_context([escape(
            f"{left_out} more finding(s) did not fit here: run `badgateway check {report.api.id} --region "
            f"{report.region}` for all of them."
        )]))
    return SlackMessage(text=fallback, blocks=tuple(blocks), shortened=bool(left_out))


def verdict_text(summary: dict[str, Any], lang: str) -> str:
    """"2 failing (missing-invoke-permission)", or "nothing fails": for App Home and alarms."""
    fails = int(summary.get("fail") or 0)
    if not fails:
        return template(lang, "live_verdict_passing")
    entries = [str(e) for e in summary.get("entries") or ()][:5]
    causes = f" ({', '.join(entries)})" if entries else ""
    return template(lang, "live_verdict_failing").format(count=fails) + causes


# -- pieces -------------------------------------------------------------------------------------


def _fallback(report: CheckReport) -> str:
    counts = report.counts()
    entries = sorted({f.entry for f in report.by_status("fail") if f.entry})
    causes = f" ({', '.join(entries)})" if entries else ""
    verdict = f"{counts['fail']} failing" if counts["fail"] else "nothing fails"
    return escape(f"badgateway check {report.api.id}: {verdict}, {counts['warn']} warning(s){causes}")


def _header(report: CheckReport) -> dict[str, Any]:
    api = report.api
    name = f" ({api.name})" if api.name else ""
    mark = "502 check" if report.failed else "502 check: nothing fails"
    text = cut_text(f"{mark}: {api.protocol} API {api.id}{name}", MAX_HEADER)
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def _where(report: CheckReport) -> str:
    stages = ", ".join(report.stages) or "no deployed stage"
    return (f"{report.region} · stage(s) {stages} · last {report.since} · {report.aws_calls} AWS calls · "
            f"{report.duration:.1f} s" + (" · PARTIAL: time budget ran out" if report.partial else ""))


def _summary(report: CheckReport) -> str:
    counts = report.counts()
    parts = []
    for status, label in (("fail", "failing"), ("error", "could not check"), ("warn", "warning(s)"),
                          ("pass", "passing"), ("skip", "skipped")):
        if counts[status]:
            parts.append(f"*{counts[status]} {label}*" if status in ("fail", "error") else f"{counts[status]} {label}")
    return ", ".join(parts) or "no findings"


def _finding_section(finding: Finding, *, full: bool) -> dict[str, Any]:
    entry = f" `{escape(finding.entry)}`" if finding.entry else ""
    lines = [f"{ICONS[finding.status]} *{escape(finding.check)}* · {escape(finding.resource)}{entry}",
             escape(finding.message)]
    if full and finding.evidence:
        # Cut, then escape: cutting escaped text can leave half an entity ("&l").
        lines += [f"> {escape(line[:300])}" for line in finding.evidence[:MAX_EVIDENCE_LINES]]
    if finding.fix:
        fix = escape(finding.fix) if full else escape(finding.fix.splitlines()[0])
        lines.append(f"```{fix}```")
    return _section("\n".join(lines))


def _summaries(report: CheckReport) -> list[dict[str, Any]]:
    """Passes and skips, one short line each, in context blocks (at most 10 elements each)."""
    blocks = []
    for status, label in (("skip", "Skipped"), ("pass", "Passing")):
        findings = report.by_status(status)
        if not findings:
            continue
        lines = [f"{ICONS[status]} {f.check} · {f.resource}" for f in findings[:MAX_SUMMARY_LINES]]
        if len(findings) > MAX_SUMMARY_LINES:
            lines.append(f"… and {len(findings) - MAX_SUMMARY_LINES} more")
        elements = [f"*{label}*"]
        chunk = ""
        for line in lines:
            candidate = f"{chunk}\n{escape(line)}" if chunk else escape(line)
            if len(candidate) > MAX_CONTEXT_ELEMENT:
                elements.append(chunk)
                chunk = escape(line)
            else:
                chunk = candidate
        if chunk:
            elements.append(chunk)
        blocks.append(_context(elements[:MAX_CONTEXT_ELEMENTS]))
    return blocks


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut_text(mrkdwn, MAX_SECTION)}}


def _context(texts: list[str]) -> dict[str, Any]:
    return {"type": "context",
            "elements": [{"type": "mrkdwn", "text": cut_text(t, MAX_CONTEXT_ELEMENT)} for t in texts]}
