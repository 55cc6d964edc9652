"""The matcher reads text as people really paste it and ranks causes with evidence."""

from __future__ import annotations

import json

import pytest

from bot.core.matching.language import detect_language
from bot.core.matching.normalize import normalize
from bot.core.matching.runtime import detect_runtime
from bot.core.redact import redact


def ids(diagnosis):
    return [m.id for m in diagnosis.matches]


IMPORT_ERROR = (
    '[ERROR] Runtime.ImportModuleError: Unable to import module \'app\': No module named \'requests\'\n'
    "Traceback (most recent call last):"
)


def test_slack_code_fence_and_html_escapes(matcher):
    text = (
        "help pls :sweat:\n```\n(7f3c) Endpoint response body before transformations: "
        "{&quot;x&quot;: 1}\n(7f3c) Execution failed due to configuration error: Malformed Lambda proxy "
        "response\n(7f3c) Method completed with status: 502\n```"
    )
    assert normalize("a &lt;b&gt; &amp;lt;") == "a <b> &lt;"
    assert ids(matcher.diagnose(text))[0] == "malformed-proxy-response"


def test_cloudwatch_console_copy_with_tabs_and_windows_line_endings(matcher):
    text = (
        "2024-03-01T10:00:00.000+01:00\tSTART RequestId: 0f1e2d3c-aaaa-bbbb-cccc-111122223333 Version: $LATEST\r\n"
        "2024-03-01T10:00:03.012+01:00\t0f1e2d3c-aaaa-bbbb-cccc-111122223333\tTask timed out after 3.00 seconds\r\n"
        "2024-03-01T10:00:03.012+01:00\tEND RequestId: 0f1e2d3c-aaaa-bbbb-cccc-111122223333\r\n"
    )
    diagnosis = matcher.diagnose(text)
    assert ids(diagnosis)[0] == "function-timeout"
    assert "Task timed out after 3.00 seconds" in diagnosis.matches[0].evidence[0].line
    assert "\t" not in diagnosis.matches[0].evidence[0].line


def test_json_log_export_reads_the_message_field(matcher):
    lines = [
        {"timestamp": 1709287200000, "message": "START RequestId: 1 Version: $LATEST\n"},
        {"timestamp": 1709287200100, "message": IMPORT_ERROR},
    ]
    text = "\n".join(json.dumps(line) for line in lines)
    assert ids(matcher.diagnose(text))[0] == "import-module-error"


def test_structured_access_log_fields(matcher):
    text = json.dumps({
        "requestId": "abc", "status": "504", "integrationLatency": "29001",
        "errorResponseType": "INTEGRATION_TIMEOUT", "integrationError": "Endpoint request timed out",
    })
    assert ids(matcher.diagnose(text))[0] == "integration-timeout"


def test_logs_insights_csv_export(matcher):
    text = (
        "@timestamp,@message\n"
        '2024-03-01 10:00:00.000,"2024-03-01T10:00:00.000Z 1234 Task timed out after 6.01 seconds"\n'
        '2024-03-01 09:59:54.000,"START RequestId: 1234 Version: $LATEST"\n'
    )
    assert ids(matcher.diagnose(text))[0] == "function-timeout"


def test_timestamps_ids_and_numbers_do_not_disturb_the_match(matcher):
    a = matcher.diagnose("Task timed out after 3.00 seconds")
    b = matcher.diagnose(
        "2025-01-01T00:00:00Z 9b2c7c1e-1111-2222-3333-444455556666 Task timed out after 900.07 seconds "
        "arn:aws:lambda:us-east-1:123456789012:function:x"
    )
    assert ids(a)[0] == ids(b)[0] == "function-timeout"


def test_typos_and_truncated_lines_still_match(matcher):
    typo = matcher.diagnose("Execution failed due to configuration error: Malformed Lamda proxy respnse")
    assert ids(typo)[:1] == ["malformed-proxy-response"]
    assert typo.matches[0].evidence[0].similarity < 1.0
    truncated = matcher.diagnose("Thu Mar 7 (abc) Execution failed due to configuration error: Invalid permissions on Lambda fun")
    assert ids(truncated)[:1] == ["missing-invoke-permission"]


