"""Recent logs: the stage's execution log (REST) or access log (HTTP API) and each function's log
over `--since`, found by one Logs Insights query filtered server side by the knowledge base's
signatures (group by group with FilterLogEvents where Insights is denied), read by the same matcher
as `badgateway diagnose` -> findings with the entry and the evidence lines (redacted)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.live.checks.base import ALL_PROTOCOLS, Check, function_resource
from bot.live.finding import Finding

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import Stage
    from bot.live.logs import LogRead

MAX_CAUSES = 3
MAX_EVIDENCE = 3


class RecentLogs(Check):
    id = "recent_logs"
    title = "Recent log lines that say why requests failed"
    entry = None  # each finding names the entry the matcher recognised
    iam_actions = ("logs:StartQuery", "logs:GetQueryResults", "logs:FilterLogEvents")
    needs = frozenset({"execution_log", "function_log"})
    protocols = ALL_PROTOCOLS

    def run(self, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for stage in context.inventory.stages:
            resource = f"stage {stage.name}"
            findings += self.guarded(resource, lambda s=stage, r=resource: self._stage(context, s, r))
        for target in context.inventory.functions():
            resource = function_resource(target.label)
            findings += self.guarded(resource, lambda t=target, r=resource: self._read(context, context.function_log(t), r))
        if context.insights_fallback:
            findings.append(self._fallback(context.insights_fallback))
        return findings

    def _fallback(self, reason: str) -> Finding:
        denied = "access denied" in reason
        return self.finding(
            "warn", "logs",
            f"Logs Insights could not be used ({reason}): the log groups were read one by one with "
            "FilterLogEvents, the newest part of the window first, which can leave older lines of a busy "
            "group unread (the findings say when)",
            fix="Allow logs:StartQuery and logs:GetQueryResults for the identity running the check "
                "(see deploy/iam-policy.json)." if denied else None,
        )

    def _stage(self, context: CheckContext, stage: Stage, resource: str) -> list[Finding]:
        log = context.execution_log(stage)
        if log is None:
            return [self.finding("skip", resource, f"stage {stage.name} writes no access log to read (see the logging check)")]
        return self._read(context, log, resource)

    def _read(self, context: CheckContext, log: LogRead, resource: str) -> list[Finding]:
        from bot.core.matching.matcher import diagnose
        from bot.core.redact import redact

        window = context.options.since_label
        if not log.exists:
            return [self.finding("skip", resource, f"log group {log.group} does not exist (logging off, or never written)")]
        if not log.messages and log.more:
            return [self.finding("skip", resource, f"{log.group} was not read to the end within the budget "
                                 f"({_partial(log)}); nothing found in what was read")]
        if not log.messages:
            return [self.finding("pass", resource, f"no failure lines in {log.group} in the last {window}")]
        diagnosis = diagnose(log.text, lang="en")
        more = f" ({_partial(log)})" if log.more else ""
        if not diagnosis.found:
            tail = tuple(redact(line.strip())[:300] for line in log.messages[-2:])
            return [self.finding(
                "warn", resource,
                f"{len(log.messages)} failure-looking line(s) in {log.group} in the last {window}{more}, "
                "none of a known cause; read them with `badgateway diagnose`",
                evidence=tail,
            )]
        findings = []
        for match in diagnosis.matches[:MAX_CAUSES]:
            evidence = tuple(redact(item.line)[:300] for item in match.evidence[:MAX_EVIDENCE])
            findings.append(self.finding(
                "fail", resource,
                f"{match.entry.title['en']}: seen in {log.group} in the last {window}{more}",
                entry=match.id,
                fix=" ".join(f"{n}. {step.strip()}" for n, step in enumerate(match.entry.fix["en"][:3], start=1)) or None,
                evidence=evidence,
            ))
        return findings


def _partial(log: LogRead) -> str:
    if log.source == "insights":
        return "partial: the newest matching lines were read; the query matched more or did not finish"
    return "partial: the newest part of the window was read, older pages were not"
