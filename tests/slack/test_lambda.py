"""The Lambda entry end to end: a Function URL / API Gateway event in, the ack out, and the work in
the second, asynchronous invocation that Bolt's lazy runner requests through boto3 — answered here
by a stand-in Lambda Invoke endpoint on loopback, which runs the handler as Lambda would."""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from bot.slack.config import load_config
from bot.slack.hosting import lambda_entry
from bot.slack.services import Services

from .conftest import DM, TIMEOUT_LOG, bot_env, event_body, message_event, new_event_id, sign

FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:badgateway"
CONTEXT = SimpleNamespace(function_name="badgateway", invoked_function_arn=FUNCTION_ARN,
                          aws_request_id="req-1")


class FakeLambda:
    """POST /2015-03-31/functions/NAME/invocations: recorded, 202, then the handler runs the payload."""

    def __init__(self) -> None:
        self.invocations: list[dict] = []
        self.results: list[dict] = []
        self.done = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.invocations.append({"path": urllib.parse.unquote(self.path),
                                         "type": self.headers.get("X-Amz-Invocation-Type"),
                                         "payload": payload})
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()
                threading.Thread(target=fake.run, args=(payload,), daemon=True).start()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def run(self, payload: dict) -> None:
        result = lambda_entry.handler(payload, CONTEXT)  # the asynchronous second invocation
        with self.done:
            self.results.append(result)
            self.done.notify_all()

    def wait(self, count: int = 1, timeout: float = 10.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self.done:
            while len(self.results) < count and time.monotonic() < deadline:
                self.done.wait(deadline - time.monotonic())
        return self.results

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def on_lambda(fake_slack, monkeypatch, tmp_path):
    fake_lambda = FakeLambda()
    for key, value in {
        "AWS_ENDPOINT_URL_LAMBDA": fake_lambda.url, "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-1", "AWS_REGION": "eu-west-1",
        "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    services = Services(load_config(bot_env(fake_slack), "lambda"))
    lambda_entry._handler = lambda_entry.build_handler(services.config, services=services)
    yield SimpleNamespace(fake=fake_slack, lam=fake_lambda, services=services)
    lambda_entry.reset()
    fake_lambda.close()


def function_url_event(body: bytes, content_type: str, headers: dict | None = None) -> dict:
    now = int(time.time())
    return {
        "version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "",
        "headers": {"content-type": content_type, "x-slack-request-timestamp": str(now),
                    "x-slack-signature": sign(body, now), "host": "abc.lambda-url.eu-west-1.on.aws",
                    **(headers or {})},
        "requestContext": {"http": {"method": "POST", "path": "/", "sourceIp": "3.3.3.3"},
                           "requestId": "r1", "timeEpoch": now * 1000},
        "body": base64.b64encode(body).decode(), "isBase64Encoded": True,
    }


def api_gateway_event(body: bytes, content_type: str) -> dict:
    now = int(time.time())
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(now),
               "X-Slack-Signature": sign(body, now)}
    return {
        "resource": "/slack/events", "path": "/slack/events", "httpMethod": "POST", "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()}, "queryStringParameters": None,
        "requestContext": {"httpMethod": "POST", "resourcePath": "/slack/events", "stage": "prod"},
        "body": body.decode(), "isBase64Encoded": False,
    }


def dm_body(text: str = TIMEOUT_LOG, event_id: str | None = None) -> tuple[str, bytes]:
    event_id = event_id or new_event_id()
    body = event_body(message_event(text, channel=DM, channel_type="im"), event_id)
    return event_id, json.dumps(body).encode()


@pytest.mark.parametrize("shape", [function_url_event, api_gateway_event])
def test_event_is_acked_then_answered_in_the_lazy_invocation(on_lambda, shape):
    event_id, body = dm_body()
    started = time.monotonic()
    first = lambda_entry.handler(shape(body, "application/json"), CONTEXT)
    assert first["statusCode"] == 200 and time.monotonic() - started < 3
    assert on_lambda.fake.calls_to("chat.postMessage") == []  # no work before the ack
    [invocation] = on_lambda.lam.invocations
    assert invocation["type"] == "Event" and FUNCTION_ARN in invocation["path"]
    assert invocation["payload"]["badgateway"] == "lazy"  # our own event: only a direct Invoke sends it
    assert invocation["payload"]["headers"]["x-slack-bolt-lazy-only"] == ["1"]
    assert on_lambda.lam.wait()[0]["statusCode"] == 200
    assert on_lambda.services.activity.wait_for(event_id) == ["replied"]
    [reply] = on_lambda.fake.calls_to("chat.postMessage")
    assert reply.params["metadata"]["event_payload"]["entries"][0] == "function-timeout"


def test_slash_command_on_lambda(on_lambda):
    response_url = f"{on_lambda.fake.url}/response/77"
    body = urllib.parse.urlencode({"command": "/502", "text": "list", "user_id": "UALICE01",
                                   "team_id": "T0001", "channel_id": "C1", "response_url": response_url,
                                   "api_app_id": "A0001", "trigger_id": "1"}).encode()
    first = lambda_entry.handler(function_url_event(body, "application/x-www-form-urlencoded"), CONTEXT)
    assert first["statusCode"] == 200
    [answer] = on_lambda.fake.wait_for("response_url")
    assert "function-timeout" in json.dumps(answer.params["blocks"])


def test_retries_are_dropped_on_lambda(on_lambda):
    event_id, body = dm_body()
    retry = function_url_event(body, "application/json", {"x-slack-retry-num": "1",
                                                          "x-slack-retry-reason": "http_timeout"})
    assert lambda_entry.handler(retry, CONTEXT)["statusCode"] == 200
    assert on_lambda.lam.invocations == []
    assert on_lambda.services.activity.outcomes(event_id) == ["retry-dropped"]


def test_bad_signature_is_401_on_lambda(on_lambda):
    _, body = dm_body()
    event = function_url_event(body, "application/json")
    event["headers"]["x-slack-signature"] = "v0=" + "0" * 64
    assert lambda_entry.handler(event, CONTEXT)["statusCode"] == 401
    assert on_lambda.lam.invocations == []


def test_handler_builds_itself_from_the_environment(fake_slack, monkeypatch, logging_restored):
    lambda_entry.reset()
    for key, value in bot_env(fake_slack).items():
        monkeypatch.setenv(key, value)
    body = b'{"type": "url_verification", "challenge": "c-42"}'
    try:
        result = lambda_entry.handler(function_url_event(body, "application/json"), CONTEXT)
    finally:
        lambda_entry.reset()
    assert result["statusCode"] == 200 and "c-42" in result["body"]


def test_misconfigured_lambda_answers_500_and_logs_one_line(monkeypatch, caplog, logging_restored):
    lambda_entry.reset()
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1111-2222-testbottoken")
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    try:
        result = lambda_entry.handler(function_url_event(b"{}", "application/json"), CONTEXT)
    finally:
        lambda_entry.reset()
    assert result["statusCode"] == 500
    [record] = [r for r in caplog.records if r.name == "badgateway.lambda"]
    assert "SLACK_SIGNING_SECRET is not set" in record.getMessage()
    assert "\n" not in record.getMessage()


# -- with the shared state table: two containers ----------------------------------------------------


class Container(FakeLambda):
    """One Lambda container: its own app and memory, invoking itself through a stand-in of its own."""

    def __init__(self, config) -> None:
        super().__init__()
        import os

        from bot.slack.hosting.lambda_invoke import SelfInvoker

        self.services = Services(config)
        invoker = SelfInvoker({**os.environ, "AWS_ENDPOINT_URL_LAMBDA": self.url})
        self.handler = lambda_entry.build_handler(config, services=self.services, lambda_client=invoker)

    def run(self, payload: dict) -> None:
        result = self.handler.handle(payload, CONTEXT)
        with self.done:
            self.results.append(result)
            self.done.notify_all()


@pytest.fixture
def two_containers(fake_slack, state_table, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", state_table.env["AWS_REGION"])
    config = load_config(bot_env(fake_slack, BADGATEWAY_STATE_TABLE=state_table.name), "lambda")
    containers = [Container(config), Container(config)]
    yield containers
    for container in containers:
        container.close()


def test_a_retry_handled_in_one_container_is_not_handled_again_in_another(two_containers, fake_slack):
    first, second = two_containers
    event_id, body = dm_body()
    assert first.handler.handle(function_url_event(body, "application/json"), CONTEXT)["statusCode"] == 200
    assert first.wait()[0]["statusCode"] == 200 and first.services.activity.wait_for(event_id) == ["replied"]
    retry = function_url_event(body, "application/json", {"x-slack-retry-num": "1",
                                                          "x-slack-retry-reason": "http_timeout"})
    assert second.handler.handle(retry, CONTEXT)["statusCode"] == 200  # acked, and its work looked at
    second.wait()
    assert second.services.activity.wait_for(event_id) == ["duplicate"]
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_a_retry_whose_first_delivery_was_never_handled_is_answered(two_containers, fake_slack):
    """Slack's http_error retry after a first delivery that failed before any work (a 500, a cold
    start that crashed): in memory it would be dropped; with the shared table it is answered."""
    _, second = two_containers
    event_id, body = dm_body()
    retry = function_url_event(body, "application/json", {"x-slack-retry-num": "1",
                                                          "x-slack-retry-reason": "http_error"})
    assert second.handler.handle(retry, CONTEXT)["statusCode"] == 200
    second.wait()
    assert second.services.activity.wait_for(event_id) == ["replied"]
    [reply] = fake_slack.calls_to("chat.postMessage")
    assert reply.params["metadata"]["event_payload"]["entries"][0] == "function-timeout"


def test_the_ack_never_waits_for_the_table(two_containers, fake_slack):
    """With the shared table, what was answered is decided in the second invocation: the first
    (the ack, on the calling thread) makes no DynamoDB call; the second does."""
    first, _ = two_containers
    calls: list[tuple[str, int]] = []
    store = first.services.state.store
    original = store._failures

    def counted(operation):
        calls.append((operation, threading.get_ident()))
        return original(operation)

    store._failures = counted
    event_id, body = dm_body()
    first.handler.handle(function_url_event(body, "application/json"), CONTEXT)
    acking = threading.get_ident()
    first.wait()
    assert first.services.activity.wait_for(event_id) == ["replied"]
    assert [op for op, thread in calls if thread == acking] == []  # nothing before the ack
    assert "PutItem" in [op for op, thread in calls if thread != acking]  # the claim, in the work
