"""badgateway's lint rules as cfn-lint rules (cfn-lint is optional: this module needs it, nothing
else in badgateway does). The plugin module, bot.lint.cfn_lint_plugin, holds only the rule
classes, because cfn-lint instantiates every rule class it finds there."""

from __future__ import annotations

import json
import os
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from bot.lint.engine import build_model, check_model
from bot.lint.finding import LintFinding
from bot.lint.rules import REGISTRY, Rule
from bot.lint.sources import LineMap, Template

_CACHE_ATTRIBUTE = "_badgateway_findings"


def findings_for(cfn: Any) -> list[LintFinding]:
    """Every badgateway finding for cfn-lint's template, computed once and shared by the rules."""
    cached = getattr(cfn, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    filename = str(getattr(cfn, "filename", None) or "template")
    data = json.loads(json.dumps(cfn.template, default=str))  # plain dicts, without cfn-lint's marks
    template = Template(filename, "cloudformation", data, LineMap(), os.path.dirname(os.path.abspath(filename)))
    if template.is_sam:
        template.kind = "sam"
    model, _ = build_model(template)
    findings = check_model(model)
    setattr(cfn, _CACHE_ATTRIBUTE, findings)
    return findings


def _rule_class(rule: Rule) -> type:
    def match(self: CloudFormationLintRule, cfn: Any) -> list[RuleMatch]:
        matches = []
        for finding in findings_for(cfn):
            if finding.rule != rule.id:
                continue
            text = f"{finding.message} [badgateway {rule.id}" + (f", entry {finding.entry}]" if finding.entry else "]")
            matches.append(RuleMatch(["Resources", finding.resource], text))
        return matches

    name = "Badgateway" + "".join(part.capitalize() for part in rule.id.split("-"))
    return type(name, (CloudFormationLintRule,), {
        "id": rule.cfn_lint_id,
        "shortdesc": rule.title,
        "description": rule.description,
        "source_url": "",
        "tags": ["badgateway", "lambda", "apigateway"],
        "match": match,
        "__module__": "bot.lint.cfn_lint_plugin",
    })


def rule_classes() -> dict[str, type]:
    classes = {}
    for rule in REGISTRY.values():
        cls = _rule_class(rule)
        classes[cls.__name__] = cls
    return classes
