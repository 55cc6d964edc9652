"""Run every rule on every input: load, expand SAM, build the model, check, sort."""

from __future__ import annotations

from bot.lint.finding import SEVERITIES, LintFinding, LintReport, Severity
from bot.lint.loaders import load_inputs
from bot.lint.model.model import Model
from bot.lint.sources import Source, Template


def build_model(source: Source, *, use_translator: bool = True) -> tuple[Model, str | None]:
    if isinstance(source, Template):
        from bot.lint.model.cloudformation import build
        from bot.lint.sam import expand

        resources, note = expand(source, use_translator=use_translator)
        return build(source, resources), note
    from bot.lint.model.terraform import build as build_terraform

    return build_terraform(source), None


def check_model(model: Model) -> list[LintFinding]:
    from bot.lint.rules import REGISTRY

    findings: list[LintFinding] = []
    for rule in REGISTRY.values():
        findings += rule.check(model)
    return findings


def lint_paths(paths: list[str], *, minimum: Severity = "warning", use_translator: bool = True,
               other_files_are_errors: bool = True) -> LintReport:
    sources = load_inputs(paths, other_files_are_errors=other_files_are_errors)
    findings: list[LintFinding] = []
    notes: list[str] = []
    for source in sources:
        model, note = build_model(source, use_translator=use_translator)
        if note:
            notes.append(f"{source.path}: {note}")
        findings += check_model(model)
    allowed = SEVERITIES[: SEVERITIES.index(minimum) + 1]
    kept = [f for f in findings if f.severity in allowed]
    order = {path: index for index, path in enumerate(s.path for s in sources)}
    kept.sort(key=lambda f: (order.get(f.file, 0), SEVERITIES.index(f.severity), f.line, f.rule, f.resource))
    return LintReport(tuple(dict.fromkeys(kept)), tuple(s.path for s in sources), tuple(notes))
