"""The 👍/👎 buttons end to end: the verdict kept (ids only), the author's redacted text added on
their word only, and `badgateway feedback export` writing them as corpus items from the table."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse

import yaml

from bot.slack.handling.feedback import corpus_items, text_kind

from ..conftest import ROOT
from .conftest import ALICE, DM, MARIO, TIMEOUT_LOG
from .test_actions import buttons

SECRET_LINE = "password=hunter2-very-secret"
CORPUS_KEYS = ["name", "source", "cause", "established_by", "kind", "language", "text"]


def answered_in_dm(bot, text: str, user: str = ALICE):
    event_id, event = bot.client.dm(text, user=user)
    assert bot.outcome(event_id) == ["replied"]
    reply = bot.replies()[-1]
    bot.fake.messages[(DM, event["ts"])] = {"type": "message", "user": user, "ts": event["ts"], "text": text}
    return reply, event


def click(bot, reply, event, action: str, user: str = ALICE):
    response, response_url = bot.client.click(buttons(reply)[action], channel=DM, message_ts="1700000000.000009",
                                              thread_ts=event["ts"], user=user)
    assert response.status == 200
    path = urllib.parse.urlsplit(response_url).path
    [thanks] = bot.fake.wait_for("response_url", where=lambda c: c.path == path)
    return thanks.params


def share_button(thanks) -> dict:
    [actions] = [b for b in thanks["blocks"] if b["type"] == "actions"]
    return actions["elements"][0]


def test_a_verdict_is_kept_with_ids_only_and_the_author_may_add_the_text(bot):
    reply, event = answered_in_dm(bot, f"{TIMEOUT_LOG}{SECRET_LINE}\n")
    thanks = click(bot, reply, event, "badgateway_feedback_helpful")
    [verdict] = bot.services.state.verdicts()
    assert verdict["helpful"] is True and verdict["entries"][0] == "function-timeout"
    assert verdict["thread_ts"] == event["ts"] and "text" not in verdict  # nothing of the message yet
    share = share_button(thanks)
    assert share["action_id"] == "badgateway_share_text"
    _response, response_url = bot.client.click(share, channel=DM, message_ts="1.9", user=ALICE)
    path = urllib.parse.urlsplit(response_url).path
    [done] = bot.fake.wait_for("response_url", where=lambda c: c.path == path)
    assert "kept for review" in done.params["text"]
    [read] = bot.fake.calls_to("conversations.replies")
    assert read.params["channel"] == DM and read.params["ts"] == event["ts"]
    [verdict] = bot.services.state.verdicts()
    assert "Task timed out after 3.00 seconds" in verdict["text"]
    assert "hunter2" not in verdict["text"] and "[REDACTED" in verdict["text"]


def test_only_the_author_can_share_the_text(bot):
    reply, event = answered_in_dm(bot, TIMEOUT_LOG, user=ALICE)
    thanks = click(bot, reply, event, "badgateway_feedback_not_helpful", user=MARIO)
    _response, response_url = bot.client.click(share_button(thanks), channel=DM, message_ts="1.9", user=MARIO)
    path = urllib.parse.urlsplit(response_url).path
    [refused] = bot.fake.wait_for("response_url", where=lambda c: c.path == path)
    assert "Solo chi ha scritto" in refused.params["text"]  # MARIO reads Italian
    [verdict] = bot.services.state.verdicts()
    assert verdict["helpful"] is False and "text" not in verdict
    # Someone else pressing the first person's button adds nothing either.
    reply2, event2 = answered_in_dm(bot, TIMEOUT_LOG, user=ALICE)
    thanks2 = click(bot, reply2, event2, "badgateway_feedback_helpful", user=ALICE)
    bot.client.click(share_button(thanks2), channel=DM, message_ts="1.9", user=MARIO)
    bot.services.work.wait_idle(__import__("time").monotonic() + 10)
    assert all("text" not in v for v in bot.services.state.verdicts())


def test_the_log_line_of_a_click_holds_ids_only(bot, caplog):
    reply, event = answered_in_dm(bot, f"{TIMEOUT_LOG}{SECRET_LINE}\n")
    with caplog.at_level("INFO", logger="badgateway.feedback"):
        click(bot, reply, event, "badgateway_feedback_helpful")
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "badgateway.feedback"]
    assert line["helpful"] is True and line["entries"][0] == "function-timeout"
    assert "hunter2" not in json.dumps(line) and "Task timed out" not in json.dumps(line)


def test_export_writes_corpus_items_from_the_table(state_table, tmp_path):
    """The real command, in its own process, reading the table on moto's server."""
    from bot.slack.state.bot_state import BotState
    from bot.slack.state.dynamodb import DynamoStore

    state = BotState(DynamoStore(state_table.name, client=state_table.client()))
    base = {"team": "T0001", "team_domain": "acme", "user": ALICE, "channel": "C0123ABCD", "language": "en"}
    shared = state.record_verdict({**base, "helpful": True, "entries": ["function-timeout"],
                                   "message_ts": "1700000001.000200", "thread_ts": "1700000000.000100"})
    state.replace_verdict(shared, {**state.verdict(shared), "text": "our API answers 502\n" + TIMEOUT_LOG})
    state.record_verdict({**base, "helpful": False, "entries": [], "message_ts": "1.1", "thread_ts": "1.0"})
    wrong = state.record_verdict({**base, "helpful": False, "entries": ["lambda-throttled"], "language": "it",
                                  "message_ts": "2.1", "thread_ts": "1700000002.000300"})
    state.replace_verdict(wrong, {**state.verdict(wrong), "text": "la mia API risponde 502 ogni tanto"})
    out = tmp_path / "candidates.yaml"
    env = {"PATH": "/usr/bin:/bin", **state_table.env, "BADGATEWAY_STATE_TABLE": state_table.name}
    result = subprocess.run([sys.executable, "-m", "bot", "feedback", "export", "-o", str(out)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "2 item(s)" in result.stderr and "1 other" in result.stderr
    items = yaml.safe_load(out.read_text())
    assert [list(item) for item in items] == [CORPUS_KEYS, CORPUS_KEYS]
    first, second = items
    assert first["cause"] == "function-timeout" and first["kind"] == "mixed" and first["language"] == "en"
    assert first["source"] == "https://acme.slack.com/archives/C0123ABCD/p1700000000000100"
    assert first["text"].startswith("our API answers 502\nSTART RequestId")
    assert second["cause"] is None and second["kind"] == "prose" and second["language"] == "it"
    assert "lambda-throttled" in second["established_by"]
    for item in items:  # what tests/test_corpus.py asks of every corpus item
        assert item["source"].startswith("https://") and item["text"].strip()
        assert item["kind"] in ("prose", "log", "mixed")


def test_export_fails_in_one_line_without_a_table_or_access(state_table):
    env = {"PATH": "/usr/bin:/bin", **state_table.env}
    for args, expected in ((["feedback", "export"], "no state table"),
                           (["feedback", "export", "--table", "not-there"], "ResourceNotFoundException")):
        result = subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 2 and expected in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_the_latest_verdict_of_a_person_on_an_answer_wins():
    old = {"at": 1, "message_ts": "1.1", "user": "U1", "helpful": False, "entries": ["a"], "text": "x"}
    new = {**old, "at": 2, "helpful": True}
    [item] = corpus_items([new, old])
    assert item["cause"] == "a"
    assert text_kind("just words here") == "prose" and text_kind(TIMEOUT_LOG) == "log"
