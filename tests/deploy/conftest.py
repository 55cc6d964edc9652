# ruff: noqa: F811 -- fixtures imported from tests/slack are used as parameters here
"""Deployment tests: the templates, the IAM policies, the Lambda entry with its credentials in SSM,
logging, shutdown, the container. Everything runs on 127.0.0.1: the stand-in Slack and Lambda of
tests/slack, and moto's server for SSM and Secrets Manager.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

# The stand-ins and the loopback guard of the Slack tests, reused (autouse: nothing leaves 127.0.0.1).
from tests.slack.conftest import (  # noqa: F401
    BOT_TOKEN,
    SIGNING_SECRET,
    fake_slack,
    logging_restored,
    loopback_only,
    moto_dynamodb,
)
from tests.slack.test_lambda import FakeLambda
from tests.slack.test_serve_command import start  # noqa: F401 (`badgateway serve` processes, ended after)

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
REGION = "eu-west-1"
BOT_TOKEN_PARAMETER = "/badgateway/slack-bot-token"
SIGNING_SECRET_PARAMETER = "/badgateway/slack-signing-secret"

moto_server = pytest.importorskip("moto.server", reason="moto[server] is in the dev extra")


# -- CloudFormation YAML ---------------------------------------------------------------------


class CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short forms: !Ref X -> {"Ref": X}, !Sub s -> {"Fn::Sub": s}..."""


def _intrinsic(loader: CfnLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CfnLoader.add_multi_constructor("!", _intrinsic)


def load_template(name: str) -> dict[str, Any]:
    return yaml.load((DEPLOY / name).read_text(), Loader=CfnLoader)  # CfnLoader is a SafeLoader


# The opt-in policies, each with the template condition (and parameter) that grants it.
OPT_IN_POLICIES = {"iam-policy-invoke.json": "TestInvokeAllowed",
                   "iam-policy-inspect-package.json": "PackageInspectionAllowed"}


def iam_policy(name: str = "iam-policy.json") -> dict[str, Any]:
    """deploy/iam-policy.json: the default live checks' actions, the source of truth; the opt-in
    checks' actions are in deploy/iam-policy-invoke.json and deploy/iam-policy-inspect-package.json."""
    return json.loads((DEPLOY / name).read_text())


def all_live_statements() -> list[tuple[dict[str, Any], str | None]]:
    """Every live-check statement, with the condition it must sit under (None: always granted)."""
    found: list[tuple[dict[str, Any], str | None]] = [(s, None) for s in iam_policy()["Statement"]]
    for name, condition in OPT_IN_POLICIES.items():
        found += [(s, condition) for s in iam_policy(name)["Statement"]]
    return found


# -- AWS on loopback -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def moto_url(moto_dynamodb):
    """moto's server on 127.0.0.1, the one the Slack tests start (its backends are per process)."""
    return moto_dynamodb


@pytest.fixture
def aws(moto_url, monkeypatch, tmp_path):
    """Dummy credentials, AWS_ENDPOINT_URL at moto (reset), no profile, no instance metadata."""
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"), timeout=10)
    for key, value in {
        "AWS_ENDPOINT_URL": moto_url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                "AWS_ENDPOINT_URL_LAMBDA", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN",
                "SLACK_BOT_TOKEN_PARAMETER", "SLACK_SIGNING_SECRET_PARAMETER", "SLACK_APP_TOKEN_PARAMETER",
                "SLACK_SECRET_ARN", "BADGATEWAY_LOG_LEVEL", "BADGATEWAY_LOG_FORMAT"):
        monkeypatch.delenv(key, raising=False)
    from bot.slack.hosting import secrets

    secrets.clear_cache()
    yield moto_url
    secrets.clear_cache()


def aws_client(service: str) -> Any:
    import boto3

    return boto3.client(service)


def put_slack_parameters(bot_token: str = BOT_TOKEN, signing_secret: str = SIGNING_SECRET,
                         kind: str = "SecureString") -> None:
    ssm = aws_client("ssm")
    ssm.put_parameter(Name=BOT_TOKEN_PARAMETER, Value=bot_token, Type=kind)
    ssm.put_parameter(Name=SIGNING_SECRET_PARAMETER, Value=signing_secret, Type=kind)


@pytest.fixture
def fake_lambda():
    stand_in = FakeLambda()
    yield stand_in
    stand_in.close()


@pytest.fixture
def deployed(aws, fake_slack, fake_lambda, monkeypatch, logging_restored):
    """The function's environment as the template sets it, on a fresh container."""
    put_slack_parameters()
    for key, value in {
        "SLACK_BOT_TOKEN_PARAMETER": BOT_TOKEN_PARAMETER, "SLACK_SIGNING_SECRET_PARAMETER": SIGNING_SECRET_PARAMETER,
        "SLACK_SECRET_ARN": "", "SLACK_API_URL": fake_slack.api_url, "AWS_ENDPOINT_URL_LAMBDA": fake_lambda.url,
        "BADGATEWAY_WATCH_CHANNELS": "", "BADGATEWAY_LOG_FORMAT": "json", "BADGATEWAY_LOG_LEVEL": "INFO",
        "AWS_SESSION_TOKEN": "session-token-from-lambda",
    }.items():
        monkeypatch.setenv(key, value)
    from bot.slack.hosting import lambda_entry

    lambda_entry.reset()
    yield fake_slack, fake_lambda
    lambda_entry.reset()
