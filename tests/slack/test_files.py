"""Uploaded log files: checked with files.info before any download; fetched with the bot token."""

from __future__ import annotations

import json

import pytest

from .conftest import BOT_TOKEN, BOT_USER, DM, GENERAL, TIMEOUT_LOG, WATCHED, message_event


def share(bot, file_ids, *, text="", channel=DM, channel_type="im"):
    event = message_event(text, channel=channel, channel_type=channel_type, subtype="file_share",
                          files=[{"id": file_id} for file_id in file_ids])
    event_id, response = bot.client.event(event)
    assert response.status == 200
    return event_id, event


def reply_text(bot) -> str:
    [reply] = bot.replies()
    return json.dumps(reply.params["blocks"], ensure_ascii=False)


@pytest.mark.parametrize("name, mimetype", [
    ("function.log", "text/plain"), ("notes.txt", "text/plain"), ("invoke.json", "application/json"),
    ("export.csv", "text/csv"), ("LOGS.LOG", "application/octet-stream"),
])
def test_an_accepted_file_is_downloaded_with_the_bot_token_and_diagnosed(bot, name, mimetype):
    bot.fake.add_file("F0001", name, TIMEOUT_LOG.encode(), mimetype=mimetype)
    event_id, event = share(bot, ["F0001"])
    assert bot.outcome(event_id) == ["replied"]
    [info] = bot.fake.calls_to("files.info")
    assert info.params["file"] == "F0001"
    [download] = bot.fake.calls_to("download")
    assert download.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    assert info.at <= download.at
    [reply] = bot.replies()
    assert reply.params["thread_ts"] == event["ts"]
    assert reply.params["metadata"]["event_payload"]["entries"][0] == "function-timeout"


def test_a_file_over_5_mb_is_refused_before_download(bot):
    bot.fake.add_file("F0002", "huge.log", TIMEOUT_LOG.encode(), size=5 * 1024 * 1024 + 1)
    event_id, _ = share(bot, ["F0002"])
    assert bot.outcome(event_id) == ["replied"]
    assert bot.fake.calls_to("download") == []
    text = reply_text(bot)
    assert "huge.log" in text and "up to 5 MB" in text
    assert bot.replies()[0].params["metadata"]["event_payload"]["entries"] == []


@pytest.mark.parametrize("name, mimetype", [
    ("screenshot.png", "image/png"), ("bundle.zip", "application/zip"), ("trace.log", "image/png"),
    ("script.sh", "text/x-sh"),
])
def test_a_file_of_another_type_is_refused_before_download(bot, name, mimetype):
    bot.fake.add_file("F0003", name, b"\x89PNG....", mimetype=mimetype)
    event_id, _ = share(bot, ["F0003"])
    assert bot.outcome(event_id) == ["replied"]
    assert bot.fake.calls_to("download") == []
    assert ".log, .txt, .json and .csv" in reply_text(bot)


def test_a_file_bigger_than_files_info_said_is_cut_off(bot):
    bot.fake.add_file("F0004", "liar.log", b"x" * (5 * 1024 * 1024 + 10), size=100)
    event_id, _ = share(bot, ["F0004"])
    assert bot.outcome(event_id) == ["replied"]
    assert "up to 5 MB" in reply_text(bot)


def test_sign_in_page_instead_of_the_file_is_explained(bot):
    bot.fake.add_file("F0005", "function.log", TIMEOUT_LOG.encode())
    bot.fake.script("download", (200, {"Content-Type": "text/html; charset=utf-8"}, b"<html>sign in</html>"))
    event_id, _ = share(bot, ["F0005"])
    assert bot.outcome(event_id) == ["replied"]
    assert "files:read" in reply_text(bot)


def test_a_binary_file_with_a_log_name_is_not_read(bot):
    bot.fake.add_file("F0006", "function.log", b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)
    event_id, _ = share(bot, ["F0006"])
    assert bot.outcome(event_id) == ["replied"]
    assert "binary" in reply_text(bot)


def test_the_token_never_goes_to_another_host(bot):
    bot.fake.add_file("F0007", "function.log", TIMEOUT_LOG.encode(),
                      url="https://files.evil.example/F0007/function.log")
    event_id, _ = share(bot, ["F0007"])
    assert bot.outcome(event_id) == ["replied"]
    assert bot.fake.calls_to("download") == []
    assert "not on the Slack host" in reply_text(bot)


