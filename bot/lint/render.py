"""`badgateway lint` as text for a terminal, and as the JSON object of the contract."""

from __future__ import annotations

import json
import textwrap

from bot.lint.finding import LintReport

WIDTH = 100


def render_text(report: LintReport) -> str:
    lines: list[str] = []
    for finding in report.findings:
        entry = f" -> {finding.entry}" if finding.entry else ""
        lines.append(f"{finding.file}:{finding.line}: {finding.severity} [{finding.rule}]{entry} {finding.resource}")
        lines += textwrap.wrap(finding.message, WIDTH, initial_indent="    ", subsequent_indent="    ",
                               break_long_words=False, break_on_hyphens=False)
        if finding.fix:
            lines += textwrap.wrap(f"fix: {finding.fix}", WIDTH, initial_indent="    ", subsequent_indent="      ",
                                   break_long_words=False, break_on_hyphens=False)
        if finding.patch:
            lines += [f"        {line}" for line in finding.patch.split("\n")]  # code: never wrapped
        lines.append("")
    errors = sum(1 for f in report.findings if f.severity == "error")
    warnings = len(report.findings) - errors
    files = f"{len(report.files)} file{'s' if len(report.files) != 1 else ''}"
    if not report.files:
        lines.append("No template or plan among the files given.")
    elif not report.findings:
        lines.append(f"No problems found in {files}.")
    else:
        lines.append(f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''} "
                     f"in {files}.")
    return "\n".join(lines) + "\n"


def render_json(report: LintReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False) + "\n"
