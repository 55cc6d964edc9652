"""App Home's Home tab end to end: views.publish on app_home_opened, in the person's language,
with every entry browsable, their recent answers and live checks, and whether live checks are
theirs to run; and the view within Slack's limits whatever the knowledge base and the history."""

from __future__ import annotations

import json
import threading

import pytest

from bot.slack.rendering.home import ACTION_READ_ENTRY, LiveAccess, home_problems, render_home

from .conftest import ALICE, GENERAL, MARIO, TIMEOUT_LOG, Bot, BotClient, bot_env


def published(bot, count: int = 1):
    calls = bot.fake.wait_for("views.publish", count=count)
    view = calls[count - 1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    return calls[count - 1].params["user_id"], view


def text_of(view) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def test_opening_the_home_tab_publishes_it(bot, knowledge):
    bot.client.home_opened(user=ALICE)
    user, view = published(bot)
    assert user == ALICE and view["type"] == "home"
    assert home_problems(view) == [] and len(view["blocks"]) <= 100
    text = text_of(view)
    for entry in knowledge.entries:  # every entry, each with its button
        assert f"`{entry.id}`" in text
    buttons = [b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("action_id") == ACTION_READ_ENTRY]
    assert {b["value"] for b in buttons} == {e.id for e in knowledge.entries}
    assert "Diagnose this 502" in text and "turned off" in text  # how to use it; live checks off by default
    assert "Nothing yet" in text


def test_the_messages_tab_publishes_nothing(bot):
    bot.client.home_opened(tab="messages")
    bot.client.home_opened(user=MARIO)  # then the home tab, to know the first was handled before it
    user, _ = published(bot)
    assert user == MARIO and len(bot.fake.calls_to("views.publish")) == 1


def test_it_is_in_the_persons_language(bot, knowledge):
    bot.client.home_opened(user=MARIO)
    _, view = published(bot)
    text = text_of(view)
    assert "Controlli dal vivo" in text and "Altre azioni" in text
    assert knowledge.entries[0].title["it"] in text


def test_recent_diagnoses_show_after_an_answer(bot):
    event_id, _event = bot.client.dm(TIMEOUT_LOG)
    assert bot.outcome(event_id) == ["replied"]
    bot.client.home_opened(user=ALICE)
    _, view = published(bot)
    text = text_of(view)
    assert "`function-timeout`" in text.split("What I recognise")[0]  # in the history, above the list
    assert "<!date^" in text and "Task timed out" not in text  # when; never the pasted text


def test_an_entry_opens_in_full_and_back(bot, knowledge):
    bot.client.home_opened(user=ALICE)
    _, view = published(bot)
    read = next(b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("value") == "function-timeout")
    assert bot.client.click_in_home(read).status == 200
    _, entry_view = published(bot, 2)
    entry = next(e for e in knowledge.entries if e.id == "function-timeout")
    assert entry.title["en"] in text_of(entry_view) and home_problems(entry_view) == []
    back = entry_view["blocks"][0]["elements"][0]
    bot.client.click_in_home(back)
    _, again = published(bot, 3)
    assert "What I recognise" in text_of(again)


@pytest.fixture
def live_bot(fake_slack):
    from bot.slack.app import build_app
    from bot.slack.config import load_config
    from bot.slack.hosting.http_server import make_server
    from bot.slack.services import Services

    config = load_config(bot_env(fake_slack, BADGATEWAY_ALLOWED_CHANNELS=GENERAL, BADGATEWAY_ALLOWED_USERS=ALICE,
                                 BADGATEWAY_ALARM_CHANNEL="CALARMS01"), "http")
    services = Services(config)
    app = build_app(config, services=services)
    server = make_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield Bot(BotClient(server.url, fake_slack), fake_slack, services, app)
    server.shutdown()
    server.server_close()


def test_it_says_whether_live_checks_are_enabled_for_this_person(live_bot):
    live_bot.client.home_opened(user=ALICE)
    _, view = published(live_bot)
    assert f"Enabled for you in <#{GENERAL}>" in text_of(view) and "<#CALARMS01>" in text_of(view)
    live_bot.fake.profiles[MARIO] = {}
    live_bot.client.home_opened(user=MARIO)
    _, view = published(live_bot, 2)
    assert "Non sei tra le persone" in text_of(view)  # not in BADGATEWAY_ALLOWED_USERS, in Italian
    live_bot.fake.profiles[ALICE] = {"is_restricted": True}  # a guest, even when allowed by id
    live_bot.client.home_opened(user=ALICE)
    _, view = published(live_bot, 3)
    assert "not available to guests" in text_of(view)


def test_a_refused_publish_is_one_log_line(bot, caplog):
    bot.fake.script("views.publish", (200, {}, {"ok": False, "error": "not_enabled"}))
    with caplog.at_level("ERROR", logger="badgateway.bolt"):
        bot.client.home_opened()
        bot.fake.wait_for("views.publish")
        bot.services.work.wait_idle(__import__("time").monotonic() + 10)
    assert any("views.publish" in r.getMessage() and "not_enabled" in r.getMessage() for r in caplog.records)


# -- limits, whatever the knowledge base and the history ------------------------------------------


def test_the_view_fits_with_many_entries_and_a_long_history(knowledge):
    entry = knowledge.entries[0]
    many = [entry._replace(id=f"{entry.id}-{n}", title={k: v * 3 for k, v in entry.title.items()})
            for n in range(150)]
    big = knowledge._replace(entries=tuple(many))
    activity = [{"kind": "live" if n % 2 else "diagnosis", "at": 1_700_000_000 + n, "channel": "C0123456789",
                 "api": "a1b2c3d4e5", "fail": n, "entries": [f"{entry.id}-{n}"] * 5} for n in range(200)]
    for lang in ("en", "it"):
        for live in (LiveAccess("home_live_in", tuple(f"C{n:010d}" for n in range(500)), "C0000000001"),
                     LiveAccess("live_disabled")):
            view = render_home(big, lang, activity=activity, live=live)
            assert home_problems(view) == [], home_problems(view)
            assert len(json.dumps(view).encode()) < 250_000  # views.publish's view_too_large
