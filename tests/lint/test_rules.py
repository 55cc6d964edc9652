"""Every classic mistake gives its rule and knowledge entry; the pattern templates give no
error; what the fixes say uses the template's own names and parses as the input's language."""

from __future__ import annotations

import os
import shutil
import stat

import pytest

from bot.lint.loaders.documents import parse
from tests.lint.conftest import BROKEN, FIXTURES, PATTERNS, rules_of

# fixture -> the errors it must give (rule, entry), and nothing else at error level
BROKEN_CASES = {
    "rest-no-permission.yaml": {("invoke-permission", "missing-invoke-permission")},
    "rest-sourcearn-logical-id.yaml": {("invoke-permission", "missing-invoke-permission")},
    "rest-sourcearn-other-stage.yaml": {("invoke-permission", "missing-invoke-permission")},
    "rest-sourcearn-other-method.yaml": {("invoke-permission", "missing-invoke-permission")},
    "rest-alias-permission-on-function.yaml": {("invoke-permission", "missing-invoke-permission")},
    "rest-proxy-get.yaml": {("proxy-integration-method", "proxy-integration-method")},
    "rest-reserved-zero.yaml": {("reserved-concurrency-zero", "lambda-throttled")},
    "rest-handler-extension.yaml": {("handler-format", "handler-not-found")},
    "rest-timeout.yaml": set(),  # a warning: see test_timeouts_are_warnings
    "sam-definitionbody-no-event.yaml": {("invoke-permission", "missing-invoke-permission")},
    "sam-handler-missing": {("handler-missing", "handler-not-found")},
    "sam-http-api-timeout.yaml": set(),
    "http-api-no-permission.json": {("invoke-permission", "missing-invoke-permission")},
    "websocket-no-permission.yaml": {("invoke-permission", "missing-invoke-permission")},
    "authorizer-no-permission": {("authorizer-permission", "lambda-authorizer-error")},
    "sam-http-api-authorizer-no-permission.yaml": {("authorizer-permission", "lambda-authorizer-error")},
    "alb-no-permission": {("target-group-permission", "missing-invoke-permission")},
    "alb-multi-value-headers": {("alb-response-headers", "malformed-proxy-response")},
    "serverless-no-permission": {("invoke-permission", "missing-invoke-permission")},
    "rest-ok.yaml": set(),
}
OTHER_INPUTS = {
    FIXTURES / "terraform" / "rest-ok.json": set(),
    FIXTURES / "terraform" / "rest-broken.json": {("invoke-permission", "missing-invoke-permission"),
                                                  ("proxy-integration-method", "proxy-integration-method"),
                                                  ("reserved-concurrency-zero", "lambda-throttled")},
    FIXTURES / "cdk" / "ok" / "cdk.out": set(),
    FIXTURES / "cdk" / "broken" / "cdk.out": {("invoke-permission", "missing-invoke-permission"),
                                              ("handler-missing", "handler-not-found")},
}


def test_every_broken_fixture_is_listed():
    assert {p.name for p in BROKEN.iterdir()} == set(BROKEN_CASES)


@pytest.mark.parametrize("name", sorted(BROKEN_CASES))
@pytest.mark.parametrize("translator", [True, False], ids=["sam-translator", "own-sam-rules"])
def test_each_classic_mistake_gives_its_rule_and_entry(lint, name, translator):
    report = lint(BROKEN / name, use_translator=translator)
    assert rules_of(report, "error") == BROKEN_CASES[name]
    assert report.failed == bool(BROKEN_CASES[name])


