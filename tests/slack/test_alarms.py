"""Alarms that diagnose themselves: CloudWatch alarm notifications (EventBridge and SNS shapes) into
the Lambda entry, the live checks against moto's server, the findings in one thread of the alarm
channel of a stand-in Slack, updated when the alarm is OK again; once per alarm per window, across
containers that share the state table; nothing for alarms of resources nobody configured."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from bot.slack.config import load_config
from bot.slack.handling.alarms import AlarmChange, alarm_changes, is_alarm_event, target_of

from .conftest import WAIT, bot_env
from .test_lambda import CONTEXT

CHANNEL = "CALARMS01"
REASON = ("Threshold Crossed: 1 out of the last 1 datapoints [42.0 (01/06/24 09:20:00)] was greater than the "
          "threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).")


def alarm_arn(name: str, region: str = "us-east-1") -> str:
    return f"arn:aws:cloudwatch:{region}:123456789012:alarm:{name}"


def eventbridge(name: str, state: str, dimensions: dict, *, namespace: str = "AWS/ApiGateway",
                metric: str = "5XXError", reason: str = REASON) -> dict:
    """What EventBridge delivers for an alarm's change of state."""
    return {
        "version": "0", "id": "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92", "detail-type": "CloudWatch Alarm State Change",
        "source": "aws.cloudwatch", "account": "123456789012", "time": "2024-06-01T09:21:00Z",
        "region": "us-east-1", "resources": [alarm_arn(name)],
        "detail": {
            "alarmName": name,
            "state": {"value": state, "reason": reason, "reasonData": "{}", "timestamp": "2024-06-01T09:21:00.000+0000"},
            "previousState": {"value": "OK" if state == "ALARM" else "ALARM", "reason": "", "timestamp": "2024-06-01T09:00:00.000+0000"},
            "configuration": {"description": "", "metrics": [{
                "id": "m1", "returnData": True,
                "metricStat": {"metric": {"namespace": namespace, "name": metric, "dimensions": dimensions},
                               "period": 60, "stat": "Sum"}}]},
        },
    }


def sns(name: str, state: str, dimensions: dict, *, namespace: str = "AWS/ApiGateway", metric: str = "5XXError") -> dict:
    """What an SNS subscription delivers for an alarm that notifies the topic."""
    message = {
        "AlarmName": name, "AlarmDescription": None, "AWSAccountId": "123456789012", "NewStateValue": state,
        "NewStateReason": REASON, "StateChangeTime": "2024-06-01T09:21:00.000+0000", "Region": "US East (N. Virginia)",
        "AlarmArn": alarm_arn(name), "OldStateValue": "OK", "OKActions": [], "AlarmActions": [],
        "Trigger": {"MetricName": metric, "Namespace": namespace, "StatisticType": "Statistic", "Statistic": "SUM",
                    "Unit": None, "Dimensions": [{"value": v, "name": k} for k, v in dimensions.items()],
                    "Period": 60, "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanThreshold",
                    "Threshold": 0.0, "TreatMissingData": "missing"},
    }
    return {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
                         "EventSubscriptionArn": "arn:aws:sns:us-east-1:123456789012:alarms:1b2c",
                         "Sns": {"Type": "Notification", "MessageId": "95df01b4", "Subject": f"{state}: {name}",
                                 "TopicArn": "arn:aws:sns:us-east-1:123456789012:alarms",
                                 "Message": json.dumps(message), "Timestamp": "2024-06-01T09:21:00.100Z"}}]}


SHOP = {"ApiName": "shop-demo", "Stage": "prod"}


# -- reading the notifications ----------------------------------------------------------------------


def test_both_shapes_read_as_the_same_change():
    [by_rule] = alarm_changes(eventbridge("shop-5xx", "ALARM", SHOP))
    [by_topic] = alarm_changes(sns("shop-5xx", "ALARM", SHOP))
    for change in (by_rule, by_topic):
        assert isinstance(change, AlarmChange)
        assert (change.name, change.arn, change.state, change.region) == ("shop-5xx", alarm_arn("shop-5xx"),
                                                                          "ALARM", "us-east-1")
        assert change.metrics[0].namespace == "AWS/ApiGateway" and dict(change.metrics[0].dimensions) == SHOP
    assert (by_rule.source, by_topic.source) == ("eventbridge", "sns")


