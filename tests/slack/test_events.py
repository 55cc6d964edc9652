"""Events API end to end: signed requests in, Web API calls to the stand-in Slack out."""

from __future__ import annotations

import json
import time

from .conftest import (
    ALICE,
    BOT_ID,
    BOT_TOKEN,
    BOT_USER,
    DM,
    GENERAL,
    MALFORMED_LOG,
    MARIO,
    NOLOCALE,
    TIMEOUT_LOG,
    WATCHED,
    message_event,
    new_event_id,
)


def metadata_of(call):
    return call.params["metadata"]


def all_text(call) -> str:
    return json.dumps(call.params.get("blocks") or []) + call.params.get("text", "")


# -- who gets an answer ------------------------------------------------------------------------


def test_mention_is_answered_in_its_thread_with_metadata(bot):
    event_id, event = bot.client.mention("our API answers 502:\n" + TIMEOUT_LOG)
    assert bot.outcome(event_id) == ["replied"]
    [reply] = bot.replies()
    assert reply.params["channel"] == GENERAL
    assert reply.params["thread_ts"] == event["ts"]
    assert reply.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    assert metadata_of(reply)["event_type"] == "badgateway_diagnosis"
    payload = metadata_of(reply)["event_payload"]
    assert payload["entries"][0] == "function-timeout" and payload["language"] == "en"
    blocks = reply.params["blocks"]
    assert blocks[0]["type"] == "header"
    assert "Task timed out after 3.00 seconds" in all_text(reply)  # the evidence line
    assert "docs.aws.amazon.com" in all_text(reply)
    assert reply.params["text"]  # the plain fallback


def test_mention_inside_a_thread_is_answered_in_that_thread(bot):
    event_id, _ = bot.client.mention(TIMEOUT_LOG, thread_ts="1699999999.000100")
    bot.outcome(event_id)
    assert bot.replies()[0].params["thread_ts"] == "1699999999.000100"


def test_direct_message_is_answered_in_thread_with_metadata(bot):
    event_id, event = bot.client.dm(MALFORMED_LOG)
    assert bot.outcome(event_id) == ["replied"]
    [reply] = bot.replies()
    assert reply.params["channel"] == DM and reply.params["thread_ts"] == event["ts"]
    assert metadata_of(reply)["event_payload"]["entries"][0] == "malformed-proxy-response"


def test_nothing_known_in_a_dm_says_so_and_what_to_collect(bot):
    event_id, _ = bot.client.dm("hello there, how are you today?")
    assert bot.outcome(event_id) == ["replied"]
    [reply] = bot.replies()
    assert metadata_of(reply)["event_payload"] == {"entries": [], "language": "en"}
    text = all_text(reply)
    assert "No known cause" in text and "What to collect next" in text and "execution logging" in text


def test_watched_channel_answers_a_sure_signature_in_thread(bot):
    event = message_event(TIMEOUT_LOG, channel=WATCHED, channel_type="channel")
    event_id, response = bot.client.event(event)
    assert response.status == 200
    assert bot.outcome(event_id) == ["replied"]
    [reply] = bot.replies()
    assert reply.params["channel"] == WATCHED and reply.params["thread_ts"] == event["ts"]
    assert metadata_of(reply)["event_payload"]["entries"][0] == "function-timeout"


def test_watched_channel_stays_silent_on_chatter_and_keywords(bot):
    silent = [
        "lunch at noon?",
        "I think our lambda timeout is too low, the function timeout keeps biting us",  # keywords only
        "we got a 502 yesterday",
    ]
    for text in silent:
        event_id, response = bot.client.event(message_event(text, channel=WATCHED, channel_type="channel"))
        assert response.status == 200
        assert bot.outcome(event_id) == ["silent"], text
    assert bot.replies() == []


def test_unwatched_channel_messages_are_acknowledged_and_ignored(bot):
    event_id, response = bot.client.event(message_event(TIMEOUT_LOG, channel="COTHER01", channel_type="channel"))
    assert response.status == 200  # a 404 would make Slack retry
    # A message in an unwatched channel matches no listener: decided before the 200 came back.
    assert bot.services.activity.outcomes(event_id) == []
    assert bot.replies() == []


def test_a_mention_in_a_watched_channel_gets_one_reply(bot):
    # Slack sends both app_mention and message.channels for this message.
    ts = "1700000123.000001"
    text = f"<@{BOT_USER}> help\n{TIMEOUT_LOG}"
    channel_event = message_event(text, channel=WATCHED, channel_type="channel", ts=ts)
    mention = {"type": "app_mention", "user": ALICE, "text": text, "ts": ts, "channel": WATCHED, "event_ts": ts}
    mention_id, _ = bot.client.event(mention)
    message_id, _ = bot.client.event(channel_event)
    assert bot.outcome(mention_id) == ["replied"]
    assert bot.services.activity.outcomes(message_id) == []  # left to the mention listener
    assert len(bot.replies()) == 1