@pytest.mark.parametrize("path", sorted(OTHER_INPUTS), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_terraform_plans_and_cdk_assemblies(lint, path):
    assert rules_of(lint(path), "error") == OTHER_INPUTS[path]


@pytest.mark.parametrize("translator", [True, False], ids=["sam-translator", "own-sam-rules"])
def test_pattern_templates_give_no_error(lint, translator):
    report = lint(PATTERNS, use_translator=translator)
    assert len(report.files) == 7
    assert [f for f in report.findings if f.severity == "error"] == []
    assert report.notes == ()  # the translator took every SAM template


def test_sam_translator_and_own_rules_agree_on_every_fixture(lint):
    def shown(report):
        return sorted((f.file, f.rule, f.entry, f.severity, f.resource) for f in report.findings)

    for path in (PATTERNS, BROKEN):
        assert shown(lint(path, use_translator=True)) == shown(lint(path, use_translator=False))


def test_timeouts_are_warnings_with_the_limits(lint):
    rest = lint(BROKEN / "rest-timeout.yaml").findings
    assert [(f.rule, f.severity) for f in rest] == [("integration-timeout", "warning")]
    assert "60 s" in rest[0].message and "29 s" in rest[0].message and "504" in rest[0].message
    http = lint(BROKEN / "sam-http-api-timeout.yaml").findings
    assert [(f.rule, f.resource) for f in http] == [("integration-timeout", "ReportsFunction")]
    assert "30 s" in http[0].message and "503" in http[0].message


def test_messages_say_why_in_the_templates_terms(lint):
    def message(name: str) -> str:
        return next(f for f in lint(BROKEN / name).findings if f.rule == "invoke-permission").message

    assert "it names 'ShopApi' where the API id '${ShopApi}' belongs" in message("rest-sourcearn-logical-id.yaml")
    assert "it allows stage 'dev', not 'prod'" in message("rest-sourcearn-other-stage.yaml")
    assert "it allows method 'POST', not 'GET'" in message("rest-sourcearn-other-method.yaml")
    alias = message("rest-alias-permission-on-function.yaml")
    assert "OrdersFunction:live" in alias and "own resource-based policy" in alias
    assert "GET /orders of ShopApi" in message("sam-definitionbody-no-event.yaml")


def test_findings_are_on_the_written_resource_and_line(lint):
    findings = lint(BROKEN / "rest-no-permission.yaml").findings
    (finding,) = [f for f in findings if f.rule == "invoke-permission"]
    lines = (BROKEN / "rest-no-permission.yaml").read_text().splitlines()
    assert finding.resource == "OrdersFunction" and lines[finding.line - 1] == "  OrdersFunction:"
    # SAM's generated resources are reported on what the user wrote
    sam = lint(BROKEN / "sam-handler-missing").findings
    assert {f.resource for f in sam} <= {"OrdersFunction", "UsersFunction"}
    cdk = lint(FIXTURES / "cdk" / "broken" / "cdk.out").findings
    assert {f.resource for f in cdk} == {"ShopStack/Orders/Resource"}


def _yaml(patch: str):
    return parse("patch.yaml", patch).data


def test_patches_parse_and_use_the_templates_names(lint):
    report = lint(BROKEN)
    patches = {f.file.split("broken/")[1] + ":" + f.rule: f.patch for f in report.findings if f.patch}
    permission = _yaml(patches["rest-no-permission.yaml:invoke-permission"])
    (_name, resource), = permission.items()
    assert resource["Type"] == "AWS::Lambda::Permission"
    assert resource["Properties"]["FunctionName"] == {"Fn::GetAtt": ["OrdersFunction", "Arn"]}
    assert resource["Properties"]["SourceArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ShopApi}/*/GET/orders"}
    # a wrong SourceArn is fixed on the permission that is there
    assert _yaml(patches["rest-sourcearn-logical-id.yaml:invoke-permission"])["OrdersPermission"]["Properties"]["SourceArn"]
    # an alias gets a permission on the alias ARN
    alias = _yaml(patches["rest-alias-permission-on-function.yaml:invoke-permission"])
    assert next(iter(alias.values()))["Properties"]["FunctionName"] == {"Fn::Sub": "${OrdersFunction.Arn}:live"}
    # SAM: the event that makes SAM write the permission
    event = _yaml(patches["sam-definitionbody-no-event.yaml:invoke-permission"])
    assert event["OrdersFunction"]["Properties"]["Events"]["GetOrders"] == {
        "Type": "Api", "Properties": {"RestApiId": {"Ref": "ShopApi"}, "Path": "/orders", "Method": "get"}}
    assert _yaml(patches["rest-proxy-get.yaml:proxy-integration-method"]) == {
        "GetOrders": {"Properties": {"Integration.IntegrationHttpMethod": "POST"}}}
    sam_authorizer = _yaml(patches["sam-http-api-authorizer-no-permission.yaml:authorizer-permission"])
    assert sam_authorizer["Http"]["Properties"]["Auth"]["Authorizers"]["LA"] == {"EnableFunctionDefaultPermissions": True}
    elb = _yaml(patches["alb-no-permission/template.yaml:target-group-permission"])
    assert next(iter(elb.values()))["Properties"]["Principal"] == "elasticloadbalancing.amazonaws.com"


def test_terraform_fixes_are_hcl_with_addresses(lint):
    findings = {f.rule: f for f in lint(FIXTURES / "terraform" / "rest-broken.json").findings}
    patch = findings["invoke-permission"].patch
    assert patch.startswith('resource "aws_lambda_permission" "apigw" {')
    assert '"${aws_api_gateway_rest_api.shop.execution_arn}/*/GET/orders"' in patch
    assert "build it from aws_api_gateway_rest_api.shop.execution_arn" in findings["invoke-permission"].message
    assert 'integration_http_method = "POST"' in findings["proxy-integration-method"].patch


def test_unreadable_local_code_is_package_permission_denied(lint, tmp_path):
    project = tmp_path / "alb"
    shutil.copytree(PATTERNS / "alb-path-rule-python", project)
    assert lint(project).failed is False
    os.chmod(project / "src" / "app.py", 0o600)
    os.chmod(project / "src", 0o750)
    findings = [f for f in lint(project).findings if f.severity == "error"]
    assert {(f.rule, f.entry) for f in findings} == {("package-file-modes", "package-permission-denied")}
    assert "src/ 750" in findings[0].message and "src/app.py 600" in findings[0].message
    os.chmod(project / "src", stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)


def test_a_zip_package_with_private_files(lint, tmp_path):
    import zipfile

    project = tmp_path / "quotes"
    shutil.copytree(PATTERNS / "serverless-quotes", project)
    package = project / ".serverless" / "quotes-api.zip"
    with zipfile.ZipFile(package) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(package, "w") as archive:
        for info, data in entries:
            if info.filename == "handler.js":
                info.external_attr = (0o100600) << 16
            archive.writestr(info, data)
    findings = [f for f in lint(project).findings if f.severity == "error"]
    assert {f.rule for f in findings} == {"package-file-modes"}
    assert "handler.js 600" in findings[0].message


def test_severity_filter_keeps_errors_only(lint):
    report = lint(BROKEN, minimum="error")
    assert report.findings and {f.severity for f in report.findings} == {"error"}
