"""The Slack credentials from SSM Parameter Store or Secrets Manager (moto's server on loopback)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.errors import BadGatewayError
from bot.slack.config import load_config
from bot.slack.hosting import secrets

from .conftest import (
    BOT_TOKEN,
    BOT_TOKEN_PARAMETER,
    ROOT,
    SIGNING_SECRET,
    SIGNING_SECRET_PARAMETER,
    aws_client,
    put_slack_parameters,
)

APP_TOKEN = "xapp-1-A0001-3333-fromsecretsmgr"
BY_PARAMETER = {"SLACK_BOT_TOKEN_PARAMETER": BOT_TOKEN_PARAMETER,
                "SLACK_SIGNING_SECRET_PARAMETER": SIGNING_SECRET_PARAMETER}


def env_with(**values: str) -> dict[str, str]:
    import os

    return {**os.environ, **values}


def one_line_naming(caught: pytest.ExceptionInfo, variable: str) -> str:
    message = str(caught.value)
    assert message.startswith(variable), message
    assert "\n" not in message and caught.value.exit_code == 2
    for value in (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN):
        assert value not in message
    return message


def test_parameters_are_read_in_one_call_and_decrypted(aws):
    put_slack_parameters()
    env = secrets.with_secrets(env_with(**BY_PARAMETER), "lambda")
    assert env["SLACK_BOT_TOKEN"] == BOT_TOKEN and env["SLACK_SIGNING_SECRET"] == SIGNING_SECRET
    config = load_config(env, "lambda")
    assert config.bot_token == BOT_TOKEN and config.signing_secret == SIGNING_SECRET


def test_read_once_per_process(aws):
    put_slack_parameters()
    first = secrets.with_secrets(env_with(**BY_PARAMETER), "lambda")
    aws_client("ssm").delete_parameters(Names=[BOT_TOKEN_PARAMETER, SIGNING_SECRET_PARAMETER])
    again = secrets.with_secrets(env_with(**BY_PARAMETER), "lambda")  # no second read
    assert again["SLACK_BOT_TOKEN"] == first["SLACK_BOT_TOKEN"] == BOT_TOKEN
    secrets.clear_cache()
    with pytest.raises(BadGatewayError):
        secrets.with_secrets(env_with(**BY_PARAMETER), "lambda")


def test_secrets_manager_json(aws):
    arn = aws_client("secretsmanager").create_secret(
        Name="badgateway/slack", SecretString=json.dumps(
            {"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "app_token": APP_TOKEN}))["ARN"]
    env = secrets.with_secrets(env_with(SLACK_SECRET_ARN=arn), "lambda")
    assert env["SLACK_BOT_TOKEN"] == BOT_TOKEN and env["SLACK_SIGNING_SECRET"] == SIGNING_SECRET
    assert "SLACK_APP_TOKEN" not in env or env["SLACK_APP_TOKEN"] != APP_TOKEN  # Lambda needs no app token
    socket = secrets.with_secrets(env_with(SLACK_SECRET_ARN=arn), "socket")
    assert socket["SLACK_APP_TOKEN"] == APP_TOKEN


def test_socket_mode_reads_the_app_token_parameter(aws):
    ssm = aws_client("ssm")
    ssm.put_parameter(Name="/bg/bot", Value=BOT_TOKEN, Type="SecureString")
    ssm.put_parameter(Name="/bg/app", Value=APP_TOKEN, Type="SecureString")
    env = secrets.with_secrets(env_with(SLACK_BOT_TOKEN_PARAMETER="/bg/bot", SLACK_APP_TOKEN_PARAMETER="/bg/app"),
                               "socket")
    assert load_config(env, "socket").app_token == APP_TOKEN


def test_a_variable_set_directly_is_used_as_it_is(aws):
    put_slack_parameters()
    env = secrets.with_secrets(env_with(SLACK_BOT_TOKEN="xoxb-9999-direct-token",
                                        SLACK_SIGNING_SECRET_PARAMETER=SIGNING_SECRET_PARAMETER), "lambda")
    assert env["SLACK_BOT_TOKEN"] == "xoxb-9999-direct-token" and env["SLACK_SIGNING_SECRET"] == SIGNING_SECRET


def test_missing_parameter_names_its_variable(aws):
    aws_client("ssm").put_parameter(Name=BOT_TOKEN_PARAMETER, Value=BOT_TOKEN, Type="SecureString")
    with pytest.raises(BadGatewayError) as caught:
        secrets.with_secrets(env_with(**BY_PARAMETER), "lambda")
    message = one_line_naming(caught, "SLACK_SIGNING_SECRET_PARAMETER")
    assert SIGNING_SECRET_PARAMETER in message and "not found in eu-west-1" in message


def test_missing_secret_names_its_variable(aws):
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:nothing-AbCdEf"
    with pytest.raises(BadGatewayError) as caught:
        secrets.with_secrets(env_with(SLACK_SECRET_ARN=arn), "lambda")
    assert "ResourceNotFoundException" in one_line_naming(caught, "SLACK_SECRET_ARN")


@pytest.mark.parametrize("value, problem", [
    ("xoxb-not-json", "is not a JSON object"),
    (json.dumps({"bot_token": BOT_TOKEN}), 'has no "signing_secret"'),
])
def test_malformed_secret_names_its_variable_and_never_its_value(aws, value, problem):
    arn = aws_client("secretsmanager").create_secret(Name="bg", SecretString=value)["ARN"]
    with pytest.raises(BadGatewayError) as caught:
        secrets.with_secrets(env_with(SLACK_SECRET_ARN=arn), "lambda")
    message = one_line_naming(caught, "SLACK_SECRET_ARN")
    assert problem in message and "xoxb-not-json" not in message


@pytest.mark.parametrize("extra, variable", [
    ({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_BOT_TOKEN and SLACK_BOT_TOKEN_PARAMETER are both set"),
    ({"SLACK_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x"},
     "SLACK_SECRET_ARN and SLACK_BOT_TOKEN_PARAMETER are both set"),
])
def test_two_sources_for_one_credential_is_an_error(aws, extra, variable):
    with pytest.raises(BadGatewayError) as caught:
        secrets.with_secrets(env_with(**BY_PARAMETER, **extra), "lambda")
    one_line_naming(caught, variable)


def test_no_region_is_one_line(aws, monkeypatch):
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(BadGatewayError) as caught:
        secrets.with_secrets(env_with(**BY_PARAMETER), "lambda")
    assert "no AWS region" in one_line_naming(caught, "SLACK_BOT_TOKEN_PARAMETER")


def test_a_plain_string_parameter_works_with_a_warning_that_names_it_only(aws, caplog):
    put_slack_parameters(kind="String")
    env = secrets.with_secrets(env_with(**BY_PARAMETER), "lambda")
    assert env["SLACK_BOT_TOKEN"] == BOT_TOKEN
    warnings = [r.getMessage() for r in caplog.records if r.name == "badgateway.secrets"]
    assert len(warnings) == 2 and all("SecureString" in w for w in warnings)
    assert not any(BOT_TOKEN in w or SIGNING_SECRET in w for w in warnings)


def test_without_parameters_nothing_is_read_and_boto3_is_not_imported():
    script = ("import sys; from bot.slack.hosting.secrets import with_secrets; "
              f"env = with_secrets({{'SLACK_BOT_TOKEN': '{BOT_TOKEN}', 'SLACK_SIGNING_SECRET': '{SIGNING_SECRET}'}}, 'lambda'); "
              "assert env['SLACK_BOT_TOKEN'].startswith('xoxb-'); print('boto3' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_missing_variable_message_points_at_the_alternatives():
    with pytest.raises(BadGatewayError) as caught:
        load_config({"SLACK_SIGNING_SECRET": SIGNING_SECRET}, "lambda")
    assert "SLACK_BOT_TOKEN_PARAMETER" in str(caught.value) and "SLACK_SECRET_ARN" in str(caught.value)
