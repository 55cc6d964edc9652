"""A CheckReport as a person reads it: in a terminal (text) or pasted into a ticket (markdown)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.live.finding import STATUSES, CheckReport, Finding

if TYPE_CHECKING:
    from bot.live.batch import BatchReport, Outcome

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
    name = f" ({api.name})" if api.name else ""
    plain = (api.id, api.name, f"{api.id} ({api.name})")
    asked = f" [from {report.target}]" if report.target and report.target not in plain else ""
    if api.protocol in ("REST", "HTTP"):
        stages = ", ".join(report.stages) or "no deployed stage"
        return f"{api.protocol} API {api.id}{name} in {report.region}, stage(s) {stages}, last {report.since}{asked}"
    what = {"ALB": "load balancer" if ":loadbalancer/" in api.id else "target group",
            "CloudFront": "CloudFront distribution", "FunctionURL": "function"}.get(api.protocol, api.protocol)
    return f"{what} {api.name or api.id} in {report.region}, last {report.since}{asked}"


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


# ------------------------------------------------------------------------------ several at once
def render_batch(batch: BatchReport, *, markdown: bool = False, verbose: bool = False) -> str:
    """The summary table first, then each report."""
    out = [summary_table(batch, markdown=markdown), ""]
    for report in batch.reports:
        out.append(render_report(report, markdown=markdown, verbose=verbose))
    return "\n".join(out).rstrip("\n") + "\n"


def summary_table(batch: BatchReport, *, markdown: bool = False) -> str:
    from bot.live.batch import failing_entries

    header = ("verdict", "target", "region", "fail", "warn", "error", "causes")
    rows: list[tuple[str, ...]] = []
    for outcome in sorted(batch.outcomes, key=_urgency):
        report = outcome.report
        if report is None:
            rows.append(("not checked", outcome.label, outcome.region, "", "", "", (outcome.problem or "")[:120]))
            continue
        counts = report.counts()
        verdict = "FAIL" if report.failed else ("warn" if counts["warn"] else "ok")
        if report.partial:
            verdict += " (partial)"
        rows.append((verdict, outcome.label, outcome.region, str(counts["fail"]), str(counts["warn"]),
                     str(counts["error"]), ", ".join(failing_entries(report))))
    checked = len(batch.reports)
    failing = sum(1 for report in batch.reports if report.failed)
    title = (f"{checked} checked, {failing} failing, {len(batch.outcomes) - checked} not checked "
             f"({sum(r.aws_calls for r in batch.reports) + batch.lookup_calls} AWS calls, {batch.duration:.1f} s)")
    if markdown:
        lines = [f"## badgateway check: {title}", "", "| " + " | ".join(header) + " |",
                 "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [f"badgateway check: {title}"]
    lines += ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in [header, *rows]]
    return "\n".join(lines) + "\n"


def _urgency(outcome: Outcome) -> int:
    report = outcome.report
    if report is None:
        return 3
    return 0 if report.failed else (1 if report.counts()["warn"] else 2)