def test_a_redirect_off_the_slack_host_is_not_followed(bot):
    bot.fake.add_file("F0008", "function.log", TIMEOUT_LOG.encode())
    bot.fake.script("download", (302, {"Location": "https://elsewhere.example/f"}, b""))
    event_id, _ = share(bot, ["F0008"])
    assert bot.outcome(event_id) == ["replied"]
    assert len(bot.fake.calls_to("download")) == 1
    assert "download failed" in reply_text(bot)


def test_text_and_file_together(bot):
    bot.fake.add_file("F0009", "function.log", TIMEOUT_LOG.encode())
    event_id, _ = share(bot, ["F0009"], text="our orders API answers 502 since this morning")
    bot.outcome(event_id)
    assert bot.replies()[0].params["metadata"]["event_payload"]["entries"][0] == "function-timeout"


def test_a_mention_with_a_file_reads_the_file(bot):
    bot.fake.add_file("F0010", "function.log", TIMEOUT_LOG.encode())
    event_id, _ = bot.client.mention("what is this?", files=[{"id": "F0010"}])
    assert bot.outcome(event_id) == ["replied"]
    assert bot.replies()[0].params["channel"] == GENERAL
    assert bot.replies()[0].params["metadata"]["event_payload"]["entries"][0] == "function-timeout"


def test_files_in_a_watched_channel_answer_only_when_sure(bot):
    bot.fake.add_file("F0011", "function.log", TIMEOUT_LOG.encode())
    bot.fake.add_file("F0012", "picture.png", b"\x89PNG", mimetype="image/png")
    bot.fake.add_file("F0013", "notes.txt", b"meeting notes: nothing about lambdas")
    sure, _ = share(bot, ["F0011"], channel=WATCHED, channel_type="channel")
    wrong_type, _ = share(bot, ["F0012"], channel=WATCHED, channel_type="channel")
    chatter, _ = share(bot, ["F0013"], channel=WATCHED, channel_type="channel")
    assert bot.outcome(sure) == ["replied"]
    assert bot.outcome(wrong_type) == ["silent"]
    assert bot.outcome(chatter) == ["silent"]
    assert len(bot.replies()) == 1


def test_a_file_share_mentioning_the_bot_is_left_to_the_mention_listener(bot):
    bot.fake.add_file("F0014", "function.log", TIMEOUT_LOG.encode())
    event_id, _ = share(bot, ["F0014"], text=f"<@{BOT_USER}> look")
    assert bot.services.activity.outcomes(event_id) == []


@pytest.mark.parametrize("url, allowed", [
    ("https://files.slack.com/files-pri/T0001-F1/a.log", True),
    ("https://files.slack.com:443/files-pri/T0001-F1/a.log", True),
    ("https://files.slack.com:8443/files-pri/T0001-F1/a.log", False),  # another port: another service
    ("http://files.slack.com/files-pri/T0001-F1/a.log", False),  # the token over plain http
    ("https://files.slack.com.attacker.example/a.log", False),
    ("https://attacker.example/files.slack.com/a.log", False),
    ("https://user:pass@files.slack.com/a.log", False),
    ("https://files.slack.com:notaport/a.log", False),
    ("ftp://files.slack.com/a.log", False),
])
def test_downloads_go_only_to_slacks_https_file_hosts(url, allowed):
    from bot.slack.config import load_config
    from bot.slack.handling.files import allowed_download_host

    config = load_config({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd990011ff85a5"},
                         "http")  # the default SLACK_API_URL, https://slack.com/api/
    assert allowed_download_host(url, config) is allowed


def test_the_token_never_goes_to_another_port_of_the_slack_host(bot):
    other_port = bot.fake.url.rsplit(":", 1)[0] + ":1"  # the stand-in's host, another port
    bot.fake.add_file("F0009", "a.log", b"Task timed out after 3.00 seconds",
                      url=f"{other_port}/files-pri/T0001-F0009/a.log")
    event_id, _ = share(bot, ["F0009"])
    assert bot.outcome(event_id) == ["replied"]
    assert bot.fake.calls_to("download") == []
    assert "not on the Slack host" in reply_text(bot)