# -- never ourselves, never other bots ---------------------------------------------------------


def test_own_and_other_bots_messages_are_never_answered(bot):
    own = message_event(TIMEOUT_LOG, channel=DM, channel_type="im", user=BOT_USER, bot_id=BOT_ID)
    other_bot = message_event(TIMEOUT_LOG, channel=DM, channel_type="im", user=None, bot_id="BOTHER01",
                              subtype="bot_message")
    other_bot_in_watched = message_event(TIMEOUT_LOG, channel=WATCHED, channel_type="channel",
                                         user="UOTHER01", bot_id="BOTHER01")
    bot_mention = {"type": "app_mention", "user": "UOTHER01", "bot_id": "BOTHER01",
                   "text": f"<@{BOT_USER}> {TIMEOUT_LOG}", "ts": "1700000000.000321", "channel": GENERAL}
    ids = []
    for event in (own, other_bot, other_bot_in_watched, bot_mention):
        event_id, response = bot.client.event(event)
        assert response.status == 200
        ids.append(event_id)
    # All four are dropped by middleware or matchers before the 200; a later message still works.
    marker, _ = bot.client.dm(TIMEOUT_LOG)
    assert bot.outcome(marker) == ["replied"]
    assert len(bot.replies()) == 1
    assert all(bot.services.activity.outcomes(event_id) == [] for event_id in ids)


# -- retries and duplicates ----------------------------------------------------------------------


def test_slack_retries_and_repeated_event_ids_give_one_reply(bot):
    event = message_event(TIMEOUT_LOG, channel=DM, channel_type="im")
    event_id = new_event_id()
    first = bot.client.event(event, event_id=event_id)[1]
    retry_1 = bot.client.event(event, event_id=event_id, retry=1)[1]
    retry_2 = bot.client.event(event, event_id=event_id, retry=2)[1]
    duplicate = bot.client.event(event, event_id=event_id)[1]
    assert [r.status for r in (first, retry_1, retry_2, duplicate)] == [200, 200, 200, 200]
    outcomes = bot.outcome(event_id, count=4)
    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "replied"]
    assert len(bot.replies()) == 1


def test_the_same_message_under_two_event_ids_gets_one_reply(bot):
    event = message_event(TIMEOUT_LOG, channel=DM, channel_type="im")
    first_id, _ = bot.client.event(event)
    second_id, _ = bot.client.event(dict(event))
    outcomes = sorted(bot.outcome(first_id) + bot.outcome(second_id))
    assert outcomes == ["duplicate", "replied"]
    assert len(bot.replies()) == 1


def test_a_retry_of_an_event_never_received_is_answered(bot):
    # The first delivery never reached us (server down): the retry is all there is.
    event_id, response = bot.client.event(message_event(TIMEOUT_LOG, channel=DM, channel_type="im"), retry=1)
    assert response.status == 200
    assert bot.outcome(event_id) == ["replied"]


# -- signatures -----------------------------------------------------------------------------------


def test_bad_signature_is_401_and_does_nothing(bot):
    body = json.dumps({"type": "event_callback", "event_id": "Ev1", "event": message_event(
        TIMEOUT_LOG, channel=DM, channel_type="im")}).encode()
    response = bot.client.post(body, "application/json", signature="v0=" + "0" * 64)
    assert response.status == 401
    response = bot.client.post(body, "application/json", signature="")
    assert response.status == 401


def test_signature_from_another_secret_is_401(bot):
    from .conftest import sign

    body = b'{"type": "url_verification", "challenge": "abc"}'
    now = int(time.time())
    response = bot.client.post(body, "application/json", signature=sign(body, now, "0" * 32))
    assert response.status == 401


def test_old_timestamp_is_401_even_when_correctly_signed(bot):
    body = b'{"type": "url_verification", "challenge": "abc"}'
    old = int(time.time()) - 6 * 60  # Slack's window is 5 minutes: a replayed request
    assert bot.client.post(body, "application/json", timestamp=old).status == 401
    assert bot.client.post(body, "application/json").status == 200


def test_url_verification_challenge(bot):
    response = bot.client.post(b'{"type": "url_verification", "challenge": "xyz123", "token": "t"}',
                               "application/json")
    assert response.status == 200 and "xyz123" in response.body


def test_healthz_and_unknown_paths(bot):
    assert bot.client.request("GET", "/healthz").status == 200
    assert bot.client.request("GET", "/nope").status == 404
    assert bot.client.post(b"{}", "application/json", path="/elsewhere").status == 404


