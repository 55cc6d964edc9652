"""/502 trace REQUEST_ID API end to end: a signed slash command to the real Bolt app over HTTP,
the trace against moto's server (with the Logs Insights stand-in) on 127.0.0.1, the hops posted
in the channel of a stand-in Slack; under the live checks' permissions."""

from __future__ import annotations

import json

import pytest

from bot.slack.handling.slash import parse_slash
from tests.slack import conftest as slack
from tests.slack.conftest import ALICE, GENERAL, MARIO, WAIT, Bot
from tests.slack.test_live_command import command, start_bot
from tests.slack.test_live_command import ephemeral_answer as ephemeral
from tests.trace.conftest import REQUEST, Shop
from tests.trace.test_command import seed_permission_failure

fake_slack = slack.fake_slack  # the stand-in Slack Web API server


@pytest.fixture
def allowed_bot(fake_slack):
    bot, server = start_bot(fake_slack, BADGATEWAY_ALLOWED_CHANNELS="*", BADGATEWAY_ALLOWED_USERS=ALICE)
    yield bot
    server.shutdown()
    server.server_close()


def test_the_hops_are_posted_in_the_channel(allowed_bot: Bot, shop: Shop) -> None:
    seed_permission_failure(shop, REQUEST)
    ack, _ = command(allowed_bot, f"trace {REQUEST} {shop.api}")
    assert "tracing request" in ack and REQUEST in ack
    [posted] = allowed_bot.fake.wait_for("chat.postMessage", timeout=WAIT + 30)
    assert posted.params["channel"] == GENERAL
    blocks = posted.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    text = json.dumps(blocks, ensure_ascii=False)
    assert "missing-invoke-permission" in text and "Invalid permissions on Lambda function" in text
    assert ":x: *integration*" in text and REQUEST in text
    assert len(blocks) <= 50 and all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
    assert "missing-invoke-permission" in posted.params["text"]


def test_an_unknown_request_is_told_to_the_caller_alone(allowed_bot: Bot, shop: Shop) -> None:
    seed_permission_failure(shop, REQUEST)
    _, path = command(allowed_bot, f"trace 9b8a7c6d-0000-4e2a-8c1d-111111111111 {shop.api}")
    answer = ephemeral(allowed_bot, path)
    assert "The trace did not run" in answer and "not found" in answer
    assert not allowed_bot.fake.calls_to("chat.postMessage")


def test_a_user_not_allowed_is_refused(allowed_bot: Bot, shop: Shop) -> None:
    _, path = command(allowed_bot, f"trace {REQUEST} {shop.api}", user=MARIO)
    assert "BADGATEWAY_ALLOWED_USERS" in ephemeral(allowed_bot, path)
    assert not allowed_bot.fake.calls_to("chat.postMessage")


def test_traces_are_off_by_default(fake_slack, shop: Shop) -> None:
    bot, server = start_bot(fake_slack)
    try:
        _, path = command(bot, f"trace {REQUEST} {shop.api}")
        assert "turned off" in ephemeral(bot, path)
    finally:
        server.shutdown()
        server.server_close()


def test_the_usage_is_shown_for_a_bad_trace_command(allowed_bot: Bot) -> None:
    _, path = command(allowed_bot, "trace")
    assert "/502 trace REQUEST_ID" in ephemeral(allowed_bot, path)


def test_parsing() -> None:
    parsed = parse_slash(f"trace {REQUEST} <https://abc.execute-api.us-east-1.amazonaws.com/prod|x> prod us-east-1")
    assert (parsed.kind, parsed.request_id, parsed.api_id, parsed.stage, parsed.region) == (
        "trace", REQUEST, "https://abc.execute-api.us-east-1.amazonaws.com/prod", "prod", "us-east-1")
    assert parse_slash("trace").problem == "trace_usage"
    assert parse_slash(f"trace {REQUEST}").problem == "trace_usage"
    assert parse_slash("trace no!such abc").problem == "trace_usage"
    assert parse_slash(f"trace {REQUEST} abc prod nowhere").problem == "bad_region"


def test_the_lines_the_function_printed_are_in_the_slack_message(allowed_bot: Bot, world) -> None:
    """The invocation's own lines (no request id on them) reach Slack, newest first kept."""
    from tests.trace.conftest import make_shop
    from tests.trace.test_invocation import PRINTS, TRACEBACK, seed_crash

    shop = make_shop(world, execution_logging=False)
    seed_crash(shop, *PRINTS, TRACEBACK)
    command(allowed_bot, f"trace {REQUEST} {shop.api}")
    [posted] = allowed_bot.fake.wait_for("chat.postMessage", timeout=WAIT + 30)
    blocks = posted.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    function = next(b["text"]["text"] for b in blocks if "*function*" in b.get("text", {}).get("text", ""))
    assert "the function's log for this invocation" in function
    assert "cart total 118.40 EUR, calling payments" in function and "KeyError: &#39;orderId&#39;" not in function
    assert "KeyError: 'orderId'" in function and "```" in function
    assert len(function) <= 3000


def test_only_the_newest_lines_that_fit_are_shown_and_the_rest_counted() -> None:
    from bot.slack.rendering.trace_blocks import _invocation_text
    from bot.trace.model import Hop

    lines = tuple(f"line {n} of what the function printed " + "x" * 40 for n in range(200))
    hop = Hop(hop="function", status="failed", entry="unhandled-function-error",
              lines=(*lines, "```inside a fence``` <b>&"))
    for lang, note in (("en", "earlier lines not shown here"), ("it", "righe precedenti non mostrate qui")):
        shown = _invocation_text(hop, lang, 720)
        assert len(shown) <= 720 and note in shown
        assert "'''inside a fence''' &lt;b&gt;&amp;" in shown and "line 199 " in shown and "line 0 " not in shown
        assert shown.count("```") == 2