def test_targets_come_from_the_dimensions_and_the_configuration_only():
    targets = {"shop-demo": "a1b2c3d4e5", "f6g7h8i9j0": "f6g7h8i9j0", "checkout": "a1b2c3d4e5"}
    rest = target_of(alarm_changes(eventbridge("a", "ALARM", SHOP))[0], targets)
    assert (rest.api_id, rest.stage, rest.function) == ("a1b2c3d4e5", "prod", None)
    http = target_of(alarm_changes(sns("b", "ALARM", {"ApiId": "f6g7h8i9j0", "Stage": "$default"},
                                       metric="5xx"))[0], targets)
    assert (http.api_id, http.stage) == ("f6g7h8i9j0", "$default")
    function = target_of(alarm_changes(eventbridge("c", "ALARM", {"FunctionName": "checkout"}, namespace="AWS/Lambda",
                                                   metric="Throttles"))[0], targets)
    assert (function.api_id, function.function, function.metric) == ("a1b2c3d4e5", "checkout", "Throttles")
    for other in (eventbridge("d", "ALARM", {"ApiName": "not-configured"}),
                  eventbridge("e", "ALARM", {"FunctionName": "elsewhere"}, namespace="AWS/Lambda"),
                  eventbridge("f", "ALARM", {"InstanceId": "i-0abc"}, namespace="AWS/EC2", metric="CPUUtilization")):
        assert target_of(alarm_changes(other)[0], targets) is None


@pytest.mark.parametrize("event", [
    {}, {"source": "aws.cloudwatch"}, {"source": "aws.cloudwatch", "detail-type": "CloudWatch Alarm State Change"},
    {"source": "aws.cloudwatch", "detail-type": "CloudWatch Alarm State Change", "detail": {"alarmName": "x"},
     "resources": ["not-an-arn"]},
    {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": "not json"}}]},
    {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps({"AlarmName": "x"})}}]},
    {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": "[" * 100_000}}]},
    {"Records": "nope"},
])
def test_malformed_notifications_are_no_changes(event):
    assert alarm_changes(event) == [] if isinstance(event.get("Records", []), list) else not is_alarm_event(event)


# -- end to end, on the Lambda entry ------------------------------------------------------------------


def lambda_handler(fake_slack, **env):
    from bot.slack.hosting.lambda_entry import build_handler
    from bot.slack.services import Services

    config = load_config(bot_env(fake_slack, BADGATEWAY_ALARM_CHANNEL=CHANNEL, **env), "lambda")
    services = Services(config)
    return SimpleNamespace(handler=build_handler(config, services=services), services=services)


@pytest.fixture
def alarmed(fake_slack, aws_env):
    container = lambda_handler(fake_slack, BADGATEWAY_ALARM_TARGETS=f"shop-demo={aws_env.api_id}")
    return SimpleNamespace(fake=fake_slack, api=aws_env.api_id, **vars(container))


def posts(fake, **where):
    return [c for c in fake.calls_to("chat.postMessage") if all(c.params.get(k) == v for k, v in where.items())]


def test_an_alarm_is_investigated_in_one_thread_that_says_when_it_is_ok(alarmed):
    result = alarmed.handler.handle(eventbridge("shop-5xx", "ALARM", SHOP), CONTEXT)
    assert result == {"alarms": ["replied"]}
    first, findings = posts(alarmed.fake)[:2]
    assert first.params["channel"] == CHANNEL and not first.params.get("thread_ts")
    first_text = json.dumps(first.params["blocks"])
    assert "shop-5xx is in ALARM" in first_text and alarmed.api in first_text and "stage prod" in first_text
    root = alarmed.fake.wait_for("chat.update")[0].params["ts"]
    assert findings.params["thread_ts"] == root
    text = json.dumps(findings.params["blocks"])
    assert "missing-invoke-permission" in text and "lambda-throttled" in text
    [updated] = alarmed.fake.calls_to("chat.update")
    assert "failing" in json.dumps(updated.params["blocks"])  # the first message says what was found

    # The same change by the SNS subscription too, and the alarm flapping: one investigation per window.
    assert alarmed.handler.handle(sns("shop-5xx", "ALARM", SHOP), CONTEXT) == {"alarms": ["duplicate"]}
    assert len(posts(alarmed.fake)) == 2

    assert alarmed.handler.handle(sns("shop-5xx", "OK", SHOP), CONTEXT) == {"alarms": ["replied"]}
    [ok] = posts(alarmed.fake, thread_ts=root)[1:]
    assert "Back to OK" in json.dumps(ok.params["blocks"])
    closed = alarmed.fake.calls_to("chat.update")[-1]
    assert closed.params["ts"] == root and "back to OK" in json.dumps(closed.params["blocks"])
    assert "failing" in json.dumps(closed.params["blocks"])  # still says what was found
    assert alarmed.handler.handle(eventbridge("shop-5xx", "OK", SHOP), CONTEXT) == {"alarms": ["duplicate"]}


