"""The IAM policies in deploy/*.yaml grant exactly what the code calls, and nothing else.

- The live checks' statements equal deploy/iam-policy.json (the source of truth, kept by the live
  checks' own tests), statement by statement, always granted; the opt-in checks' statements
  (deploy/iam-policy-invoke.json: test-invoke runs a function; deploy/iam-policy-inspect-package.json:
  GetFunction hands out code download URLs) only behind a parameter that defaults to "false".
- The default policy holds only what the default checks use.
- The bot's role adds only: its own log group, invoking itself, reading its Slack credentials,
  and assuming the cross-account roles named, each on named resources.
- A static scan of bot/ for AWS calls, mapped to IAM actions, gives the same set of actions.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import OPT_IN_POLICIES, ROOT, all_live_statements, iam_policy, load_template

PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012"}
BOT_SIDS = {  # the bot's own needs, beside the live checks
    "BadgatewayOwnLogs": {"logs:CreateLogStream", "logs:PutLogEvents"},
    "BadgatewayInvokeItself": {"lambda:InvokeFunction"},
    "BadgatewaySlackCredentials": {"ssm:GetParameters", "secretsmanager:GetSecretValue"},  # one or the other
    "BadgatewaySlackCredentialsKey": {"kms:Decrypt"},
    "BadgatewayAssumeCheckRoles": {"sts:AssumeRole"},
    "BadgatewayFailedWork": {"sqs:SendMessage"},
    "BadgatewayState": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"},
}
# Granted for what runs the code rather than for a call in it: the Lambda runtime writes the
# logs; KMS decrypts for SSM / Secrets Manager (a customer managed key only).
# Lambda sends a failed asynchronous invocation to the failed-work queue, as the function's role.
NOT_CALLED_BY_THE_CODE = {"logs:CreateLogStream", "logs:PutLogEvents", "kms:Decrypt", "sqs:SendMessage"}
# Direct boto3-style calls outside the live checks' door, by (service, operation).
DIRECT_CALLS = {
    ("ssm", "GetParameters"): "ssm:GetParameters",
    ("secretsmanager", "GetSecretValue"): "secretsmanager:GetSecretValue",
    ("lambda", "Invoke"): "lambda:InvokeFunction",
    ("dynamodb", "GetItem"): "dynamodb:GetItem",
    ("dynamodb", "PutItem"): "dynamodb:PutItem",
    ("dynamodb", "DeleteItem"): "dynamodb:DeleteItem",
    ("dynamodb", "Query"): "dynamodb:Query",
}
SCANNED_SERVICES = ("apigateway", "apigatewayv2", "lambda", "logs", "cloudwatch", "sts", "ssm", "secretsmanager",
                    "elbv2", "cloudfront", "iam", "dynamodb")


# -- reading the templates ---------------------------------------------------------------------


def resolve(value: Any) -> Any:
    """Fn::Sub with pseudo parameters and FunctionName replaced; other intrinsics kept as they are."""
    if isinstance(value, dict) and set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
        names = {**PSEUDO, "FunctionName": "badgateway"}
        return re.sub(r"\$\{([^}]+)\}", lambda m: names.get(m.group(1), m.group(0)), value["Fn::Sub"])
    if isinstance(value, list):
        return [resolve(v) for v in value]
    return value


def as_set(value: Any) -> set[str]:
    values = value if isinstance(value, list) else [value]
    return {v if isinstance(v, str) else repr(v) for v in (resolve(x) for x in values)}


def statements(template: dict[str, Any], resource: str) -> list[tuple[dict[str, Any], str | None]]:
    """(statement, condition) of every statement of the resource's inline policies; the
    condition is the Fn::If condition it sits under ('!X' for the else branch), else None."""
    found = []
    for policy in template["Resources"][resource]["Properties"]["Policies"]:
        for item in policy["PolicyDocument"]["Statement"]:
            if isinstance(item, dict) and "Fn::If" in item:
                condition, then, otherwise = item["Fn::If"]
                found.append((then, condition))
                if otherwise != {"Ref": "AWS::NoValue"}:
                    found.append((otherwise, "!" + condition))
            else:
                found.append((item, None))
    return found


def actions_of(found: list[tuple[dict[str, Any], str | None]]) -> set[str]:
    return set().union(*(as_set(s["Action"]) for s, _ in found))


def is_read_only(action: str) -> bool:
    """IAM's Read and List access levels, by the action's verb (apigateway's are HTTP methods)."""
    service, verb = action.split(":", 1)
    if service == "apigateway":
        return verb == "GET"
    # logs:StartQuery is a Read action in the IAM reference (it runs a Logs Insights query).
    return verb.startswith(("Get", "List", "Describe", "Filter", "BatchGet", "Lookup")) or action == "logs:StartQuery"


ROLES = [("template.yaml", "BadgatewayRole"), ("cross-account-role.yaml", "BadgatewayCheckRole")]


# -- the live checks' statements -------------------------------------------------------------


@pytest.mark.parametrize("name, resource", ROLES)
def test_live_check_statements_are_those_of_iam_policy_json(name, resource):
    template = load_template(name)
    by_sid = {s["Sid"]: (s, condition) for s, condition in statements(template, resource)}
    for expected, opt_in in all_live_statements():
        sid = expected["Sid"]
        assert sid in by_sid, f"{name}: statement {sid} of deploy/iam-policy.json is missing"
        statement, condition = by_sid[sid]
        assert statement["Effect"] == expected["Effect"] == "Allow"
        assert as_set(statement["Action"]) == as_set(expected["Action"]), sid
        assert as_set(statement["Resource"]) == as_set(expected["Resource"]), sid
        assert "Condition" not in expected or statement.get("Condition") == expected["Condition"], sid
        if opt_in is None:
            assert condition is None, f"{sid} is what the default checks use: always granted"
            assert all(is_read_only(a) for a in as_set(expected["Action"])), f"{sid}: the default is read-only"
        else:  # only when asked for, and not by default
            assert condition == opt_in, f"{sid} must be granted only under {opt_in}"
            parameter = template["Conditions"][condition]["Fn::Equals"][0]["Ref"]
            assert template["Parameters"][parameter]["Default"] == "false"


def test_the_default_policy_holds_only_what_the_default_checks_use():
    """deploy/iam-policy.json: the inventory and the checks that run without a flag, nothing more;
    each opt-in policy: its own check's actions, nothing more."""
    from bot.live import inventory
    from bot.live.checks import REGISTRY

    def actions(name: str) -> set[str]:
        return set().union(*(as_set(s["Action"]) for s in iam_policy(name)["Statement"]))

    default = set(inventory.IAM_ACTIONS).union(*(c.iam_actions for c in REGISTRY.values() if c.opt_in is None))
    assert actions("iam-policy.json") == default
    flags = {"iam-policy-invoke.json": "invoke", "iam-policy-inspect-package.json": "inspect_package"}
    assert set(flags) == set(OPT_IN_POLICIES)
    for name, flag in flags.items():
        assert actions(name) == set().union(*(c.iam_actions for c in REGISTRY.values() if c.opt_in == flag))
        assert not actions(name) & actions("iam-policy.json"), f"{name} repeats a default action"
    assert {"apigateway:POST", "lambda:GetFunction"}.isdisjoint(actions("iam-policy.json"))


def test_log_reads_are_limited_to_the_log_groups_the_checks_read():
    [logs] = [s for s in iam_policy()["Statement"] if "logs:FilterLogEvents" in as_set(s["Action"])]
    assert "*" not in as_set(logs["Resource"])
    groups = [arn.split(":log-group:", 1)[1] for arn in as_set(logs["Resource"])]
    assert sorted(groups) == ["/aws/apigateway/*", "/aws/lambda/*", "API-Gateway-Execution-Logs_*"]
    # ...which are the names bot/live/context.py reads (function logs, REST execution logs).
    source = (ROOT / "bot" / "live" / "context.py").read_text()
    assert 'f"/aws/lambda/{' in source and 'f"API-Gateway-Execution-Logs_{' in source


def test_the_function_url_has_a_concurrency_cap_and_async_work_is_not_retried():
    template = load_template("template.yaml")
    props = template["Resources"]["BadgatewayFunction"]["Properties"]
    assert props["ReservedConcurrentExecutions"] == {"Ref": "MaxConcurrency"}
    cap = template["Parameters"]["MaxConcurrency"]
    assert cap["Type"] == "Number" and 1 <= cap["MinValue"] <= cap["Default"] <= 100
    invoke = props["EventInvokeConfig"]
    assert invoke["MaximumRetryAttempts"] == 0
    failure = invoke["DestinationConfig"]["OnFailure"]
    assert failure == {"Type": "SQS", "Destination": {"Fn::GetAtt": ["BadgatewayFailedWork", "Arn"]}}
    queue = template["Resources"]["BadgatewayFailedWork"]
    assert queue["Type"] == "AWS::SQS::Queue" and queue["Properties"]["SqsManagedSseEnabled"] is True
    assert queue["Properties"]["MessageRetentionPeriod"] == {"Ref": "FailedWorkRetentionSeconds"}
    [send] = bot_statements()["BadgatewayFailedWork"]
    assert send["Resource"] == {"Fn::GetAtt": ["BadgatewayFailedWork", "Arn"]}


def test_cross_account_role_grants_nothing_else():
    template = load_template("cross-account-role.yaml")
    found = statements(template, "BadgatewayCheckRole")
    assert {s["Sid"] for s, _ in found} == {s["Sid"] for s, _ in all_live_statements()}
    assert len(found) == len(all_live_statements())


def test_cross_account_trust_is_the_bot_role_with_an_external_id():
    role = load_template("cross-account-role.yaml")["Resources"]["BadgatewayCheckRole"]["Properties"]
    [trust] = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust == {"Effect": "Allow", "Principal": {"AWS": {"Ref": "BotRoleArn"}}, "Action": "sts:AssumeRole",
                     "Condition": {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}}}
    assert role["MaxSessionDuration"] <= 3600


