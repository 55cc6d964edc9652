"""Structured logs: one JSON line per piece of work (kind, latency, entries, outcome, language), and
never a token, a secret or pasted text, even at DEBUG, in `serve` and on Lambda."""

from __future__ import annotations

import io
import json
import logging
import time

import pytest

from bot.logs import (
    JsonFormatter,
    LogConfigError,
    TextFormatter,
    log_settings,
    mask_secrets,
    register_secret,
)
from bot.slack.hosting import lambda_entry
from tests.slack.conftest import (
    ALICE,
    APP_TOKEN,
    BOT_TOKEN,
    BOT_USER,
    DM,
    GENERAL,
    MARIO,
    SIGNING_SECRET,
    TIMEOUT_LOG,
    WAIT,
    BotClient,
    bot_env,
    message_event,
    new_event_id,
)
from tests.slack.test_lambda import CONTEXT, dm_body, function_url_event
from tests.slack.test_serve_command import free_port, wait_until_up

# Text that must never reach a log: a marker in the paste, and what looks like credentials in it.
PASTED = "ORDER-7F3A-CONFIDENTIAL customer=alice@example.com"
PASTE = f"{PASTED}\n{TIMEOUT_LOG}"
FORBIDDEN = (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, PASTED, "alice@example.com", "Task timed out after 3.00")


def record(message: str = "hello", **extra) -> logging.LogRecord:
    item = logging.LogRecord("badgateway.events", logging.INFO, __file__, 1, message, None, None)
    for key, value in extra.items():
        setattr(item, key, value)
    return item


# -- units -----------------------------------------------------------------------------------


def test_json_line_has_the_fields_and_nothing_on_a_second_line():
    line = JsonFormatter().format(record("handled", kind="dm", latency_ms=12, entries=["function-timeout"],
                                         outcome="replied", language="en"))
    data = json.loads(line)
    assert "\n" not in line
    assert data["message"] == "handled" and data["level"] == "INFO" and data["logger"] == "badgateway.events"
    assert data["time"].endswith("Z")
    assert {k: data[k] for k in ("kind", "latency_ms", "entries", "outcome", "language")} == {
        "kind": "dm", "latency_ms": 12, "entries": ["function-timeout"], "outcome": "replied", "language": "en"}


def test_exceptions_stay_on_the_json_line():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        item = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    line = JsonFormatter().format(item)
    assert "\n" not in line and "ValueError: boom" in json.loads(line)["exception"]


def test_text_lines_carry_the_fields():
    line = TextFormatter().format(record("handled", kind="dm", entries=["a", "b"], language=None))
    assert line.endswith("handled kind=dm entries=a,b language=-")


@pytest.mark.parametrize("text", [
    f"token {BOT_TOKEN} in a message", f"Authorization: Bearer {BOT_TOKEN}", f"app {APP_TOKEN}",
    "refresh xoxe.xoxp-1-abcdefghijkl", "Bearer abc.def-ghi_jklmnop", "user token xoxp-123456-abcdef",
])
def test_tokens_are_masked_whoever_logs_them(text):
    assert "[redacted]" in mask_secrets(text)
    for secret in (BOT_TOKEN, APP_TOKEN, "xoxe.xoxp-1-abcdefghijkl", "abc.def-ghi_jklmnop", "xoxp-123456-abcdef"):
        assert secret not in mask_secrets(text)


def test_registered_secrets_are_masked():
    register_secret("0123456789abcdef0123456789abcdef")
    assert mask_secrets("secret=0123456789abcdef0123456789abcdef;") == "secret=[redacted];"
    register_secret("short")  # too short to mask safely: ignored
    assert mask_secrets("a short word") == "a short word"


@pytest.mark.parametrize("env, expected", [
    ({}, (logging.INFO, "text")),
    ({"BADGATEWAY_LOG_LEVEL": "debug", "BADGATEWAY_LOG_FORMAT": "JSON"}, (logging.DEBUG, "json")),
    ({"BADGATEWAY_LOG_LEVEL": "warn"}, (logging.WARNING, "text")),
])
def test_log_settings(env, expected):
    assert log_settings(env, default_format="text") == expected


