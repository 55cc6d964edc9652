"""Where users already lint: the cfn-lint plugin and the pre-commit hook; and every rule's
knowledge entry is in the catalog and the knowledge base."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.lint.rules import REGISTRY
from tests.conftest import ROOT, SHARED
from tests.lint.conftest import BROKEN, PATTERNS

CFN_LINT = Path(sys.executable).parent / "cfn-lint"


def _cfn_lint(*paths: Path) -> subprocess.CompletedProcess[str]:
    if not CFN_LINT.is_file():
        pytest.skip("cfn-lint is not installed (it is in the dev extra)")
    return subprocess.run([str(CFN_LINT), "-a", "bot.lint.cfn_lint_plugin", "--format", "parseable", "--",
                           *[str(p) for p in paths]], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_cfn_lint_plugin_reports_the_same_rules_as_lint():
    from bot.lint.engine import lint_paths

    paths = [BROKEN / "rest-no-permission.yaml", BROKEN / "authorizer-no-permission" / "template.yaml",
             BROKEN / "rest-proxy-get.yaml", BROKEN / "sam-definitionbody-no-event.yaml"]
    result = _cfn_lint(*paths)
    ours = {rule.cfn_lint_id: rule.id for rule in REGISTRY.values()}
    reported = set()
    for line in result.stdout.splitlines():
        file, _line, _, _, _, rule_id, message = line.split(":", 6)
        if rule_id in ours:
            assert f"[badgateway {ours[rule_id]}" in message
            reported.add((Path(file).name if "authorizer" not in file else "authorizer", ours[rule_id]))
    expected = set()
    for path in paths:
        for finding in lint_paths([str(path)]).findings:
            expected.add((path.name if "authorizer" not in str(path) else "authorizer", finding.rule))
    assert reported == expected
    assert result.returncode != 0  # cfn-lint's exit code says errors were found


def test_cfn_lint_plugin_is_quiet_on_a_template_without_mistakes():
    result = _cfn_lint(PATTERNS / "rest-execution-and-access-logs" / "template.yaml")
    ours = {rule.cfn_lint_id for rule in REGISTRY.values()}
    assert not [line for line in result.stdout.splitlines() if line.split(":")[5:6] and line.split(":")[5] in ours]


def test_cfn_lint_ids_are_custom_and_match_the_severity():
    ids = [rule.cfn_lint_id for rule in REGISTRY.values()]
    assert len(set(ids)) == len(ids)
    for rule in REGISTRY.values():
        assert re.fullmatch(r"[EW]9\d{3}", rule.cfn_lint_id)
        assert rule.cfn_lint_id[0] == {"error": "E", "warning": "W"}[rule.severity]


def test_the_plugin_module_holds_only_rule_classes():
    pytest.importorskip("cfnlint")
    import inspect

    import bot.lint.cfn_lint_plugin as plugin

    classes = [obj for _, obj in inspect.getmembers(plugin, inspect.isclass)]
    assert len(classes) == len(REGISTRY)
    assert {cls.id for cls in classes} == {rule.cfn_lint_id for rule in REGISTRY.values()}


def test_pre_commit_hook_runs_badgateway_lint():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "badgateway-lint" and hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["badgateway", "lint"]
    assert re.search(hook["files"], "template.yaml") and re.search(hook["files"], "cdk.out/Stack.template.json")
    assert not re.search(hook["files"], "app.py")
    result = subprocess.run([sys.executable, "-m", "bot", *hook["entry"].split()[1:], "pyproject.toml",
                             str(BROKEN / "rest-no-permission.yaml")], capture_output=True, cwd=ROOT, timeout=120)
    assert result.returncode == 1


CATALOG = next((p / "catalog.md" for p in (SHARED, ROOT.parent.parent / "shared") if (p / "catalog.md").is_file()),
               SHARED / "catalog.md")  # a worktree sits one level deeper than the main checkout


def _catalog_ids() -> set[str]:
    text = CATALOG.read_text()
    return set(re.findall(r"^\| ([a-z0-9-]+) \|", text, re.MULTILINE)) | set(re.findall(r"^- `([a-z0-9-]+)`:", text, re.MULTILINE))


def test_every_rule_points_to_a_catalog_id():
    if not CATALOG.is_file():
        pytest.skip("shared/catalog.md is not beside the repository")
    catalog = _catalog_ids()
    for rule in REGISTRY.values():
        assert rule.entry is None or rule.entry in catalog, rule.id


def test_every_rules_entry_is_in_the_knowledge_base(knowledge):
    present = {entry.id for entry in knowledge.entries}
    missing = {rule.entry for rule in REGISTRY.values() if rule.entry and rule.entry not in present}
    # Written by the knowledge-base family issue at the same time as lint; marked, and only these two.
    pending = {"proxy-integration-method", "lambda-authorizer-error"}
    assert missing <= pending, missing
    if missing:
        pytest.skip(f"knowledge entries not landed yet (family issue): {', '.join(sorted(missing))}")