def test_root_cause_ranks_above_the_symptom_it_produces(matcher):
    """Throttling that surfaces as a malformed response is throttling."""
    text = (
        "(abc) Endpoint response body before transformations: {\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\",\"Type\":\"User\",\"message\":\"Rate Exceeded.\"}\n"
        "(abc) Lambda invocation failed with status: 429. Lambda request id: 1234\n"
        "(abc) Execution failed due to configuration error: Malformed Lambda proxy response\n"
        "TooManyRequestsException: Rate Exceeded.\n"
    )
    ranked = ids(matcher.diagnose(text))
    assert ranked[0] == "lambda-throttled"
    assert "malformed-proxy-response" in ranked


def test_several_causes_are_all_listed(matcher):
    text = IMPORT_ERROR + "\nExecution failed due to configuration error: Invalid permissions on Lambda function\n"
    ranked = ids(matcher.diagnose(text))
    assert {"import-module-error", "missing-invoke-permission"} <= set(ranked)


def test_generic_wrapper_yields_to_the_specific_error_inside_it(matcher):
    text = (
        "Lambda execution failed with status 200 due to customer function error: "
        "Unable to import module 'lambda_function': No module named 'pymysql'. Lambda request id: 1"
    )
    assert ids(matcher.diagnose(text))[0] == "import-module-error"


@pytest.mark.parametrize("text", [
    '{"message":"Missing Authentication Token"}',
    "HTTP/2 403\nx-amzn-errortype: MissingAuthenticationTokenException",
    "An error occurred (TooManyRequestsException) when calling the GetRestApis operation (reached max retries: 4): Too Many Requests",
    "Method completed with status: 502",
    "hello, how are you?",
    "502",
    "504",
    "502 error",
    "502 Bad Gateway",
    "Internal server error",
    '{"message": "Internal server error"}',
])
def test_unrelated_or_uninformative_text_gives_no_diagnosis(matcher, text):
    assert ids(matcher.diagnose(text)) == []


def test_prose_in_english_and_italian(matcher):
    english = matcher.diagnose("My function keeps getting Task timed out after 30 seconds, what should I change?")
    assert english.language == "en" and ids(english)[0] == "function-timeout"
    italian = matcher.diagnose(
        "Ciao, la mia funzione va in timeout: nel log vedo Task timed out after 30.03 seconds. Come posso risolvere?"
    )
    assert italian.language == "it" and ids(italian)[0] == "function-timeout"
    assert italian.matches[0].entry.title["it"] in json.dumps(italian.to_json(), ensure_ascii=False)


def test_language_detection_ignores_log_lines():
    assert detect_language("Ciao, perché la mia API restituisce 502?") == "it"
    assert detect_language("Why does my API return 502?") == "en"
    assert detect_language("") == "en"
    assert detect_language("", default="it") == "it"


def test_language_counts_words_as_a_plain_loop_does():
    """detect_language counts at C speed; on every corpus text (its prose and its whole text) it
    gives what counting word by word gives."""
    from pathlib import Path

    import yaml

    from bot.core.matching import language

    def plain(prose: str, text: str) -> str:
        english = sum(1 for w in language._WORD.findall(prose[:20000]) if w.lower() in language._ENGLISH or w == "I")
        italian = len(language._ELISION.findall(text[:20000]))
        italian += sum(1 for w in language._WORD.findall(text[:20000]) if w.lower() in language._ITALIAN or w == "i")
        if italian >= 2 and italian > english:
            return "it"
        return "en" if english >= 2 and english >= italian else "default"

    corpus = Path(__file__).parent / "corpus" / "real_world.yaml"
    texts = [item["text"] for item in yaml.safe_load(corpus.read_text(encoding="utf-8"))]
    seen = set()
    for text in texts:
        prose = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("{", "[", "at ")))
        assert detect_language(prose, "default", text=text) == plain(prose, text), text[:200]
        assert detect_language(text, "default") == plain(text, text), text[:200]
        seen.add(plain(prose, text))
    assert seen == {"en", "it", "default"}


def test_forced_language_wins(matcher):
    assert matcher.diagnose("Task timed out after 3.00 seconds", lang="it").language == "it"


def test_evidence_is_redacted(matcher):
    text = (
        "Task timed out after 3.00 seconds AKIAIOSFODNN7EXAMPLE "
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl xoxb-123456789-abcdefghijkl"
    )
    line = matcher.diagnose(text).matches[0].evidence[0].line
    assert "AKIAIOSFODNN7EXAMPLE" not in line
    assert "eyJhbGciOiJIUzI1NiJ9" not in line
    assert "xoxb-123456789" not in line
    assert "Task timed out" in line