@pytest.mark.parametrize("env, variable", [
    ({"BADGATEWAY_LOG_LEVEL": "LOUD"}, "BADGATEWAY_LOG_LEVEL"),
    ({"BADGATEWAY_LOG_FORMAT": "xml"}, "BADGATEWAY_LOG_FORMAT"),
])
def test_bad_log_settings_name_the_variable(env, variable):
    with pytest.raises(LogConfigError) as caught:
        log_settings(env, default_format="json")
    assert str(caught.value).startswith(variable) and caught.value.exit_code == 2


# -- end to end: serve ---------------------------------------------------------------------------


def test_serve_logs_one_json_line_per_piece_of_work_and_nothing_secret(fake_slack, start):
    from tests.slack.test_actions import buttons

    port = free_port()
    process = start("serve", "--http", "--host", "127.0.0.1", "--port", str(port),
                    env=bot_env(fake_slack, BADGATEWAY_LOG_LEVEL="DEBUG", BADGATEWAY_LOG_FORMAT="json",
                                BADGATEWAY_WATCH_CHANNELS=""))
    client = BotClient(f"http://127.0.0.1:{port}", fake_slack)
    wait_until_up(client, process)

    event = message_event(PASTE, channel=DM, channel_type="im", user=ALICE)
    event_id = new_event_id()
    client.event(event, event_id=event_id)
    client.event(event, event_id=event_id, retry=1)  # Slack's retry: dropped, logged as duplicate
    client.mention(PASTE, user=MARIO)
    fake_slack.add_file("F0001", "function.log", PASTE.encode())
    client.event(message_event("", channel=DM, channel_type="im", subtype="file_share", files=[{"id": "F0001"}]))
    client.command("show function-timeout")
    [first, *_] = fake_slack.wait_for("chat.postMessage", count=3)
    client.click(buttons(first)["badgateway_feedback_helpful"], channel=DM, message_ts="1.2")
    fake_slack.wait_for("response_url", count=2)
    time.sleep(0.3)  # the last lines are written after the replies
    process.terminate()
    assert process.wait(timeout=WAIT) == 0
    output = process.stderr.read().decode()

    lines = [json.loads(line) for line in output.splitlines()]  # every line is one JSON object
    handled = [line for line in lines if line["message"] == "handled"]
    by_kind = {line["kind"]: line for line in handled if line["outcome"] != "duplicate"}
    assert sorted((line["kind"], line["outcome"]) for line in handled) == [
        ("action", "replied"), ("command", "replied"), ("dm", "duplicate"), ("dm", "replied"),
        ("file", "replied"), ("mention", "replied")]
    for line in handled:
        assert isinstance(line["latency_ms"], int) and line["latency_ms"] >= 0
        assert set(line) >= {"kind", "outcome", "latency_ms", "entries", "language"}
    for kind in ("dm", "mention", "file"):
        assert by_kind[kind]["outcome"] == "replied" and by_kind[kind]["entries"][0] == "function-timeout"
    assert by_kind["dm"]["language"] == "en" and by_kind["mention"]["language"] == "it"  # MARIO is it-IT
    assert by_kind["dm"]["delivery"] == event_id and by_kind["mention"]["channel"] == GENERAL
    [duplicate] = [line for line in handled if line["outcome"] == "duplicate"]
    assert duplicate["delivery"] == event_id and duplicate["retry"] == "1"
    assert by_kind["command"]["subcommand"] == "show" and by_kind["command"]["entries"] == ["function-timeout"]
    assert by_kind["action"]["action"] == "badgateway_feedback_helpful"
    assert by_kind["action"]["entries"] == ["function-timeout"]
    for forbidden in FORBIDDEN:
        assert forbidden not in output, f"{forbidden!r} reached the log"
    assert BOT_USER not in PASTE  # (the check above is meaningful: the paste holds none of the ids)


# -- end to end: Lambda ----------------------------------------------------------------------------