# -- the bot's own statements ----------------------------------------------------------------


def bot_statements() -> dict[str, list[dict[str, Any]]]:
    by_sid: dict[str, list[dict[str, Any]]] = {}
    for statement, _ in statements(load_template("template.yaml"), "BadgatewayRole"):
        by_sid.setdefault(statement["Sid"], []).append(statement)
    return by_sid


def test_bot_role_has_only_the_live_checks_and_its_own_needs():
    by_sid = bot_statements()
    live = {s["Sid"] for s, _ in all_live_statements()}
    assert set(by_sid) == live | set(BOT_SIDS)
    for sid, allowed in BOT_SIDS.items():
        for statement in by_sid[sid]:
            assert statement["Effect"] == "Allow"
            assert as_set(statement["Action"]) <= allowed, sid
            assert "*" not in as_set(statement["Resource"]), f"{sid} must name its resources"


def test_the_function_may_invoke_itself_and_nothing_else():
    [statement] = bot_statements()["BadgatewayInvokeItself"]
    own = "arn:aws:lambda:eu-west-1:123456789012:function:badgateway"
    assert as_set(statement["Resource"]) == {own, own + ":*"}  # itself, its versions and aliases
    role = load_template("template.yaml")["Resources"]["BadgatewayRole"]["Properties"]
    [trust] = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    every = [s for s, _ in statements(load_template("template.yaml"), "BadgatewayRole")]
    assert [s["Sid"] for s in every if "lambda:InvokeFunction" in as_set(s["Action"])] == ["BadgatewayInvokeItself"]


