"""Acks under load: every ack on the request's own thread, the work on a bounded queue, "busy"
when it is full. The review saw `/502 help` and a button 404 after 3 s with 100 mentions in flight
and a slow Slack; here Slack takes a second for every reply and the acks still come back at once."""

from __future__ import annotations

import threading
import time

from bot.slack.hosting.work import CAPACITY, WORKERS

from .conftest import ALICE, GENERAL, MALFORMED_LOG, WAIT, new_ts

ACK_AT_ONCE = 1.0  # seconds; Slack gives up at 3. Unloaded, an ack takes a few milliseconds.


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_acks_come_back_at_once_while_every_worker_waits_on_slack(bot):
    from .test_actions import buttons

    # A reply to click on first, while Slack is quick.
    event_id, _ = bot.client.dm(MALFORMED_LOG)
    assert bot.outcome(event_id) == ["replied"]
    reply = bot.replies()[-1]

    bot.fake.delays["chat.postMessage"] = 1.0  # from now on, each reply takes Slack a second
    mentions = 2 * CAPACITY
    slowest = 0.0
    sending_started = time.monotonic()
    for _ in range(mentions):
        (event_id, _), seconds = timed(lambda: bot.client.mention(MALFORMED_LOG))
        slowest = max(slowest, seconds)
    sending = time.monotonic() - sending_started
    assert slowest < ACK_AT_ONCE, f"a mention's ack took {slowest:.2f} s"
    assert bot.services.work.pending >= WORKERS  # saturated: every worker busy, the queue full

    (response, _), seconds = timed(lambda: bot.client.command("help"))
    assert response.status == 200 and seconds < ACK_AT_ONCE, f"/502 help's ack took {seconds:.2f} s"
    (response, _), seconds = timed(lambda: bot.client.click(buttons(reply)["badgateway_feedback_helpful"],
                                                            channel=reply.params["channel"], message_ts="1.2"))
    assert response.status == 200 and seconds < ACK_AT_ONCE, f"a button's ack took {seconds:.2f} s"

    # Work beyond the queue was refused at once, and said so in the thread rather than nothing.
    # Each reply takes Slack a second: while the mentions were being sent, at most WORKERS a
    # second were finished and made room (none when sending took under a second).
    outcomes = [o for _, o in bot.services.activity._outcomes]
    made_room = WORKERS * int(sending)
    assert outcomes.count("busy") >= mentions - CAPACITY - made_room, (sending, outcomes.count("busy"))
    busy_text = "I am busy with other requests"
    notice = bot.fake.wait_for("chat.postMessage", where=lambda c: busy_text in str(c.params.get("text")),
                               timeout=WAIT)[0]
    assert notice.params["channel"] == GENERAL and notice.params["thread_ts"]
    # And the queue drains: what was accepted is answered, and the waiting notices are sent.
    bot.fake.delays.clear()
    assert bot.services.work.wait_idle(time.monotonic() + 3 * WAIT) == 0
    assert bot.app.listener_runner.lazy_listener_runner.notices.wait_sent(WAIT)


def test_a_full_queue_answers_busy_at_once(fake_slack):
    """Two workers' worth of queue, both taken by slow replies: the next pieces of work are refused
    at once, and each person is told so where they asked."""
    from bot.slack.app import build_app
    from bot.slack.config import load_config
    from bot.slack.hosting.http_server import make_server
    from bot.slack.hosting.work import WorkQueue
    from bot.slack.services import Services

    from .conftest import DM, Bot, BotClient, bot_env

    config = load_config(bot_env(fake_slack), "http")
    services = Services(config, work=WorkQueue(workers=1, capacity=2))
    app = build_app(config, services=services)
    server = make_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    bot = Bot(BotClient(server.url, fake_slack), fake_slack, services, app)
    try:
        fake_slack.delays["chat.postMessage"] = 1.0
        first = [bot.client.mention(MALFORMED_LOG)[0] for _ in range(2)]
        assert not services.work.has_room()
        (response, _), seconds = timed(lambda: bot.client.command("a1b2c3d4e5"))
        assert seconds < ACK_AT_ONCE and "busy" in response.body
        event_id, _ = bot.client.dm(MALFORMED_LOG)
        assert bot.outcome(event_id) == ["busy"]
        notice = fake_slack.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == DM)[0]
        assert "busy" in notice.params["text"]
        for key in first:
            assert bot.outcome(key) == ["replied"]
        assert fake_slack.calls_to("response_url") == []  # the ack said it: no second word
    finally:
        services.work.wait_idle(time.monotonic() + WAIT)
        server.shutdown()
        server.server_close()


def test_a_quiet_bot_is_not_busy(bot):
    (response, _), _ = timed(lambda: bot.client.command("help"))
    assert response.status == 200 and "busy" not in response.body
    event_id, _ = bot.client.mention(MALFORMED_LOG, user=ALICE, ts=new_ts())
    assert bot.outcome(event_id) == ["replied"]
