"""The CloudFormation templates lint clean and say what the code expects."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DEPLOY, ROOT, load_template

TEMPLATES = ["template.yaml", "cross-account-role.yaml"]


def cfn_lint_command() -> list[str]:
    beside = Path(sys.executable).parent / "cfn-lint"
    if beside.exists():
        return [str(beside)]
    try:
        import cfnlint  # noqa: F401
    except ImportError:
        found = shutil.which("cfn-lint")
        if found:
            return [found]
        pytest.skip("cfn-lint is not installed: pip install cfn-lint (the dev extra should carry it)")
    return [sys.executable, "-m", "cfnlint"]


@pytest.mark.parametrize("name", TEMPLATES)
def test_cfn_lint_passes_including_informational_checks(name):
    result = subprocess.run([*cfn_lint_command(), "--include-checks", "I", "--", str(DEPLOY / name)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_function_is_what_the_code_and_the_build_expect():
    template = load_template("template.yaml")
    function = template["Resources"]["BadgatewayFunction"]
    props = function["Properties"]
    assert props["Handler"] == "bot.slack.hosting.lambda_entry.handler"
    from bot.slack.hosting import lambda_entry

    assert callable(lambda_entry.handler)
    assert props["Runtime"] == "python3.12" and props["Architectures"] == ["x86_64"]
    assert props["FunctionUrlConfig"]["AuthType"] == "NONE"
    assert props["Timeout"] >= 30
    memory = template["Parameters"]["MemorySize"]
    assert memory["Default"] >= 1024 and memory["MinValue"] >= 512  # CPU for a cold start within 3 s
    # The makefile build: deploy/lambda/Makefile has the target SAM calls, for this logical id.
    assert function["Metadata"]["BuildMethod"] == "makefile"
    makefile = (DEPLOY / props["CodeUri"] / "Makefile").read_text()
    assert "build-BadgatewayFunction:" in makefile
    assert "LAMBDA_PYTHON ?= 3.12" in makefile and "PLATFORM ?= manylinux2014_x86_64" in makefile
    # Where that build puts the knowledge base (pyproject's data-files, pip --target).
    variables = props["Environment"]["Variables"]
    assert variables["BADGATEWAY_KNOWLEDGE_DIR"] == "/var/task/share/badgateway/knowledge"
    assert variables["BADGATEWAY_LOG_FORMAT"] == "json"


def test_every_variable_the_function_gets_is_one_the_code_reads():
    variables = load_template("template.yaml")["Resources"]["BadgatewayFunction"]["Properties"][
        "Environment"]["Variables"]
    source = "\n".join(path.read_text() for path in (ROOT / "bot").rglob("*.py"))
    for name in variables:
        assert f'"{name}"' in source, f"{name} is set by the template but read nowhere in bot/"
    # No credential in the environment: only the names of where they are.
    assert not {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"} & set(variables)


def test_log_group_has_retention_and_is_the_functions():
    template = load_template("template.yaml")
    group = template["Resources"]["BadgatewayLogGroup"]["Properties"]
    assert group["RetentionInDays"] == {"Ref": "LogRetentionInDays"}
    assert group["LogGroupName"] == {"Fn::Sub": "/aws/lambda/${FunctionName}"}
    logging_config = template["Resources"]["BadgatewayFunction"]["Properties"]["LoggingConfig"]
    assert logging_config["LogGroup"] == {"Ref": "BadgatewayLogGroup"}


def test_outputs_give_the_slack_request_url_and_the_role_for_other_accounts():
    outputs = load_template("template.yaml")["Outputs"]
    assert outputs["SlackRequestUrl"]["Value"] == {"Fn::Sub": "${BadgatewayFunctionUrl.FunctionUrl}slack/events"}
    from bot.slack.manifest import EVENTS_PATH

    assert outputs["SlackRequestUrl"]["Value"]["Fn::Sub"].endswith(EVENTS_PATH.lstrip("/"))
    assert outputs["FunctionRoleArn"]["Value"] == {"Fn::GetAtt": ["BadgatewayRole", "Arn"]}
    cross = load_template("cross-account-role.yaml")
    assert "BotRoleArn" in cross["Parameters"] and "RoleArn" in cross["Outputs"]


def test_sam_makes_the_function_url_public_with_both_permissions(monkeypatch):
    """Since October 2025 a Function URL with auth NONE needs lambda:InvokeFunctionUrl AND
    lambda:InvokeFunction (via the URL) in the function's policy; SAM's transform adds both."""
    translator = pytest.importorskip("samtranslator.translator.transform",
                                     reason="aws-sam-translator is not installed (pip install aws-sam-translator)")
    from samtranslator.yaml_helper import yaml_parse

    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    template = yaml_parse((DEPLOY / "template.yaml").read_text())
    template["Resources"]["BadgatewayFunction"]["Properties"]["CodeUri"] = "s3://bucket/badgateway.zip"

    class NoManagedPolicies:
        def load(self) -> dict:
            return {}

    resources = translator.transform(template, {}, NoManagedPolicies())["Resources"]
    assert resources["BadgatewayFunctionUrl"]["Properties"]["AuthType"] == "NONE"  # the output's GetAtt
    permissions = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::Permission"]
    assert {p["Action"] for p in permissions} == {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}
    # (the alarm inputs' permissions, one per service principal, are checked by tests/deploy/test_iam.py)
    [via_url] = [p for p in permissions if p["Action"] == "lambda:InvokeFunction" and p["Principal"] == "*"]
    assert via_url["InvokedViaFunctionUrl"] is True and via_url["Principal"] == "*"


@pytest.mark.skipif(os.name != "posix", reason="make and a POSIX shell")
def test_lambda_bundle_builds_and_finds_its_knowledge(tmp_path):
    """`sam build`'s make target, run by hand: Linux wheels for the runtime, the knowledge base
    where the template says, bytecode when a python3.12 is at hand. Needs the package index."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    artifacts = tmp_path / "bundle"
    python312 = find_python312()
    result = subprocess.run(["make", "-f", str(DEPLOY / "lambda" / "Makefile"), "build-BadgatewayFunction",
                             f"ARTIFACTS_DIR={artifacts}", f"PYTHON={sys.executable}",
                             f"PROJECT={_project_copy(tmp_path)}", f"COMPILER={python312 or ''}"],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0 and any(s in result.stderr for s in (
            "No matching distribution", "Could not find a version", "Failed to establish", "Network is unreachable")):
        pytest.skip(f"the package index is not reachable: {result.stderr.strip().splitlines()[-1]}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (artifacts / "bot" / "slack" / "hosting" / "lambda_entry.py").is_file()
    assert (artifacts / "share" / "badgateway" / "knowledge" / "schema.json").is_file()
    assert not (artifacts / "bin").exists() and not (artifacts / ".wheels").exists()
    assert list(artifacts.glob("rapidfuzz*/*manylinux*")) or list(artifacts.glob("rapidfuzz*.dist-info/WHEEL"))
    if python312 is None:
        return  # no Python 3.12 here to run the bundle the way Lambda does
    assert list(artifacts.glob("bot/slack/hosting/__pycache__/*.cpython-312.pyc"))
    script = ("import sys, bot.slack.hosting.lambda_entry as e; assert 'boto3' not in sys.modules, 'boto3 on import'; "
              "from bot.core.kb.knowledge import knowledge_dir, load_knowledge; "
              "print(knowledge_dir(), len(load_knowledge().entries))")
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(artifacts), "PYTHONNOUSERSITE": "1",
           "BADGATEWAY_KNOWLEDGE_DIR": str(artifacts / "share" / "badgateway" / "knowledge")}
    run = subprocess.run([python312, "-S", "-c", script], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    from bot.core.kb.knowledge import load_knowledge

    found_in, count = run.stdout.split()
    assert found_in == str(artifacts / "share" / "badgateway" / "knowledge")
    assert int(count) == len(load_knowledge(ROOT / "knowledge").entries)


def find_python312() -> str | None:
    """A working Python 3.12 (the Lambda runtime's version), if this machine has one."""
    candidates = [shutil.which("python3.12"), *map(str, Path.home().glob(".pyenv/versions/3.12*/bin/python3.12"))]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 12))"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == "True":
            return candidate
    return None


def _project_copy(tmp_path: Path) -> Path:
    """The files `pip wheel` reads, copied, so the build leaves no build/ or egg-info in the tree."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    for folder in ("bot", "knowledge"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return project