def test_credentials_are_read_from_the_named_parameters_or_secret_only():
    secret, ssm = sorted(bot_statements()["BadgatewaySlackCredentials"], key=lambda s: str(s["Action"]))
    assert as_set(secret["Action"]) == {"secretsmanager:GetSecretValue"}
    assert secret["Resource"] == {"Ref": "SlackSecretArn"}
    assert as_set(ssm["Action"]) == {"ssm:GetParameters"}
    assert as_set(ssm["Resource"]) == {
        "arn:aws:ssm:eu-west-1:123456789012:parameter${SlackBotTokenParameter}",
        "arn:aws:ssm:eu-west-1:123456789012:parameter${SlackSigningSecretParameter}",
    }


def test_other_accounts_only_through_the_roles_named():
    [statement] = bot_statements()["BadgatewayAssumeCheckRoles"]
    assert statement["Resource"] == {"Ref": "CrossAccountRoleArns"}


# -- the code's calls ------------------------------------------------------------------------


def scan_aws_calls(root: Path) -> set[tuple[str, str]]:
    """(service, operation) of every AWS call in bot/: the live checks' door, `.call("svc", "Op")`
    and `._invoke(client, "svc", "Op")`, and any method call named like an operation of the
    services used (`ssm.get_parameters(...)`, `lambda_client.invoke(...)`). The demo, which seeds
    its own local emulator and never talks to AWS, is left out."""
    import botocore.session
    from botocore import xform_name

    session = botocore.session.get_session()
    operations: dict[str, set[tuple[str, str]]] = {}
    for service in SCANNED_SERVICES:
        for name in session.get_service_model(service).operation_names:
            operations.setdefault(xform_name(name), set()).add((service, name))
    calls: set[tuple[str, str]] = set()
    for path in root.rglob("*.py"):
        if path.name == "demo.py":
            continue
        source = path.read_text()
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            literal = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            door = node.func.attr in ("call", "_invoke")
            if door and len(literal) >= 2 and literal[0] in SCANNED_SERVICES:
                calls.add((literal[0], literal[1]))
            elif node.func.attr in operations:
                # DynamoDB's names are plain words (`scan`, `query`): they count only in a module
                # that talks to DynamoDB (a hyperscan database's .scan() is no AWS call).
                candidates = {c for c in operations[node.func.attr] if c[0] != "dynamodb" or "dynamodb" in source}
                if not candidates:
                    continue
                assert len({c[1] for c in candidates}) == 1, f"{path}:{node.lineno}: ambiguous {node.func.attr}"
                calls.update(candidates)
    return calls


