"""Inputs detected by content, and bad input refused with one line (exit 2), never a traceback."""

from __future__ import annotations

import json
import zipfile

import pytest

from bot.errors import UsageError
from bot.lint.loaders import documents, load_inputs
from bot.lint.sources import Template, TerraformPlan
from tests.conftest import run_cli
from tests.lint.conftest import BROKEN, FIXTURES, PATTERNS
from tests.lint.packages import PACKAGES, SERVICE, package_bytes

MINIMAL = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Handler: !Sub '${AWS::Region}.x'}\n"


def test_kinds_are_told_apart_by_content(tmp_path):
    (tmp_path / "notes.txt.yaml").write_text(MINIMAL)  # a name says nothing
    (tmp_path / "plan").write_text(json.dumps({"format_version": "1.2", "planned_values": {}}))
    kinds = {type(s).__name__ + ":" + getattr(s, "kind", "") for s in load_inputs([str(tmp_path / "notes.txt.yaml"),
                                                                                   str(tmp_path / "plan")])}
    assert kinds == {"Template:cloudformation", "TerraformPlan:terraform"}


def test_a_folder_is_searched_for_every_kind():
    sources = load_inputs([str(FIXTURES)])
    kinds = {s.kind for s in sources}
    assert kinds == {"sam", "cloudformation", "cdk", "serverless", "terraform"}
    paths = [s.path for s in sources]
    assert not any("events" in p or p.endswith("package.json") for p in paths)
    assert any(p.endswith(".serverless/cloudformation-template-update-stack.json") for p in paths)
    assert any(p.endswith("ShopStack.template.json") for p in paths)


def test_short_form_intrinsics_and_dates_stay_as_cloudformation_reads_them():
    document = documents.parse("t.yaml", "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Fn:\n"
                               "    Type: AWS::Lambda::Function\n    Properties:\n      Handler: !Sub '${AWS::Region}.x'\n"
                               "      GetAttShort: !GetAtt Fn.Arn\n"
                               "      Nested: !Join ['', [!Ref X, !Select [0, !Split [',', a]]]]\n")
    assert document.data["AWSTemplateFormatVersion"] == "2010-09-09"
    properties = document.data["Resources"]["Fn"]["Properties"]
    assert properties["Handler"] == {"Fn::Sub": "${AWS::Region}.x"}
    assert properties["GetAttShort"] == {"Fn::GetAtt": ["Fn", "Arn"]}
    assert properties["Nested"] == {"Fn::Join": ["", [{"Ref": "X"}, {"Fn::Select": [0, {"Fn::Split": [",", "a"]}]}]]}


def test_lines_of_resources_in_yaml_and_json():
    yaml_source = load_inputs([str(BROKEN / "rest-ok.yaml")])[0]
    json_source = load_inputs([str(BROKEN / "http-api-no-permission.json")])[0]
    assert isinstance(yaml_source, Template) and isinstance(json_source, Template)
    yaml_lines = (BROKEN / "rest-ok.yaml").read_text().splitlines()
    json_lines = (BROKEN / "http-api-no-permission.json").read_text().splitlines()
    assert yaml_lines[yaml_source.line_of("ShopApi") - 1] == "  ShopApi:"
    assert json_lines[json_source.line_of("OrdersRoute") - 1].strip().startswith('"OrdersRoute"')


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"\x00\x01\x02binary", "binary file"),
    (b"\xff\xfe\xfa not utf-8", "not UTF-8"),
    (b'{"Resources": {"A": ', "not valid JSON"),
    (b"Resources:\n  A: [unclosed\n", "not valid YAML"),
    (b"key: value\n", "not a SAM or CloudFormation template"),
    (b"[" * 5000 + b"]" * 5000, "nested"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "template.json"
    path.write_bytes(content)
    result = run_cli("lint", str(path))
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert message in stderr and len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr


def test_yaml_alias_bombs_and_recursion_are_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\nResources:\n  X:\n    Type: AWS::SNS::Topic\n    Properties: {A: *a7}\n")
    with pytest.raises(UsageError, match="expands to more than"):
        load_inputs([str(bomb)])
    loop = tmp_path / "loop.yaml"
    loop.write_text("Resources: &r\n  X:\n    Type: AWS::SNS::Topic\n    Properties: {Self: *r}\n")
    with pytest.raises(UsageError):
        load_inputs([str(loop)])


def test_huge_files_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 1024)
    path = tmp_path / "big.yaml"
    path.write_text(MINIMAL + "#" * 2048)
    with pytest.raises(UsageError, match="more than"):
        load_inputs([str(path)])


def test_missing_paths_and_empty_folders(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        load_inputs([str(tmp_path / "nope.yaml")])
    (tmp_path / "package.json").write_text('{"name": "x"}')
    with pytest.raises(UsageError, match="no SAM, CloudFormation"):
        load_inputs([str(tmp_path)])


def test_a_broken_template_in_a_folder_is_an_error_not_skipped(tmp_path):
    (tmp_path / "template.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n")
    with pytest.raises(UsageError, match="not valid YAML"):
        load_inputs([str(tmp_path)])


def test_cdk_assets_and_serverless_packages_are_the_local_code():
    (cdk,) = load_inputs([str(FIXTURES / "cdk" / "ok" / "cdk.out")])
    assert isinstance(cdk, Template) and cdk.kind == "cdk"
    assert cdk.label("Orders5C3F7B52") == "ShopStack/Orders/Resource"
    assert cdk.local_code["Orders5C3F7B52"].endswith("asset.5d3f2c1b0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c")
    (serverless,) = load_inputs([str(PATTERNS / "serverless-quotes" / ".serverless")])
    assert isinstance(serverless, Template) and serverless.kind == "serverless"
    assert serverless.local_code["StatusLambdaFunction"].endswith("quotes-api.zip")


def test_the_committed_serverless_packages_are_built_from_the_handler_beside_them():
    expected = package_bytes()
    for path in PACKAGES:
        assert path.read_bytes() == expected, f"{path} is stale: run python -m tests.lint.packages"
    with zipfile.ZipFile(PACKAGES[0]) as archive:
        assert archive.namelist() == ["handler.js", "package.json"]
        assert archive.read("handler.js") == (SERVICE / "handler.js").read_bytes()


def test_a_manifest_cannot_point_outside_its_assembly(tmp_path):
    folder = tmp_path / "cdk.out"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"version": "36.0.0", "artifacts": {
        "S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../../etc/passwd"}}}}))
    with pytest.raises(UsageError, match="not there"):
        load_inputs([str(folder)])


def test_terraform_plan_is_read_with_its_configuration():
    (plan,) = load_inputs([str(FIXTURES / "terraform" / "rest-ok.json")])
    assert isinstance(plan, TerraformPlan)
