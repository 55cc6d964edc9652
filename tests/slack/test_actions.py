"""The reply's buttons, clicked as Slack sends them (block_actions, signed, form-encoded)."""

from __future__ import annotations

import json
import logging
import urllib.parse

from .conftest import DM, MALFORMED_LOG, TIMEOUT_LOG


def buttons(reply) -> dict[str, dict]:
    actions = [b for b in reply.params["blocks"] if b["type"] == "actions"]
    return {e["action_id"]: e for e in actions[0]["elements"]} if actions else {}


def answered(bot, text: str):
    event_id, _ = bot.client.dm(text)
    assert bot.outcome(event_id) == ["replied"]
    return bot.replies()[-1]


def response_to(bot, response_url):
    path = urllib.parse.urlsplit(response_url).path
    return bot.fake.wait_for("response_url", where=lambda c: c.path == path)[0].params


# A paste with two causes, so "other likely causes" has something to show.
TWO_CAUSES = (
    "Runtime.ImportModuleError: Unable to import module 'app': No module named 'requests'\n"
    "Execution failed due to configuration error: Malformed Lambda proxy response\n"
)


def test_reply_has_the_four_buttons(bot):
    reply = answered(bot, TWO_CAUSES)
    assert set(buttons(reply)) == {
        "badgateway_switch_language", "badgateway_other_causes",
        "badgateway_feedback_helpful", "badgateway_feedback_not_helpful",
    }
    assert buttons(reply)["badgateway_switch_language"]["text"]["text"] == "Italiano"


def test_switch_language_redraws_the_reply_in_place_with_evidence(bot):
    reply = answered(bot, TIMEOUT_LOG)
    response, _ = bot.client.click(buttons(reply)["badgateway_switch_language"], channel=DM,
                                   message_ts="1700000000.000001")
    assert response.status == 200
    [update] = bot.fake.wait_for("chat.update")
    assert update.params["channel"] == DM and update.params["ts"] == "1700000000.000001"
    assert update.params["metadata"]["event_payload"] == {"entries": ["function-timeout"], "language": "it"}
    text = json.dumps(update.params["blocks"], ensure_ascii=False)
    assert "Come risolvere" in text and "Task timed out after 3.00 seconds" in text
    assert buttons(update)["badgateway_switch_language"]["text"]["text"] == "English"


def test_switch_language_after_a_restart_redraws_without_evidence(bot):
    reply = answered(bot, TIMEOUT_LOG)
    bot.services.diagnoses._items.clear()  # as after a restart, or on another Lambda container
    bot.client.click(buttons(reply)["badgateway_switch_language"], channel=DM, message_ts="1.2")
    [update] = bot.fake.wait_for("chat.update")
    text = json.dumps(update.params["blocks"], ensure_ascii=False)
    assert "Come risolvere" in text and "Task timed out after 3.00" not in text
    assert update.params["metadata"]["event_payload"]["entries"] == ["function-timeout"]


def test_other_likely_causes_are_shown_to_the_clicker(bot):
    reply = answered(bot, TWO_CAUSES)
    entries = reply.params["metadata"]["event_payload"]["entries"]
    assert len(entries) >= 2
    _, response_url = bot.client.click(buttons(reply)["badgateway_other_causes"], channel=DM, message_ts="1.2")
    answer = response_to(bot, response_url)
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    text = json.dumps(answer["blocks"])
    assert all(f"`{entry}`" in text for entry in entries[1:])
    assert f"`{entries[0]}`" not in text


def test_feedback_is_logged_as_a_structured_event(bot, caplog):
    reply = answered(bot, MALFORMED_LOG)
    with caplog.at_level(logging.INFO, logger="badgateway.feedback"):
        for action in ("badgateway_feedback_helpful", "badgateway_feedback_not_helpful"):
            response, response_url = bot.client.click(buttons(reply)[action], channel=DM, message_ts="1.2")
            assert response.status == 200
            assert "Thanks" in json.dumps(response_to(bot, response_url)["blocks"])
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "badgateway.feedback"]
    assert [e["helpful"] for e in events] == [True, False]
    assert events[0]["event"] == "badgateway_feedback"
    assert events[0]["entries"][0] == "malformed-proxy-response"
    assert events[0]["language"] == "en" and events[0]["channel"] == DM and events[0]["user"]


def test_a_forged_button_value_does_nothing_harmful(bot):
    forged = {"action_id": "badgateway_switch_language", "value": "not json", "text": {"type": "plain_text",
              "text": "x"}}
    response, _ = bot.client.click(forged, channel=DM, message_ts="1.2")
    assert response.status == 200
    forged["value"] = json.dumps({"k": "nope", "e": ["no-such-entry"], "s": [1.0], "l": "it"})
    bot.client.click(forged, channel=DM, message_ts="1.3")
    [update] = bot.fake.wait_for("chat.update")  # only the second: unknown ids dropped, nothing found
    assert update.params["metadata"]["event_payload"] == {"entries": [], "language": "it"}