def action_for(call: tuple[str, str]) -> str | None:
    # The door's own map, checked against the IAM reference by tests/live/test_iam_policy.py.
    from bot.live.aws import IAM_ACTIONS

    if call in DIRECT_CALLS:
        return DIRECT_CALLS[call]
    assert call in IAM_ACTIONS, f"map {call} to its IAM action (bot/live/aws.py or DIRECT_CALLS here)"
    return IAM_ACTIONS[call]


def test_scan_finds_the_calls_outside_the_live_checks():
    calls = scan_aws_calls(ROOT / "bot")
    assert {("ssm", "GetParameters"), ("secretsmanager", "GetSecretValue"), ("lambda", "Invoke")} <= calls
    assert {call for call in calls if call[0] == "dynamodb"} == {
        ("dynamodb", op) for op in ("GetItem", "PutItem", "DeleteItem", "Query")}  # the state table's


def test_the_state_table_is_on_demand_with_ttl_and_only_it_is_granted():
    template = load_template("template.yaml")
    table = template["Resources"]["BadgatewayStateTable"]
    props = table["Properties"]
    assert table["Type"] == "AWS::DynamoDB::Table" and props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires", "Enabled": True}
    from bot.slack.state import dynamodb

    assert '"expires"' in (ROOT / "bot" / "slack" / "state" / "dynamodb.py").read_text() and dynamodb.ONE
    assert {k["AttributeName"]: k["KeyType"] for k in props["KeySchema"]} == {"pk": "HASH", "sk": "RANGE"}
    [state] = bot_statements()["BadgatewayState"]
    assert state["Resource"] == {"Fn::GetAtt": ["BadgatewayStateTable", "Arn"]}  # the table, not its indexes
    variables = template["Resources"]["BadgatewayFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["BADGATEWAY_STATE_TABLE"] == {"Ref": "BadgatewayStateTable"}


def test_alarm_inputs_are_options_that_invoke_only_this_function():
    template = load_template("template.yaml")
    resources, conditions = template["Resources"], template["Conditions"]
    rule, subscription = resources["BadgatewayAlarmRule"], resources["BadgatewayAlarmSubscription"]
    assert rule["Condition"] == "HasAlarmRule" and template["Parameters"]["AlarmEventRule"]["Default"] == "false"
    assert subscription["Condition"] == "HasAlarmTopic" and template["Parameters"]["AlarmTopicArn"]["Default"] == ""
    assert conditions["HasAlarmRule"] == {"Fn::Equals": [{"Ref": "AlarmEventRule"}, "true"]}
    pattern = rule["Properties"]["EventPattern"]
    from bot.slack.handling.alarms import EVENT_DETAIL_TYPE

    assert pattern["source"] == ["aws.cloudwatch"] and pattern["detail-type"] == [EVENT_DETAIL_TYPE]
    assert pattern["detail"]["state"]["value"] == ["ALARM", "OK"]
    [target] = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["BadgatewayFunction", "Arn"]}
    assert subscription["Properties"]["Endpoint"] == {"Fn::GetAtt": ["BadgatewayFunction", "Arn"]}
    permissions = {name: r for name, r in resources.items() if r["Type"] == "AWS::Lambda::Permission"}
    assert {name: (p["Condition"], p["Properties"]["Principal"], p["Properties"]["SourceArn"])
            for name, p in permissions.items()} == {
        "BadgatewayAlarmRulePermission": ("HasAlarmRule", "events.amazonaws.com",
                                          {"Fn::GetAtt": ["BadgatewayAlarmRule", "Arn"]}),
        "BadgatewayAlarmTopicPermission": ("HasAlarmTopic", "sns.amazonaws.com", {"Ref": "AlarmTopicArn"}),
    }
    variables = resources["BadgatewayFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["BADGATEWAY_ALARM_CHANNEL"] == {"Ref": "AlarmChannel"}
    assert variables["BADGATEWAY_ALARM_TARGETS"] == {"Ref": "AlarmTargets"}


def test_bot_role_grants_exactly_what_the_code_calls():
    from_code = {action_for(call) for call in scan_aws_calls(ROOT / "bot")} - {None}
    granted = actions_of(statements(load_template("template.yaml"), "BadgatewayRole"))
    assert granted - NOT_CALLED_BY_THE_CODE == from_code, (
        f"granted, never called: {sorted(granted - NOT_CALLED_BY_THE_CODE - from_code)}; "
        f"called, not granted: {sorted(from_code - granted)}")


def test_cross_account_role_grants_exactly_what_the_live_checks_call():
    live = {action_for(call) for call in scan_aws_calls(ROOT / "bot" / "live")} - {None, "sts:AssumeRole"}
    granted = actions_of(statements(load_template("cross-account-role.yaml"), "BadgatewayCheckRole"))
    assert granted == live