def test_lambda_logs_json_lines_for_both_invocations_and_nothing_secret(deployed, monkeypatch):
    fake_slack, fake_lambda = deployed
    monkeypatch.setenv("BADGATEWAY_LOG_LEVEL", "DEBUG")
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    logging.getLogger().addHandler(handler)  # as the Lambda runtime's handler: ours formats it
    try:
        event_id, body = dm_body(PASTE)
        assert lambda_entry.handler(function_url_event(body, "application/json"), CONTEXT)["statusCode"] == 200
        fake_lambda.wait()
        fake_slack.wait_for("chat.postMessage")
        retry = function_url_event(body, "application/json", {"x-slack-retry-num": "1"})
        assert lambda_entry.handler(retry, CONTEXT)["statusCode"] == 200
    finally:
        logging.getLogger().removeHandler(handler)
    output = captured.getvalue()
    lines = [json.loads(line) for line in output.splitlines()]
    handled = [line for line in lines if line["message"] == "handled"]
    assert [(h["kind"], h["outcome"]) for h in handled] == [("dm", "replied"), ("dm", "retry-dropped")]
    assert handled[0]["entries"][0] == "function-timeout" and handled[0]["delivery"] == event_id
    for forbidden in FORBIDDEN:
        assert forbidden not in output, f"{forbidden!r} reached the log"


# -- request bodies: never in the log, at any level ------------------------------------------------


def test_refused_requests_leave_no_byte_of_their_body_in_the_log(fake_slack, start):
    """Bolt logs `Invalid request signature detected (... body: <the whole body>)` at INFO: an
    unsigned megabyte, a stale but genuine request holding a paste, a Content-Length of -1."""
    from tests.slack.test_http_hosting import post, raw_request

    port = free_port()
    process = start("serve", "--http", "--host", "127.0.0.1", "--port", str(port),
                    env=bot_env(fake_slack, BADGATEWAY_LOG_LEVEL="DEBUG", BADGATEWAY_LOG_FORMAT="text"))
    client = BotClient(f"http://127.0.0.1:{port}", fake_slack)
    wait_until_up(client, process)

    marker = "BODYMARK"
    big = (marker + "-unsigned-") * (1024 * 1024 // 18)
    assert client.post(big.encode()[: 1024 * 1024 - 10], "text/plain", signature="v0=forged").status == 401
    assert client.post(f"token=x&text={marker}-small".encode(), "application/x-www-form-urlencoded",
                       signature="v0=0000").status == 401
    stale = json.dumps({"type": "event_callback", "event": {"type": "message", "text": f"{marker} {PASTED}"}})
    assert client.post(stale.encode(), "application/json", timestamp=int(time.time()) - 600).status == 401
    answer = raw_request(client.url, post("/slack/events", f"{marker}-negative".encode(),
                                          {"Content-Length": "-1", "Connection": "close"}))
    assert answer.startswith(b"HTTP/1.1 400")
    assert client.post(b"\xff" + marker.encode(), "application/json", signature="v0=bad").status in (400, 401)
    process.terminate()
    assert process.wait(timeout=WAIT) == 0
    output = process.stderr.read().decode(errors="replace")

    assert "Invalid request signature" in output  # Bolt did log the refusals...
    assert marker not in output and PASTED not in output  # ...without a byte of their bodies
    assert "[not logged:" in output
    assert len(output) < 20_000, f"{len(output)} characters of log for five refused requests"
    assert not any(" DEBUG slack_bolt" in line or " DEBUG slack_sdk" in line for line in output.splitlines())


def test_library_debug_records_are_dropped_and_bodies_cut_at_the_handler(logging_restored):
    """Whatever level a library sets on its own loggers (Bolt copies the root's), the handler drops
    its DEBUG records and strips any quoted body from the rest."""
    from bot.logs import configure_logging

    stream = io.StringIO()
    logging.getLogger().handlers[:] = [logging.StreamHandler(stream)]
    configure_logging({"BADGATEWAY_LOG_LEVEL": "DEBUG", "BADGATEWAY_LOG_FORMAT": "json"})
    library = logging.getLogger("slack_bolt.SomethingNew")
    library.setLevel(logging.DEBUG)  # as Bolt's get_bolt_logger does, from the root's level
    library.debug("Responding with status: 200 body: \"%s\"", PASTED)
    library.info("Invalid request signature detected (signature: v0=x, timestamp: 1, body: %s)", PASTED)
    library.warning("A global middleware (m) skipped calling next() for the request (%s)", PASTED)
    logging.getLogger("badgateway.test").debug("our own debug line")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["level"] for line in lines] == ["INFO", "WARNING", "DEBUG"]
    assert PASTED not in stream.getvalue()
    assert lines[0]["message"].endswith(f"body: [not logged: {len(PASTED) + 1} characters])")