def test_a_function_alarm_checks_the_api_in_front_of_it(fake_slack, aws_env):
    container = lambda_handler(fake_slack, BADGATEWAY_ALARM_TARGETS=f"checkout={aws_env.api_id}")
    event = eventbridge("checkout-throttles", "ALARM", {"FunctionName": "checkout"}, namespace="AWS/Lambda",
                        metric="Throttles")
    assert container.handler.handle(event, CONTEXT) == {"alarms": ["replied"]}
    first = posts(fake_slack)[0]
    assert "function checkout" in json.dumps(first.params["blocks"])


def test_alarms_of_other_resources_run_nothing(fake_slack, aws_env):
    container = lambda_handler(fake_slack, BADGATEWAY_ALARM_TARGETS=f"shop-demo={aws_env.api_id}")
    for event in (eventbridge("other-5xx", "ALARM", {"ApiName": "someone-else"}),
                  eventbridge("cpu", "ALARM", {"InstanceId": "i-0abc"}, namespace="AWS/EC2", metric="CPUUtilization"),
                  eventbridge("shop-5xx", "INSUFFICIENT_DATA", SHOP),
                  sns("shop-5xx", "OK", SHOP)):  # an OK with no investigation before it
        assert container.handler.handle(event, CONTEXT) == {"alarms": ["ignored"]}
    nobody = lambda_handler(fake_slack)  # nothing configured at all
    assert nobody.handler.handle(eventbridge("shop-5xx", "ALARM", SHOP), CONTEXT) == {"alarms": ["ignored"]}
    assert not fake_slack.calls_to("chat.postMessage")


def test_an_alarm_that_names_a_missing_stage_says_so_in_its_thread(alarmed):
    event = eventbridge("shop-5xx-beta", "ALARM", {"ApiName": "shop-demo", "Stage": "beta"})
    assert alarmed.handler.handle(event, CONTEXT) == {"alarms": ["replied"]}
    _, notice = posts(alarmed.fake)
    assert "could not run" in notice.params["text"] and "beta" in notice.params["text"]


def test_aws_text_in_the_alarm_is_redacted(alarmed):
    event = eventbridge("shop-5xx", "ALARM", SHOP, reason=REASON + " token=ghp_abcdefghijklmnopqrstuvwxyz0123456789")
    alarmed.handler.handle(event, CONTEXT)
    first = posts(alarmed.fake)[0]
    assert "ghp_abcdefghijklmnopqrstuvwxyz0123456789" not in json.dumps(first.params)


def test_a_bot_not_in_the_alarm_channel_fails_in_one_line(alarmed, caplog):
    alarmed.fake.outside.add(CHANNEL)
    with caplog.at_level("ERROR"):
        assert alarmed.handler.handle(eventbridge("shop-5xx", "ALARM", SHOP), CONTEXT) == {"alarms": ["failed"]}
    assert any("not_in_channel" in r.getMessage() for r in caplog.records)


def test_two_containers_sharing_the_table_investigate_once(fake_slack, state_table, aws_env, monkeypatch):
    """The EventBridge rule and the SNS subscription both deliver the change, each to a container of
    its own: one investigation; the OK, delivered twice as well, is said once."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", state_table.env["AWS_REGION"])  # the function's, and its table's
    env = {"BADGATEWAY_ALARM_TARGETS": f"shop-demo={aws_env.api_id}", "BADGATEWAY_STATE_TABLE": state_table.name}
    first, second = lambda_handler(fake_slack, **env), lambda_handler(fake_slack, **env)
    assert first.services.state.shared and first.services.state is not second.services.state
    assert first.handler.handle(eventbridge("shop-5xx", "ALARM", SHOP), CONTEXT) == {"alarms": ["replied"]}
    assert second.handler.handle(sns("shop-5xx", "ALARM", SHOP), CONTEXT) == {"alarms": ["duplicate"]}
    assert second.handler.handle(sns("shop-5xx", "OK", SHOP), CONTEXT) == {"alarms": ["replied"]}
    assert first.handler.handle(eventbridge("shop-5xx", "OK", SHOP), CONTEXT) == {"alarms": ["duplicate"]}
    assert len(posts(fake_slack)) == 3  # the first message, the findings, the OK
    fake_slack.wait_for("chat.update", count=2, timeout=WAIT)
