"""The Lambda entry as deploy/template.yaml runs it: credentials in SSM (moto), a Function URL or an
API Gateway event in, the ack out, the work in the second invocation (the stand-in Lambda of
tests/slack), the reply at the stand-in Slack. And the self-invocation's signature, held to
botocore's own signer."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from bot.slack.hosting import lambda_entry
from bot.slack.hosting.lambda_adapter import to_bolt_request
from bot.slack.hosting.lambda_invoke import SelfInvoker
from tests.slack.test_lambda import (
    CONTEXT,
    FUNCTION_ARN,
    api_gateway_event,
    dm_body,
    function_url_event,
)

from .conftest import BOT_TOKEN, ROOT, SIGNING_SECRET, SIGNING_SECRET_PARAMETER


@pytest.mark.parametrize("shape", [function_url_event, api_gateway_event])
def test_cold_start_reads_ssm_acks_and_answers_in_the_lazy_invocation(deployed, shape):
    fake_slack, fake_lambda = deployed
    _, body = dm_body()
    started = time.monotonic()
    first = lambda_entry.handler(shape(body, "application/json"), CONTEXT)
    assert first["statusCode"] == 200 and time.monotonic() - started < 3
    assert fake_slack.calls_to("chat.postMessage") == []  # the ack comes before any work
    # auth.test with the token read from SSM (the stand-in refuses any other token)
    [auth] = fake_slack.calls_to("auth.test")
    assert auth.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    [invocation] = fake_lambda.invocations
    assert invocation["type"] == "Event" and FUNCTION_ARN in invocation["path"]
    assert invocation["payload"]["badgateway"] == "lazy"
    assert fake_lambda.wait()[0]["statusCode"] == 200  # the second invocation, same container
    [reply] = fake_slack.wait_for("chat.postMessage")
    assert reply.params["metadata"]["event_payload"]["entries"][0] == "function-timeout"


def test_slash_command_through_api_gateway(deployed):
    import urllib.parse

    fake_slack, _ = deployed
    response_url = f"{fake_slack.url}/response/1"
    body = urllib.parse.urlencode({"command": "/502", "text": "show function-timeout", "user_id": "UALICE01",
                                   "team_id": "T0001", "channel_id": "C1", "response_url": response_url,
                                   "api_app_id": "A0001", "trigger_id": "1"}).encode()
    assert lambda_entry.handler(api_gateway_event(body, "application/x-www-form-urlencoded"),
                                CONTEXT)["statusCode"] == 200
    [answer] = fake_slack.wait_for("response_url")
    assert "function-timeout" in json.dumps(answer.params)


def test_unreadable_credentials_answer_500_and_log_one_line_naming_the_variable(deployed, caplog):
    import boto3

    boto3.client("ssm").delete_parameter(Name=SIGNING_SECRET_PARAMETER)
    _, body = dm_body()
    result = lambda_entry.handler(function_url_event(body, "application/json"), CONTEXT)
    assert result["statusCode"] == 500 and "misconfigured" in result["body"]
    [record] = [r for r in caplog.records if r.name == "badgateway.lambda"]
    assert record.getMessage().startswith("badgateway: SLACK_SIGNING_SECRET_PARAMETER: SSM parameter")
    assert "\n" not in record.getMessage()
    # fixed in SSM: the next request builds the app (a failed start is not cached)
    boto3.client("ssm").put_parameter(Name=SIGNING_SECRET_PARAMETER, Value=SIGNING_SECRET, Type="SecureString")
    from bot.slack.hosting import secrets

    secrets.clear_cache()
    assert lambda_entry.handler(function_url_event(body, "application/json"), CONTEXT)["statusCode"] == 200


def test_lazy_headers_from_the_internet_are_dropped():
    """Only the function's own invocation (a direct, IAM-checked Invoke) may ask for the lazy half."""
    _, body = dm_body()
    event = function_url_event(body, "application/json", {"x-slack-bolt-lazy-only": "1",
                                                           "x-slack-bolt-lazy-function-name": "answer_direct_message"})
    request = to_bolt_request(event)
    assert not request.lazy_only and request.lazy_function_name is None


def test_get_and_non_http_events_are_refused():
    from bot.slack.hosting.lambda_adapter import LambdaRequestHandler

    handler = LambdaRequestHandler.__new__(LambdaRequestHandler)  # handle() refuses before using the app
    assert handler.handle({"requestContext": {"http": {"method": "GET"}}}, CONTEXT)["statusCode"] == 404
    assert handler.handle({"source": "aws.events"}, CONTEXT)["statusCode"] == 400