# -- language -------------------------------------------------------------------------------------


def test_language_from_the_users_slack_locale(bot):
    event_id, _ = bot.client.dm("our API answers 502, can anyone help?\n" + TIMEOUT_LOG, user=MARIO)
    bot.outcome(event_id)
    [reply] = bot.replies()
    assert metadata_of(reply)["event_payload"]["language"] == "it"
    assert "Come risolvere" in all_text(reply)  # English prose, Italian locale: the locale wins
    [lookup] = bot.fake.calls_to("users.info")
    assert lookup.params["user"] == MARIO and lookup.params["include_locale"] in ("1", "true", True)


def test_language_from_the_prose_when_the_locale_does_not_say(bot):
    event_id, _ = bot.client.dm("ciao, la nostra funzione restituisce sempre 502, perché?\n" + TIMEOUT_LOG,
                                user=NOLOCALE)
    bot.outcome(event_id)
    [reply] = bot.replies()
    assert metadata_of(reply)["event_payload"]["language"] == "it"


def test_language_defaults_to_english_and_locale_lookups_are_cached(bot):
    first, _ = bot.client.dm(TIMEOUT_LOG, user=NOLOCALE)
    bot.outcome(first)
    second, _ = bot.client.dm(MALFORMED_LOG, user=NOLOCALE)
    bot.outcome(second)
    assert [metadata_of(r)["event_payload"]["language"] for r in bot.replies()] == ["en", "en"]
    assert len(bot.fake.calls_to("users.info")) == 1


def test_unknown_user_falls_back_to_the_prose(bot):
    event_id, _ = bot.client.dm("ciao, la nostra funzione restituisce sempre 502\n" + TIMEOUT_LOG,
                                user="UGHOST01")
    assert bot.outcome(event_id) == ["replied"]
    assert metadata_of(bot.replies()[0])["event_payload"]["language"] == "it"


# -- Slack API errors -----------------------------------------------------------------------------


def test_rate_limited_post_is_retried_after_retry_after(bot):
    bot.fake.script("chat.postMessage", (429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}))
    event_id, _ = bot.client.dm(TIMEOUT_LOG)
    assert bot.outcome(event_id) == ["replied"]
    first, second = bot.fake.calls_to("chat.postMessage")
    assert second.at - first.at >= 1.0  # waited as told
    assert second.params["blocks"] == first.params["blocks"]


def test_invalid_blocks_fall_back_to_plain_text_with_metadata(bot):
    bot.fake.script("chat.postMessage", (200, {}, {"ok": False, "error": "invalid_blocks"}))
    event_id, _ = bot.client.dm(TIMEOUT_LOG)
    assert bot.outcome(event_id) == ["replied"]
    refused, plain = bot.fake.calls_to("chat.postMessage")
    assert refused.params.get("blocks") and not plain.params.get("blocks")
    assert "How to fix it" in plain.params["text"] and "1. " in plain.params["text"]
    assert plain.params["thread_ts"] == refused.params["thread_ts"]
    assert plain.params["metadata"]["event_payload"]["entries"][0] == "function-timeout"


def test_a_failing_reply_is_logged_and_the_server_keeps_going(bot, caplog):
    bot.fake.script("chat.postMessage", (200, {}, {"ok": False, "error": "channel_not_found"}))
    event_id, _ = bot.client.dm(TIMEOUT_LOG)
    assert bot.outcome(event_id) == ["failed"]
    assert any("channel_not_found" in record.getMessage() for record in caplog.records)
    again, _ = bot.client.dm(MALFORMED_LOG)
    assert bot.outcome(again) == ["replied"]


def test_a_server_error_from_slack_is_not_fatal(bot):
    bot.fake.script("chat.postMessage", (500, {}, b"upstream broke"))
    event_id, _ = bot.client.dm(TIMEOUT_LOG)
    assert bot.outcome(event_id) == ["failed"]
    again, _ = bot.client.dm(TIMEOUT_LOG)
    assert bot.outcome(again) == ["replied"]


# -- escaping -------------------------------------------------------------------------------------


def test_user_text_is_escaped_in_the_reply(bot):
    # As Slack delivers it: typed <, > and & as entities, a real @here as <!here>.
    typed = "Task timed out after 3.00 seconds &lt;script&gt; &amp; &lt;!channel&gt; <!here> <@U999>"
    event_id, _ = bot.client.dm(typed)
    bot.outcome(event_id)
    text = json.dumps(bot.replies()[0].params["blocks"])
    assert "<script>" not in text and "<!channel>" not in text and "<!here>" not in text
    assert "&lt;script&gt; &amp; &lt;!channel&gt;" in text  # the evidence line, shown but inert