def test_redaction_rules():
    assert "hunter2" not in redact("postgres://app:hunter2@db.internal:5432/orders")
    assert "wJalrXUtnFEMI" not in redact("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    assert "xapp-1-A0" not in redact("SLACK_APP_TOKEN=xapp-1-A0123456-7890-abcdef")
    assert redact("nothing secret here") == "nothing secret here"


def test_multiline_stack_trace_and_runtime(matcher):
    text = (
        "2024-05-01T10:00:00.000Z\t1234\tERROR\tInvoke Error \t{\"errorType\":\"TypeError\",\"errorMessage\":"
        "\"Cannot read properties of undefined (reading 'id')\",\"stack\":[\"TypeError: Cannot read properties "
        "of undefined (reading 'id')\",\"    at Runtime.handler (file:///var/task/index.mjs:4:28)\"]}\n"
    )
    diagnosis = matcher.diagnose(text)
    assert ids(diagnosis)[0] == "unhandled-function-error"
    assert diagnosis.runtime == "nodejs"


def test_runtime_detection():
    assert detect_runtime('File "/var/task/lambda_function.py", line 3') == "python"
    assert detect_runtime("at Runtime.handler (file:///var/task/index.mjs:4:28)") == "nodejs"
    assert detect_runtime("goroutine 1 [running]:\nmain.handler()\n\t/app/main.go:21") == "go"
    assert detect_runtime("at com.example.Handler.handleRequest(Handler.java:42)") == "java"
    assert detect_runtime("no clue here") is None


def test_no_match_json_shape(matcher):
    result = matcher.diagnose("nothing to see").to_json()
    assert result == {"language": "en", "matches": []}


QUOTED_OBJECT_BODY = (
    "(a1) Endpoint response body before transformations: "
    '{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":{"id":42}}\n'
    "(a1) Execution failed due to configuration error: Malformed Lambda proxy response\n"
    "(a1) Method completed with status: 502\n"
)


def test_quoted_response_is_validated_and_explained(matcher):
    diagnosis = matcher.diagnose(QUOTED_OBJECT_BODY)
    best = diagnosis.matches[0]
    assert best.id == "malformed-proxy-response"
    assert [d.path for d in best.details] == ["body"]
    assert "JSON.stringify" in best.details[0].fix["en"]
    document = diagnosis.to_json()
    assert document["matches"][0]["details"][0]["path"] == "body"
    italian = matcher.diagnose(QUOTED_OBJECT_BODY, lang="it").to_json()
    assert italian["matches"][0]["details"][0]["message"] != document["matches"][0]["details"][0]["message"]


def test_quoted_response_alone_is_enough_evidence(matcher):
    text = 'Endpoint response body before transformations: {"statusCode": 200, "body": "ok", "extra": 1}'
    diagnosis = matcher.diagnose(text)
    assert diagnosis.matches[0].id == "malformed-proxy-response"
    assert diagnosis.matches[0].details[0].path == "extra"


def test_a_valid_quoted_response_adds_nothing(matcher):
    text = 'Endpoint response body before transformations: {"statusCode": 200, "body": "ok"}'
    assert matcher.diagnose(text).matches == ()


def test_runtime_chooses_the_sample(matcher):
    python_log = QUOTED_OBJECT_BODY + 'File "/var/task/lambda_function.py", line 12, in lambda_handler\n'
    diagnosis = matcher.diagnose(python_log)
    assert diagnosis.runtime == "python"
    assert diagnosis.matches[0].entry.sample_for(diagnosis.runtime).runtime == "python"


def test_a_line_in_the_first_or_second_person_is_left_to_the_prose_layer(matcher):
    """AWS's error texts are impersonal: the fuzzy pass reads the pasted error line, not the
    sentence around it (and a sentence alone needs no rapidfuzz)."""
    from bot.core.matching.language import in_person

    assert in_person("our lambda times out after 29 seconds and api gateway returns 504")
    assert in_person("I'm getting Task timed out afer 3.00 seconds")
    assert in_person("la mia funzione va in timeout dopo 3 secondi")
    assert in_person("私のLambdaがタイムアウトします")
    assert not in_person("Task timed out afer 3.00 seconds")
    assert not in_person("Execution failed due to configuration error: Invalid endpont addres")
    typo = "we deployed again and now:\nExecution failed due to configuration error: Invalid permisions on Lambda functon\n"
    best = matcher.diagnose(typo).best
    assert best is not None and best.id == "missing-invoke-permission"  # the error line is still read
    sentence = matcher.signals("our lambda times out after 29 seconds and api gateway returns 504")
    assert not any(hit.line for found in sentence.hits.values() for hit in found)  # no fuzzy hit