# -- the self-invocation's signature ---------------------------------------------------------

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
               "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEXAMPLETOKEN"}


@pytest.mark.parametrize("function, env", [
    (FUNCTION_ARN, {}),
    ("arn:aws:lambda:eu-west-1:123456789012:function:badgateway:live", {}),
    ("badgateway", {"AWS_REGION": "us-east-2"}),
    ("arn:aws-cn:lambda:cn-north-1:123456789012:function:badgateway", {}),
    (FUNCTION_ARN, {"AWS_ENDPOINT_URL_LAMBDA": "http://127.0.0.1:4566/prefix"}),
])
def test_signature_is_botocores(function, env):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    payload = json.dumps({"badgateway": "lazy", "body": "text=caf\u00e9 & more", "headers": {}}).encode()
    invoker = SelfInvoker({**CREDENTIALS, **env})
    url, headers = invoker.signed_request(function, "Event", payload, now=1700000000.0)
    region = function.split(":")[3] if function.startswith("arn:") else env["AWS_REGION"]
    unsigned = {k: v for k, v in headers.items() if k not in ("authorization", "x-amz-date", "x-amz-security-token")}
    request = AWSRequest(method="POST", url=url, data=payload, headers=unsigned)
    credentials = Credentials(CREDENTIALS["AWS_ACCESS_KEY_ID"], CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                              CREDENTIALS["AWS_SESSION_TOKEN"])
    signer = SigV4Auth(credentials, "lambda", region)
    request.context["timestamp"] = headers["x-amz-date"]
    signer._modify_request_before_signing(request)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    assert headers["authorization"].endswith(f"Signature={expected}")
    assert f"Credential=AKIDEXAMPLE/20231114/{region}/lambda/aws4_request" in headers["authorization"]
    assert headers["x-amz-security-token"] == CREDENTIALS["AWS_SESSION_TOKEN"]
    # the same URL botocore's serializer builds for Invoke
    assert url.endswith("/2015-03-31/functions/" + function.replace(":", "%3A") + "/invocations")
    if not env:
        suffix = "amazonaws.com.cn" if function.startswith("arn:aws-cn") else "amazonaws.com"
        assert url.startswith(f"https://lambda.{region}.{suffix}/")


def test_invoke_url_matches_boto3(monkeypatch):
    """botocore's own request for Invoke goes to the same URL (checked without sending it)."""
    import boto3

    client = boto3.client("lambda", region_name="eu-west-1", aws_access_key_id="a", aws_secret_access_key="b")
    seen = {}

    def capture(request, **kwargs):
        seen["url"] = request.url
        raise RuntimeError("stop")

    client.meta.events.register("before-send.lambda.Invoke", capture)
    with pytest.raises(RuntimeError):
        client.invoke(FunctionName=FUNCTION_ARN, InvocationType="Event", Payload=b"{}")
    url, _ = SelfInvoker({**CREDENTIALS, "AWS_REGION": "eu-west-1"}).signed_request(
        FUNCTION_ARN, "Event", b"{}", time.time())
    assert url == seen["url"]


def test_importing_the_entry_imports_no_boto3():
    result = subprocess.run([sys.executable, "-c", "import sys, bot.slack.hosting.lambda_entry; "
                             "print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_failed_self_invocation_still_acks_and_says_why_once(deployed, caplog):
    fake_slack, fake_lambda = deployed

    class Refusing:
        def invoke(self, **kwargs):
            raise RuntimeError("AccessDeniedException: not authorized to perform lambda:InvokeFunction")

    event_id, body = dm_body()
    lambda_entry.handler(function_url_event(b"{}", "application/json"), CONTEXT)  # builds the app
    lambda_entry._handler.runner.lambda_client = Refusing()
    assert lambda_entry.handler(function_url_event(body, "application/json"), CONTEXT)["statusCode"] == 200
    [error] = [r for r in caplog.records if r.name == "badgateway.lambda" and r.levelname == "ERROR"]
    assert "lambda:InvokeFunction on itself" in error.getMessage()
    [line] = [r for r in caplog.records if r.name == "badgateway.events"]
    assert line.outcome == "invoke-failed" and line.delivery == event_id
    assert fake_lambda.invocations == [] and fake_slack.calls_to("chat.postMessage") == []
