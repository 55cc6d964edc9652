"""Reading one request's log lines: the shapes AWS writes, bounded work on hostile input, and
nothing secret in what a trace shows."""

from __future__ import annotations

import json
import time

from bot.trace.lines import access_record, execution_facts, execution_line, function_facts
from tests.live.conftest import run_bot
from tests.trace.conftest import (
    LAMBDA_REQUEST,
    REQUEST,
    Shop,
    access,
    execution,
    function_run,
    started,
)


def test_execution_lines_give_the_route_the_call_and_the_lambda_request_id() -> None:
    facts = execution_facts(tuple(started(REQUEST, "/orders/42") + execution(
        REQUEST, "Received response. Status: 200, Integration latency: 25 ms",
        f"Endpoint response headers: {{Date=x, x-amzn-RequestId={LAMBDA_REQUEST}, Connection=keep-alive}}",
        "Method completed with status: 502")))
    assert (facts.method, facts.path, facts.status) == ("GET", "/orders/42", 502)
    assert (facts.integration_status, facts.integration_latency_ms) == (200, 25)
    assert facts.lambda_request_id == LAMBDA_REQUEST
    assert facts.function_reference == "arn:aws:lambda:us-east-1:123456789012:function:orders"
    assert execution_line(f"2024-05-01T10:00:00.000Z\t({REQUEST}) Method completed with status: 200") == (
        REQUEST, "Method completed with status: 200")


def test_a_report_line_gives_duration_and_memory() -> None:
    ran = function_facts(tuple(function_run(LAMBDA_REQUEST, duration=2999.5, memory=256, used=255)), LAMBDA_REQUEST)
    assert (ran.started, ran.ended, ran.duration_ms, ran.memory_size_mb, ran.max_memory_mb) == (
        True, True, 2999.5, 256, 255)
    newer = function_facts((f"REPORT RequestId: {LAMBDA_REQUEST}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\t"
                            "Memory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: timeout",), LAMBDA_REQUEST)
    assert newer.report_status == "timeout"


def test_access_records_fold_their_keys_and_refuse_what_is_not_a_record() -> None:
    record = access_record(json.dumps({"requestId": REQUEST, "integration.requestId": LAMBDA_REQUEST, "status": 502}))
    assert record == {"requestid": REQUEST, "integrationrequestid": LAMBDA_REQUEST, "status": "502"}
    for line in ("", "not json", "[1, 2]", "{" * 100_000 + "}" * 100_000, '{"a": ' * 5000 + "1" + "}" * 5000):
        assert access_record(line) is None


def test_hostile_lines_take_bounded_time() -> None:
    lines = ("(" + "a" * 300_000, "(x) " + "Endpoint request URI: " + "/" * 300_000,
             "REPORT RequestId: x " + "Duration: 1" * 50_000, "(" * 300_000)
    began = time.monotonic()
    execution_facts(lines)
    function_facts(lines, "x")
    assert time.monotonic() - began < 5  # generous: linear work on 1 MB


def test_secrets_in_the_logs_are_redacted_in_the_output(shop: Shop) -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    shop.world.log(shop.execution_group, [
        *started(REQUEST),
        *execution(REQUEST, f"Endpoint response body before transformations: {{\"statusCode\": 200, \"body\": "
                            f"{{\"aws_secret_access_key\": \"{secret}\"}}}}", "Method completed with status: 502"),
    ])
    shop.world.log(shop.access_group, [access(REQUEST, 502)])
    shop.world.log(shop.function_group, function_run(LAMBDA_REQUEST, f"[INFO] aws_secret_access_key={secret}"))
    done = run_bot("trace", REQUEST, "--api", shop.api, "--format", "json")
    assert done.returncode == 1, done.stderr
    assert secret not in done.stdout and "[REDACTED" in done.stdout
    assert json.loads(done.stdout)["verdict"] == "malformed-proxy-response"


def test_the_integration_lambda_request_id_wins_over_an_authorizer_call() -> None:
    authorizer_call = "11111111-2222-4333-8444-555555555555"
    facts = execution_facts(tuple(execution(
        REQUEST, f"Endpoint response headers: {{x-amzn-RequestId={authorizer_call}}}",
        f"Endpoint response headers: {{x-amzn-RequestId={LAMBDA_REQUEST}}}")))
    assert facts.lambda_request_id == LAMBDA_REQUEST
    facts = execution_facts(tuple(execution(
        REQUEST, f"Lambda execution failed with status 200 due to customer function error: x. Lambda request id: "
                 f"{LAMBDA_REQUEST}", f"Endpoint response headers: {{x-amzn-RequestId={authorizer_call}}}")))
    assert facts.lambda_request_id == LAMBDA_REQUEST
