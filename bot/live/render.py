"""A CheckReport as a person reads it: in a terminal (text) or pasted into a ticket (markdown)."""

from __future__ import annotations

from bot.live.finding import STATUSES, CheckReport, Finding

HEADINGS = {
    "fail": "Failing",
    "error": "Could not check",
    "warn": "Warnings",
    "skip": "Skipped",
    "pass": "Passing",
}
MARKS = {"fail": "✗", "error": "!", "warn": "⚠", "skip": "-", "pass": "✓"}
MAX_PASSES_SHOWN = 12  # passes are the least urgent: summarise a long list


def summary_line(report: CheckReport) -> str:
    counts = report.counts()
    parts = [f"{counts[s]} {s}" for s in STATUSES if counts[s]]
    verdict = "problems found" if report.failed else "nothing fails"
    partial = "; PARTIAL: the time budget ran out" if report.partial else ""
    return (f"{verdict}: {', '.join(parts) or 'no findings'} "
            f"({report.aws_calls} AWS calls, {report.duration:.1f} s{partial})")


def header_line(report: CheckReport) -> str:
    api = report.api
    stages = ", ".join(report.stages) or "no deployed stage"
    name = f" ({api.name})" if api.name else ""
    return f"{api.protocol} API {api.id}{name} in {report.region}, stage(s) {stages}, last {report.since}"


def render_report(report: CheckReport, *, markdown: bool = False, verbose: bool = False) -> str:
    out: list[str] = []
    if markdown:
        out.append(f"## badgateway check: {header_line(report)}")
        out.append("")
        out.append(f"**{summary_line(report)}**")
    else:
        out.append(f"badgateway check: {header_line(report)}")
        out.append(summary_line(report))
    for status in STATUSES:
        findings = report.by_status(status)
        if not findings:
            continue
        out.append("")
        out.append(f"### {HEADINGS[status]} ({len(findings)})" if markdown else f"{HEADINGS[status]} ({len(findings)}):")
        shown = findings if (status != "pass" or verbose) else findings[:MAX_PASSES_SHOWN]
        for finding in shown:
            out.extend(_finding_lines(finding, markdown=markdown, detailed=status != "pass"))
        if len(shown) < len(findings):
            out.append(f"  ... and {len(findings) - len(shown)} more passing")
    return "\n".join(out) + "\n"


def _finding_lines(finding: Finding, *, markdown: bool, detailed: bool) -> list[str]:
    entry = f" [{finding.entry}]" if finding.entry else ""
    lines: list[str]
    if markdown:
        lines = [f"- **{finding.check}** · {finding.resource}{entry}: {finding.message}"]
        if detailed and finding.evidence:
            lines.append("  - evidence:")
            lines.extend(f"    > {line}" for line in finding.evidence)
        if detailed and finding.fix:
            lines.append("  - fix:")
            lines.append("    ```")
            lines.extend(f"    {line}" for line in finding.fix.splitlines())
            lines.append("    ```")
        return lines
    lines = [f"  {MARKS[finding.status]} {finding.check} · {finding.resource}{entry}", f"      {finding.message}"]
    if detailed and finding.evidence:
        lines.extend(f"      | {line}" for line in finding.evidence)
    if detailed and finding.fix:
        fix_lines = finding.fix.splitlines()
        lines.append(f"      fix: {fix_lines[0]}")
        lines.extend(f"           {line}" for line in fix_lines[1:])
    return lines
