"""SARIF 2.1.0 for GitHub code scanning: one run, every rule with its help (the knowledge entry
it points to, where the knowledge base has it), results located by file, line and resource."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from bot import __version__
from bot.lint.finding import LintReport
from bot.lint.rules import REGISTRY, Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _entries() -> dict[str, Any]:
    try:
        from bot.core.kb.knowledge import load_knowledge

        return {entry.id: entry for entry in load_knowledge().entries}
    except Exception:  # the knowledge base is help text here: its absence must not stop the report
        return {}


def _help(rule: Rule, entries: dict[str, Any]) -> dict[str, str]:
    text = [rule.description]
    markdown = [f"**{rule.title}**", "", rule.description]
    entry = entries.get(rule.entry or "")
    if entry is not None:
        title, summary = entry.title.get("en", ""), entry.summary.get("en", "")
        steps = entry.fix.get("en", ())
        text += ["", f"Knowledge entry {entry.id}: {title}. {summary}"] + [f"{n}. {s}" for n, s in enumerate(steps, 1)]
        markdown += ["", f"Knowledge entry `{entry.id}`: {title}", "", summary, ""]
        markdown += [f"{n}. {s}" for n, s in enumerate(steps, 1)]
        markdown += ["", f"`badgateway kb show {entry.id}` has the whole entry."]
    elif rule.entry:
        text += ["", f"Knowledge entry: {rule.entry} (badgateway kb show {rule.entry})."]
        markdown += ["", f"Knowledge entry `{rule.entry}`: `badgateway kb show {rule.entry}`."]
    return {"text": "\n".join(text), "markdown": "\n".join(markdown)}


def _uri(path: str) -> str:
    """Relative to the working folder (the repository root in CI), with forward slashes."""
    absolute = os.path.abspath(path)
    here = os.getcwd()
    relative = os.path.relpath(absolute, here) if absolute.startswith(here + os.sep) else path
    return relative.replace(os.sep, "/")


def render_sarif(report: LintReport) -> str:
    entries = _entries()
    rules = list(REGISTRY.values())
    index = {rule.id: number for number, rule in enumerate(rules)}
    descriptors = [{
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": _help(rule, entries),
        "defaultConfiguration": {"level": rule.severity},
        "properties": {"tags": ["aws", "lambda", "api-gateway", "reliability"], "precision": "high",
                       "problem.severity": rule.severity, "knowledgeEntry": rule.entry},
    } for rule in rules]
    results = []
    for finding in report.findings:
        text = finding.message + (f"\nFix: {finding.fix}" if finding.fix else "")
        fingerprint = hashlib.sha256(f"{finding.rule}|{_uri(finding.file)}|{finding.resource}".encode()).hexdigest()
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": finding.severity,
            "message": {"text": text},
            "locations": [{
                "physicalLocation": {"artifactLocation": {"uri": _uri(finding.file), "uriBaseId": "%SRCROOT%"},
                                     "region": {"startLine": max(1, finding.line)}},
                "logicalLocations": [{"name": finding.resource, "kind": "resource"}],
            }],
            "partialFingerprints": {"badgateway/v1": fingerprint[:32]},
            "properties": {"knowledgeEntry": finding.entry},
        }
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        if finding.patch:
            result["properties"]["patch"] = finding.patch
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "badgateway", "version": __version__, "semanticVersion": __version__,
                                "rules": descriptors}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": _root_uri()}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _root_uri() -> str:
    path = os.getcwd().replace(os.sep, "/")
    return "file://" + (path if path.startswith("/") else "/" + path) + "/"
