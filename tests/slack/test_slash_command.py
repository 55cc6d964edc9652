"""/502 end to end: form-encoded, signed, acked at once, answered through the response_url."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from .conftest import MARIO


def run(bot, text: str, **options):
    response, response_url = bot.client.command(text, **options)
    assert response.status == 200 and response.body == ""  # the ack: empty, within the 3 seconds
    path = urllib.parse.urlsplit(response_url).path
    [answer] = bot.fake.wait_for("response_url", where=lambda c: c.path == path)
    assert answer.params["response_type"] == "ephemeral"
    return answer.params


def text_of(answer) -> str:
    return json.dumps(answer["blocks"], ensure_ascii=False) + answer["text"]


@pytest.mark.parametrize("text", ["help", "", "  "])
def test_help(bot, text):
    answer = run(bot, text)
    assert "/502 list" in text_of(answer) and "/502 show" in text_of(answer)


def test_list_names_every_entry(bot, knowledge):
    answer = text_of(run(bot, "list"))
    for entry in knowledge.entries:
        assert f"`{entry.id}`" in answer


def test_show_an_entry_in_the_users_language(bot, knowledge):
    entry = knowledge.get("function-timeout")
    answer = text_of(run(bot, "show function-timeout", user=MARIO))
    assert entry.title["it"] in answer and "Come risolvere" in answer


def test_show_unknown_entry_and_show_without_id(bot):
    assert "/502 list" in text_of(run(bot, "show no-such-thing"))
    assert "/502 show ENTRY-ID" in text_of(run(bot, "show"))


def test_well_formed_api_id_is_told_live_checks_are_off_by_default(bot):
    response, response_url = bot.client.command("a1b2c3d4e5 prod eu-west-1")
    assert response.status == 200 and "a1b2c3d4e5" in response.body  # the ack: "checking..."
    path = urllib.parse.urlsplit(response_url).path
    [answer] = bot.fake.wait_for("response_url", where=lambda c: c.path == path)
    assert answer.params["response_type"] == "ephemeral"
    assert "BADGATEWAY_ALLOWED_CHANNELS" in text_of(answer.params)


@pytest.mark.parametrize("text, fragment", [
    ("a_b", "is not an API Gateway API id"),  # URLs and load balancer names are targets too: test_slash_targets.py
    ("-abc", "is not an API Gateway API id"),
    ("ftp://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod", "is not an API Gateway API id"),
    ("<!channel>", "is not an API Gateway API id"),
    ("a1b2c3d4e5 pr/od", "is not a stage name"),
    ("a1b2c3d4e5 prod europe", "is not an AWS region"),
])
def test_malformed_input_is_refused_clearly(bot, text, fragment):
    answer = text_of(run(bot, text))
    assert fragment in answer
    assert "turned off" not in answer
    assert "<!channel>" not in answer  # echoed back escaped


def test_bad_signature_on_a_command_is_401(bot):
    body = b"command=%2F502&text=help&user_id=U1"
    assert bot.client.post(body, "application/x-www-form-urlencoded", signature="v0=bad").status == 401
