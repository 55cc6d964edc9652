"""Finding the quoted response in pasted logs, reading the pasted JSON, and telling the runtime."""

from __future__ import annotations

import json

import pytest

from bot.core.responses import (
    QuotedResponse,
    detect_runtime,
    find_quoted_responses,
    parse_response_text,
    validate_response,
)
from bot.errors import UsageError
from tests.responses.cases import FUNCTION_ERROR, MALFORMED, E, triples
from tests.responses.logs import (
    BREF_RESPONSE,
    CDK_PYTHON_LOG,
    EXPRESS_LOG,
    GLUED_LOG,
    NULL_LOG,
    SAM_ARRAY,
    SAM_EXTRA_KEY,
    SAM_GO_PERMISSION,
    SAM_JAVA,
    SQS_LOG,
    THROTTLED_LOG,
    TRUNCATED_LOG,
    VINCENT_LOG,
)

# ---- parse_response_text ---------------------------------------------------------------------------


def test_parse_raw_json_and_log_line() -> None:
    assert parse_response_text('  {"statusCode": 200}\n') == {"statusCode": 200}
    assert parse_response_text("null") is None
    line = (
        "Wed Nov 02 10:19:35 UTC 2022 : Endpoint response body before transformations: "
        '{"statusCode": 200, "body": {"hey": "dude"}}'
    )
    assert parse_response_text(line) == {"statusCode": 200, "body": {"hey": "dude"}}


def test_parse_malformed_json_names_line_and_column() -> None:
    with pytest.raises(UsageError) as info:
        parse_response_text('{\n  "statusCode": 200,\n  "body": }')
    message = str(info.value)
    assert message.startswith("input is not JSON: ") and "line 3 column 11" in message


def test_parse_truncated_quote_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="truncated"):
        parse_response_text(TRUNCATED_LOG)


def test_parse_empty_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        parse_response_text("  \n")


def test_parse_takes_the_latest_quote() -> None:
    text = (
        'Endpoint response body before transformations: {"statusCode": 500}\n'
        'Endpoint response body before transformations: {"statusCode": 201}\n'
    )
    assert parse_response_text(text) == {"statusCode": 201}


def _only(quotes: list[QuotedResponse]) -> QuotedResponse:
    assert len(quotes) == 1, quotes
    return quotes[0]


def test_real_body_object_log() -> None:
    quote = _only(find_quoted_responses(VINCENT_LOG))
    assert (quote.integration, quote.source, quote.truncated, quote.logged_status) == (
        "rest",
        "execution-log",
        False,
        502,
    )
    verdict = validate_response(quote.payload, quote.integration)
    assert triples(verdict) == {E("body-not-string", "body")} and verdict.status == 502


def test_real_null_log() -> None:
    quote = _only(find_quoted_responses(NULL_LOG))
    assert quote.parsed and quote.payload is None
    assert validate_response(quote.payload, "rest").entry == MALFORMED


def test_real_multi_value_headers_not_lists() -> None:
    verdict = validate_response(parse_response_text(BREF_RESPONSE), "rest")
    assert verdict.status == 502
    assert {
        E("multi-value-header-not-list", "multiValueHeaders.x-powered-by"),
        E("multi-value-header-not-list", "multiValueHeaders.content-type"),
    } <= triples(verdict)


def test_real_three_test_invokes() -> None:
    quotes = find_quoted_responses(CDK_PYTHON_LOG)
    assert [q.logged_status for q in quotes] == [200, 502, 502]
    ok, text, error = (validate_response(q.payload, q.integration) for q in quotes)
    assert ok.accepted and ok.status == 200 and not ok.problems
    assert not text.accepted and triples(text) == {E("payload-not-object", "$")}
    assert error.entry == FUNCTION_ERROR and "AttributeError" in error.problems[0].message["en"]
    assert detect_runtime(CDK_PYTHON_LOG) == "python"


def test_real_glued_log_line() -> None:
    quote = _only(find_quoted_responses(GLUED_LOG))
    assert quote.payload == {"statusCode": 301, "location": quote.payload["location"]}  # type: ignore[index]
    verdict = validate_response(quote.payload, "rest")
    assert triples(verdict) == {E("extra-key", "location")}


def test_real_successful_express_call() -> None:
    quote = _only(find_quoted_responses(EXPRESS_LOG))
    verdict = validate_response(quote.payload, quote.integration)
    assert verdict.accepted and verdict.status == 200 and quote.logged_status == 200


def test_real_lambda_service_errors_are_not_function_responses() -> None:
    assert find_quoted_responses(THROTTLED_LOG) == []
    assert find_quoted_responses(SQS_LOG) == []


def test_real_truncated_body_is_marked_and_skipped() -> None:
    quote = _only(find_quoted_responses(TRUNCATED_LOG))
    assert quote.truncated and not quote.parsed and quote.payload is None
    assert "[TRUNCATED]" not in quote.text


def test_truncated_without_suffix_is_still_truncated() -> None:
    line = TRUNCATED_LOG.replace(" [TRUNCATED]", "")
    assert _only(find_quoted_responses(line)).truncated


def test_real_sam_local_extra_key() -> None:
    quote = _only(find_quoted_responses(SAM_EXTRA_KEY))
    assert (quote.source, quote.integration) == ("sam-local", "rest")
    verdict = validate_response(quote.payload, "rest")
    assert {E("extra-key", "error"), E("body-not-string", "body")} <= triples(verdict)


