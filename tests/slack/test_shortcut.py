"""The message shortcut "Diagnose this 502" end to end: on a person's message, on another app's
alert (text in attachments and blocks), on a message with a log file attached, and where the bot
may not post (then to the person alone)."""

from __future__ import annotations

import json
import time
import urllib.parse

from .conftest import ALICE, GENERAL, MALFORMED_LOG, MARIO, TIMEOUT_LOG, WAIT, new_ts

SECRET = "AKIAIOSFODNN7EXAMPLE"  # an access key id shape: redacted wherever it is shown

ALERT = {  # how a monitoring app posts: a short text, the details in an attachment and blocks
    "type": "message", "subtype": "bot_message", "bot_id": "BOTHER01", "username": "cloudwatch-alerts",
    "text": "[ALARM] shop-prod 5XX",
    "attachments": [{"color": "danger", "title": "shop-prod: 5XXError > 0",
                     "text": "last error:\n" + MALFORMED_LOG.replace("proxy response\n", f"proxy response {SECRET}\n"),
                     "fields": [{"title": "Stage", "value": "prod", "short": True}]}],
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*[ALARM]* shop-prod 5XX"}}],
}


def message(text: str = "", **fields) -> dict:
    return {"type": "message", "user": MARIO, "text": text, "ts": new_ts(), **fields}


def everything(call) -> str:
    return json.dumps(call.params.get("blocks") or [], ensure_ascii=False) + str(call.params.get("text"))


def test_an_alert_from_another_app_is_diagnosed_in_its_thread(bot):
    alert = {**ALERT, "ts": new_ts()}
    started = time.monotonic()
    response, _, trigger = bot.client.shortcut(alert)
    assert response.status == 200 and response.body == ""  # acked at once, nothing said in the ack
    assert time.monotonic() - started < 3
    assert bot.outcome(trigger) == ["replied"]
    [reply] = bot.replies()
    assert reply.params["channel"] == GENERAL and reply.params["thread_ts"] == alert["ts"]
    assert reply.params["metadata"]["event_payload"]["entries"][0] == "malformed-proxy-response"
    assert "Malformed Lambda proxy response" in everything(reply)  # the evidence, from the attachment
    assert SECRET not in json.dumps(reply.params) and "[REDACTED-AWS-KEY-ID]" in everything(reply)


def test_the_answer_is_in_the_language_of_who_asked(bot):
    _, _, trigger = bot.client.shortcut(message(TIMEOUT_LOG), user=MARIO)  # MARIO's Slack is in Italian
    bot.outcome(trigger)
    assert bot.replies()[0].params["metadata"]["event_payload"]["language"] == "it"


def test_where_the_bot_may_not_post_the_answer_goes_to_the_asker_alone(bot):
    bot.fake.outside.add("CPRIVATE1")
    _, response_url, trigger = bot.client.shortcut(message(TIMEOUT_LOG), channel="CPRIVATE1")
    assert bot.outcome(trigger) == ["ephemeral"]
    path = urllib.parse.urlsplit(response_url).path
    [answer] = bot.fake.wait_for("response_url", where=lambda c: c.path == path)
    assert answer.params["response_type"] == "ephemeral" and answer.params["replace_original"] is False
    assert "function-timeout" in json.dumps(answer.params["blocks"])
    assert [c.params["channel"] for c in bot.fake.calls_to("chat.postMessage")] == ["CPRIVATE1"]  # tried first


def test_a_message_with_a_log_file_attached_is_read_with_its_file(bot):
    bot.fake.add_file("F0SHORT1", "lambda.log", TIMEOUT_LOG.encode())
    with_file = message("see the log", files=[{"id": "F0SHORT1", "name": "lambda.log"}])
    _, _, trigger = bot.client.shortcut(with_file)
    assert bot.outcome(trigger) == ["replied"]
    assert bot.fake.calls_to("files.info")[0].params["file"] == "F0SHORT1"
    assert bot.replies()[0].params["metadata"]["event_payload"]["entries"][0] == "function-timeout"


def test_a_message_in_a_thread_is_answered_in_that_thread(bot):
    in_thread = message(TIMEOUT_LOG, thread_ts="1699999999.000100")
    _, _, trigger = bot.client.shortcut(in_thread)
    bot.outcome(trigger)
    assert bot.replies()[0].params["thread_ts"] == "1699999999.000100"


def test_each_use_is_answered_once_and_a_replay_not_again(bot):
    target = message(TIMEOUT_LOG)
    _, _, trigger = bot.client.shortcut(target)
    bot.outcome(trigger)
    replay, _, _ = bot.client.shortcut(target, trigger_id=trigger)  # the same signed request again
    assert replay.status == 200
    assert bot.services.activity.wait_for(trigger, count=2)[1] == "duplicate"
    _, _, other = bot.client.shortcut(target, user=ALICE)  # someone else asks about the same message
    assert bot.outcome(other) == ["replied"]
    bot.services.work.wait_idle(time.monotonic() + WAIT)
    assert len(bot.replies()) == 2


def test_nothing_recognised_says_what_to_collect(bot):
    _, _, trigger = bot.client.shortcut(message("lunch at noon?"))
    assert bot.outcome(trigger) == ["replied"]
    assert bot.replies()[0].params["metadata"]["event_payload"]["entries"] == []
