"""lint and the live checks agree: each broken template, deployed into the moto server, makes
`badgateway check` name the same knowledge entries that `badgateway lint` named from the file.

REST templates made only of what moto's CloudFormation deploys go through CloudFormation as they
are; the others (aliases, HTTP APIs, SAM, Terraform plans, CDK assemblies) are deployed from what
lint read (tests/lint/agreement/deploy.py) with boto3, real ids written into the SourceArns.
Authorizers, WebSocket APIs and ALB target groups are not deployed: `check` does not read them.
"""

from __future__ import annotations

import pytest

from bot.lint.engine import build_model, lint_paths
from bot.lint.loaders import load_inputs
from bot.lint.rules import REGISTRY
from tests.lint.agreement.deploy import Deployment
from tests.lint.conftest import BROKEN, FIXTURES
from tests.live.conftest import REGION

LINT_ENTRIES = {rule.entry for rule in REGISTRY.values() if rule.entry}
# The live integration_setup check fails an AWS_PROXY integration called with GET but names no
# knowledge entry (bot/live/checks/integration_setup.py: entry None); proxy-integration-method is the
# catalog id lint uses. Until the live check names it, agreement there is: the same route fails.
NAMED_BY_LINT_ONLY = {"proxy-integration-method": "integration_setup"}

CLOUDFORMATION = ["rest-ok.yaml", "rest-no-permission.yaml", "rest-sourcearn-logical-id.yaml",
                  "rest-sourcearn-other-stage.yaml", "rest-sourcearn-other-method.yaml", "rest-proxy-get.yaml",
                  "rest-timeout.yaml", "rest-reserved-zero.yaml", "rest-handler-extension.yaml"]
FROM_MODEL = [BROKEN / "rest-alias-permission-on-function.yaml", BROKEN / "sam-definitionbody-no-event.yaml",
              BROKEN / "sam-handler-missing", BROKEN / "sam-http-api-timeout.yaml", BROKEN / "http-api-no-permission.json",
              BROKEN / "serverless-no-permission", FIXTURES / "terraform" / "rest-ok.json",
              FIXTURES / "terraform" / "rest-broken.json", FIXTURES / "cdk" / "ok" / "cdk.out",
              FIXTURES / "cdk" / "broken" / "cdk.out", FIXTURES / "patterns" / "serverless-quotes"]


def lint_entries(path) -> set[str]:
    return {f.entry for f in lint_paths([str(path)]).findings if f.entry}


def check_entries(world, api_ids: list[str]) -> tuple[set[str], set[str]]:
    """(entries named by failing or warning findings, ids of checks that failed without an entry)."""
    named, unnamed = set(), set()
    for api_id in api_ids:
        report = world.check(api_id, inspect_package=True)
        for finding in report.findings:
            if finding.status not in ("fail", "warn"):
                continue
            if finding.entry in LINT_ENTRIES:
                named.add(finding.entry)
            elif finding.entry is None and finding.status == "fail":
                unnamed.add(finding.check)
    return named, unnamed


def assert_agree(linted: set[str], named: set[str], unnamed: set[str]) -> None:
    for entry, check in NAMED_BY_LINT_ONLY.items():
        if entry in linted and entry not in named:
            assert check in unnamed, f"check did not fail {check} where lint found {entry}"
            linted = linted - {entry}
    assert linted == named


@pytest.mark.parametrize("name", CLOUDFORMATION)
def test_cloudformation_stack_in_moto_gives_the_same_entries(world, name):
    cloudformation = world.client("cloudformation")
    stack = name.removesuffix(".yaml")
    cloudformation.create_stack(StackName=stack, TemplateBody=(BROKEN / name).read_text(),
                                Capabilities=["CAPABILITY_IAM"])
    status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    assert status == "CREATE_COMPLETE"
    resources = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                 for r in cloudformation.list_stack_resources(StackName=stack)["StackResourceSummaries"]}
    named, unnamed = check_entries(world, [resources["ShopApi"]])
    assert_agree(lint_entries(BROKEN / name), named, unnamed)


@pytest.mark.parametrize("path", FROM_MODEL, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_resources_created_with_boto3_give_the_same_entries(world, package_server, path):
    api_ids: list[str] = []
    for source in load_inputs([str(path)]):
        model, _ = build_model(source)
        api_ids += Deployment(world, model, package_server).run()
    assert api_ids, "nothing was deployed"
    named, unnamed = check_entries(world, api_ids)
    assert_agree(lint_entries(path), named, unnamed)


def test_the_logical_id_mistake_is_explained_the_same_way(world):
    """Not only the entry: both say the SourceArn names the logical id where the id belongs."""
    cloudformation = world.client("cloudformation")
    cloudformation.create_stack(StackName="logical", TemplateBody=(BROKEN / "rest-sourcearn-logical-id.yaml").read_text())
    api_id = next(r["PhysicalResourceId"] for r in cloudformation.list_stack_resources(StackName="logical")
                  ["StackResourceSummaries"] if r["LogicalResourceId"] == "ShopApi")
    live = next(f for f in world.check(api_id).findings if f.check == "invoke_permission" and f.status == "fail")
    linted = next(f for f in lint_paths([str(BROKEN / "rest-sourcearn-logical-id.yaml")]).findings
                  if f.rule == "invoke-permission")
    for message in (live.message, linted.message):
        assert "it names 'ShopApi' where the API id" in message and "logical id" in message
    assert REGION in live.message or api_id in live.message