def test_real_sam_local_go_permission_error() -> None:
    quote = _only(find_quoted_responses(SAM_GO_PERMISSION))
    verdict = validate_response(quote.payload, quote.integration)
    assert verdict.entry == "package-permission-denied" and verdict.status == 502
    assert detect_runtime(SAM_GO_PERMISSION) == "go"


def test_real_sam_local_java_pojo() -> None:
    quote = _only(find_quoted_responses(SAM_JAVA))
    runtime = detect_runtime(SAM_JAVA)
    assert runtime == "java"
    verdict = validate_response(quote.payload, "rest", runtime=runtime)
    problem = next(p for p in verdict.problems if p.path == "base64Encoded")
    assert (
        "isBase64Encoded()" in problem.fix["en"]
        and "APIGatewayProxyResponseEvent" in problem.fix["en"]
    )


def test_real_sam_local_array() -> None:
    quote = _only(find_quoted_responses(SAM_ARRAY))
    assert isinstance(quote.payload, list)
    assert validate_response(quote.payload, "rest").problems[0].code == "payload-not-object"


def test_test_invoke_method_json_output() -> None:
    """`aws apigateway test-invoke-method` prints JSON; the log lines are inside its "log" string."""
    output = json.dumps(
        {
            "status": 502,
            "body": '{"message": "Internal server error"}',
            "log": "Execution log for request 1\n" + VINCENT_LOG,
            "latency": 30,
        }
    )
    quote = _only(find_quoted_responses(output))
    assert quote.payload == {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": {"hey": "dude"},
    }
    assert parse_response_text(output) == quote.payload


def test_cloudwatch_json_events() -> None:
    event = json.dumps(
        {
            "timestamp": 1,
            "message": '(abc) Endpoint response body before transformations: {"statusCode":"oops"}',
        }
    )
    quote = _only(find_quoted_responses(f"some text\n{event}\nmore text"))
    assert quote.payload == {"statusCode": "oops"}


def test_lambda_console_response_section() -> None:
    console = (
        'Test Event Name\nhello\n\nResponse\n{\n  "statusCode": 200,\n  "body": {"message": "hi"}\n}\n\n'
        "Function Logs\nSTART RequestId: 1 Version: $LATEST\n"
    )
    quote = _only(find_quoted_responses(console))
    assert quote.source == "test-invoke" and quote.payload == {
        "statusCode": 200,
        "body": {"message": "hi"},
    }


def test_gateway_error_body_is_not_the_function_response() -> None:
    console = 'Response Body\n{"message": "Internal server error"}\n\nResponse Headers\n{}\n'
    assert find_quoted_responses(console) == []


def test_integration_error_field_in_access_log() -> None:
    line = json.dumps(
        {
            "requestId": "1",
            "routeKey": "GET /",
            "status": "500",
            "integrationErrorMessage": '{"errorMessage":"boom","errorType":"Error"}',
        }
    )
    quote = _only(find_quoted_responses(line))
    assert (quote.source, quote.integration) == ("integration-error", "http-v2")
    assert validate_response(quote.payload, quote.integration).entry == FUNCTION_ERROR
    # "-" is how access logs write an empty variable; a plain message is not a body.
    assert find_quoted_responses(json.dumps({"integrationErrorMessage": "-"})) == []
    assert (
        find_quoted_responses(
            '"integrationError": "The Lambda function returned the following error"'
        )
        == []
    )


def test_integration_error_field_in_raw_text() -> None:
    text = 'status=502 integrationError="{\\"statusCode\\": 200, \\"body\\": {}}" resourcePath=/x'
    quote = _only(find_quoted_responses(text))
    assert quote.payload == {"statusCode": 200, "body": {}} and quote.integration == "rest"


# ---- detect_runtime --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "runtime"),
    [
        (
            (
                '{"errorType":"TypeError","errorMessage":"x","trace":["TypeError: x","    at Runtime.handler '
                '(file:///var/task/index.mjs:3:11)"]}'
            ),
            "nodejs",
        ),
        ("Error: EACCES: permission denied, open '/var/task/index.js'", "nodejs"),
        (
            "Runtime.ImportModuleError: Error: Cannot find module 'axios'\nRequire stack:\n- /var/task/node_modules/x.js",
            "nodejs",
        ),
        (
            "[ERROR] Runtime.ImportModuleError: Unable to import module 'lambda_function': No module named 'requests'",
            "python",
        ),
        (
            'Traceback (most recent call last):\n  File "/var/task/app.py", line 12, in handler\n    1/0',
            "python",
        ),
        ("[Errno 13] Permission denied: '/var/task/lambda_function.py'", "python"),
        (
            "java.lang.NullPointerException\n\tat com.example.Handler.handleRequest(Handler.java:42)",
            "java",
        ),
        (
            (
                "panic: runtime error: invalid memory address or nil pointer dereference\n"
                "goroutine 1 [running]:\nmain.handler(...)\n\t/build/main.go:12 +0x1d"
            ),
            "go",
        ),
        ('{"statusCode": 200, "body": "hi"}', None),
        ("", None),
    ],
)
def test_detect_runtime(text: str, runtime: str | None) -> None:
    assert detect_runtime(text) == runtime
