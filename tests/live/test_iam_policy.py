"""deploy/iam-policy.json holds exactly the IAM actions the checks use: compared with what the
checks declare AND with a static scan of every AWS call in bot/live/."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from bot.live import aws, inventory
from bot.live.checks import REGISTRY
from bot.live.checks.base import NEEDS
from tests.live.conftest import known_entries

ROOT = Path(__file__).resolve().parents[2]
LIVE = ROOT / "bot" / "live"
# The demo seeds its own local emulator (writes included) and never talks to AWS.
NOT_CHECKING = {LIVE / "demo.py"}

# Written from the IAM service authorization reference, independently of bot/live/aws.py.
ACTION_FOR_CALL = {
    ("apigateway", "GetRestApi"): "apigateway:GET",
    ("apigateway", "GetResources"): "apigateway:GET",
    ("apigateway", "GetIntegration"): "apigateway:GET",
    ("apigateway", "GetStages"): "apigateway:GET",
    ("apigateway", "GetAccount"): "apigateway:GET",
    ("apigateway", "GetRestApis"): "apigateway:GET",
    ("apigateway", "GetAuthorizers"): "apigateway:GET",
    ("apigateway", "GetBasePathMappings"): "apigateway:GET",
    ("apigateway", "TestInvokeMethod"): "apigateway:POST",
    ("apigatewayv2", "GetApi"): "apigateway:GET",
    ("apigatewayv2", "GetRoutes"): "apigateway:GET",
    ("apigatewayv2", "GetIntegrations"): "apigateway:GET",
    ("apigatewayv2", "GetStages"): "apigateway:GET",
    ("apigatewayv2", "GetApis"): "apigateway:GET",
    ("apigatewayv2", "GetAuthorizers"): "apigateway:GET",
    ("apigatewayv2", "GetApiMappings"): "apigateway:GET",
    ("lambda", "GetFunctionConfiguration"): "lambda:GetFunctionConfiguration",
    ("lambda", "GetPolicy"): "lambda:GetPolicy",
    ("lambda", "GetFunctionConcurrency"): "lambda:GetFunctionConcurrency",
    ("lambda", "GetFunction"): "lambda:GetFunction",
    ("lambda", "GetFunctionUrlConfig"): "lambda:GetFunctionUrlConfig",
    ("lambda", "ListFunctions"): "lambda:ListFunctions",
    ("logs", "FilterLogEvents"): "logs:FilterLogEvents",
    ("logs", "StartQuery"): "logs:StartQuery",
    ("logs", "GetQueryResults"): "logs:GetQueryResults",
    # The elbv2 client; IAM names the service elasticloadbalancing.
    ("elbv2", "DescribeLoadBalancers"): "elasticloadbalancing:DescribeLoadBalancers",
    ("elbv2", "DescribeLoadBalancerAttributes"): "elasticloadbalancing:DescribeLoadBalancerAttributes",
    ("elbv2", "DescribeTargetGroups"): "elasticloadbalancing:DescribeTargetGroups",
    ("elbv2", "DescribeTargetGroupAttributes"): "elasticloadbalancing:DescribeTargetGroupAttributes",
    ("elbv2", "DescribeTargetHealth"): "elasticloadbalancing:DescribeTargetHealth",
    ("cloudfront", "GetDistribution"): "cloudfront:GetDistribution",
    ("iam", "GetRole"): "iam:GetRole",
    ("cloudwatch", "GetMetricData"): "cloudwatch:GetMetricData",
    ("cloudwatch", "GetMetricWidgetImage"): "cloudwatch:GetMetricWidgetImage",
    ("sts", "GetCallerIdentity"): None,  # needs no permission
    ("sts", "AssumeRole"): "sts:AssumeRole",  # the caller's, on the role: not in the role's policy
}
CALLER_SIDE = {"sts:AssumeRole"}


def scanned_calls() -> set[tuple[str, str]]:
    """Every `X.call("service", "Operation", ...)` (and `_invoke(client, "service", "Operation", ...)`)."""
    calls: set[tuple[str, str]] = set()
    for path in set(LIVE.rglob("*.py")) - NOT_CHECKING:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr == "call":
                args = node.args[:2]
            elif node.func.attr == "_invoke":
                args = node.args[1:3]
            else:
                continue
            if path.name == "aws.py" and node.func.attr == "_invoke" and not all(isinstance(a, ast.Constant) for a in args):
                continue  # the door itself
            assert len(args) == 2 and all(isinstance(a, ast.Constant) for a in args), (
                f"{path}:{node.lineno}: AWS calls must name service and operation literally")
            calls.add((args[0].value, args[1].value))
    return calls


def direct_boto3_calls() -> list[str]:
    """Method calls named like a boto3 operation of the services used, outside the one door."""
    import botocore.session
    from botocore import xform_name

    session = botocore.session.get_session()
    operations = {
        xform_name(name)
        for service in ("apigateway", "apigatewayv2", "lambda", "logs", "cloudwatch", "sts", "elbv2", "cloudfront",
                        "iam")
        for name in session.get_service_model(service).operation_names
    }
    found = []
    for path in set(LIVE.rglob("*.py")) - NOT_CHECKING:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in operations:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}")
    return found


def policy_actions() -> set[str]:
    """The default policy and the opt-in ones (iam-policy-invoke.json, iam-policy-inspect-package.json)."""
    statements = [s for path in sorted((ROOT / "deploy").glob("iam-policy*.json"))
                  for s in json.loads(path.read_text())["Statement"]]
    actions: set[str] = set()
    for statement in statements:
        assert statement["Effect"] == "Allow"
        listed = statement["Action"]
        actions.update([listed] if isinstance(listed, str) else listed)
    return actions


def test_every_aws_call_goes_through_the_door() -> None:
    assert direct_boto3_calls() == []


def test_the_demo_only_talks_to_its_own_emulator() -> None:
    source = (LIVE / "demo.py").read_text()
    assert "session.client(service, endpoint_url=url)" in source
    assert source.count(".client(") == 1
    assert 'ip_address="127.0.0.1"' in source


def test_every_call_is_mapped() -> None:
    calls = scanned_calls()
    assert calls, "the scan found no AWS calls"
    unknown = calls - set(ACTION_FOR_CALL)
    assert not unknown, f"add these to ACTION_FOR_CALL (and the policy): {unknown}"
    for call in calls:
        assert aws.IAM_ACTIONS[call] == ACTION_FOR_CALL[call], call


def test_policy_is_exactly_what_the_code_calls() -> None:
    from_code = {ACTION_FOR_CALL[call] for call in scanned_calls()} - {None} - CALLER_SIDE
    assert policy_actions() == from_code


def test_policy_is_exactly_what_the_checks_declare() -> None:
    declared = set(inventory.IAM_ACTIONS)
    for check in REGISTRY.values():
        declared.update(check.iam_actions)
    assert policy_actions() == declared


def test_registry_metadata() -> None:
    catalog = known_entries()
    assert len(REGISTRY) == len({check.id for check in REGISTRY.values()})
    for check_id, check in REGISTRY.items():
        assert check.id == check_id and check.title and check.iam_actions
        assert check.entry is None or check.entry in catalog, check.entry
        assert check.opt_in in (None, "invoke", "inspect_package")
        assert check.needs <= NEEDS, check.needs - NEEDS
    # Only the opt-in --invoke check may write (test invoke runs the function).
    writers = [c.id for c in REGISTRY.values() if any(a in ("apigateway:POST",) for a in c.iam_actions)]
    assert writers == ["invoke"]
