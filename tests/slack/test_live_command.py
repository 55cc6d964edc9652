"""/502 API-ID end to end: signed slash command in, live checks against moto's server on
127.0.0.1, findings posted in the channel of a stand-in Slack. Who may run them, too."""

from __future__ import annotations

import json
import threading
import urllib.parse

import pytest

from bot.slack.config import load_config
from bot.slack.handling.live_checks import (
    LiveCheckCaller,
    membership_problem,
    refusal,
)

from .conftest import ALICE, GENERAL, MARIO, TEAM, WAIT, Bot, BotClient, bot_env


def start_bot(fake_slack, **env: str) -> tuple[Bot, object]:
    from bot.slack.app import build_app
    from bot.slack.hosting.http_server import make_server
    from bot.slack.services import Services

    config = load_config(bot_env(fake_slack, **env), "http")
    services = Services(config)
    app = build_app(config, services=services)
    server = make_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return Bot(BotClient(server.url, fake_slack), fake_slack, services, app), server


@pytest.fixture
def allowed_bot(fake_slack, aws_env):
    bot, server = start_bot(fake_slack, BADGATEWAY_ALLOWED_CHANNELS="*", BADGATEWAY_ALLOWED_USERS=ALICE)
    yield bot
    server.shutdown()
    server.server_close()


def command(bot: Bot, text: str, user: str = ALICE, team: str = TEAM) -> tuple[str, str]:
    response, response_url = bot.client.command(text, user=user, team=team)
    assert response.status == 200
    return response.body, urllib.parse.urlsplit(response_url).path


def ephemeral_answer(bot: Bot, path: str) -> str:
    [answer] = bot.fake.wait_for("response_url", where=lambda c: c.path == path)
    return json.dumps(answer.params.get("blocks"), ensure_ascii=False) + answer.params["text"]


def test_findings_are_posted_in_the_channel(allowed_bot, aws_env):
    ack, _ = command(allowed_bot, f"{aws_env.api_id} prod us-east-1")
    assert "checking" in ack  # the ack says the check started, at once
    [posted] = allowed_bot.fake.wait_for("chat.postMessage", timeout=WAIT + 30)
    assert posted.params["channel"] == GENERAL
    text = json.dumps(posted.params["blocks"], ensure_ascii=False)
    assert "missing-invoke-permission" in text and "orders-api" in text
    assert "lambda-throttled" in text and "checkout" in text
    blocks = posted.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert len(blocks) <= 50


def test_live_checks_are_off_by_default(fake_slack, aws_env):
    bot, server = start_bot(fake_slack)
    try:
        _, path = command(bot, f"{aws_env.api_id}")
        assert "turned off" in ephemeral_answer(bot, path)
        assert not bot.fake.calls_to("chat.postMessage")
    finally:
        server.shutdown()
        server.server_close()


def test_a_user_not_allowed_is_refused(allowed_bot, aws_env):
    _, path = command(allowed_bot, aws_env.api_id, user=MARIO)
    assert "BADGATEWAY_ALLOWED_USERS" in ephemeral_answer(allowed_bot, path)
    assert not allowed_bot.fake.calls_to("chat.postMessage")


def test_an_external_user_is_refused(allowed_bot, aws_env):
    stranger = (200, {}, {"ok": True, "user": {
        "id": ALICE, "team_id": "TOTHERORG", "is_stranger": True, "locale": "en-US"}})
    allowed_bot.fake.script("users.info", stranger, stranger)  # the locale lookup, then the check
    _, path = command(allowed_bot, aws_env.api_id)
    assert "other organisations" in ephemeral_answer(allowed_bot, path)


def test_an_unknown_api_gets_a_clear_message(allowed_bot, aws_env):
    _, path = command(allowed_bot, "zzzzzzzzzz prod us-east-1")
    answer = ephemeral_answer(allowed_bot, path)
    assert "zzzzzzzzzz" in answer and "could not run" in answer


def test_refusal_rules():
    env = {"SLACK_BOT_TOKEN": "xoxb-1111-2222-abcd", "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd990011ff85a5"}
    nobody = load_config(env, "http")
    caller = LiveCheckCaller(user_id="U1", channel_id="C1", membership=None)
    assert refusal(nobody, caller) == "live_disabled"
    some = load_config({**env, "BADGATEWAY_ALLOWED_CHANNELS": "C1", "BADGATEWAY_ALLOWED_USERS": "*"}, "http")
    assert refusal(some, caller) is None
    assert refusal(some, LiveCheckCaller("U1", "C2", None)) == "live_channel_not_allowed"
    assert refusal(some, LiveCheckCaller("U1", "C1", "live_external")) == "live_external"
    assert refusal(some, LiveCheckCaller("U1", "C1", "live_guest")) == "live_guest"


@pytest.mark.parametrize("user, installed, enterprise, problem", [
    ({"team_id": TEAM}, TEAM, None, None),
    ({"team_id": "TOTHER"}, TEAM, None, "live_external"),  # another team, even in the request's name
    ({"team_id": TEAM, "is_stranger": True}, TEAM, None, "live_external"),
    ({"team_id": TEAM, "is_restricted": True}, TEAM, None, "live_guest"),  # multi-channel guest
    ({"team_id": TEAM, "is_ultra_restricted": True}, TEAM, None, "live_guest"),  # single-channel guest
    ({"team_id": TEAM}, "", "E0001", "live_unverified"),  # an enterprise install with no team: refuse
    ({"team_id": TEAM}, None, None, "live_unverified"),
    ({}, TEAM, None, "live_external"),  # no team on the user: not a member
    ({"team_id": TEAM, "deleted": True}, TEAM, None, "live_unverified"),
    ({"team_id": "T0002", "enterprise_user": {"enterprise_id": "E0001", "teams": [TEAM, "T0002"]}},
     TEAM, "E0001", None),  # Enterprise Grid: the same organisation, a member of the installed team too
    ({"team_id": "T0002", "enterprise_user": {"enterprise_id": "E0001", "teams": ["T0002"]}},
     TEAM, "E0001", "live_external"),
    ({"team_id": "T0002", "enterprise_user": {"enterprise_id": "E0002", "teams": [TEAM]}},
     TEAM, "E0001", "live_external"),
])
def test_membership_is_the_installations_and_fails_closed(user, installed, enterprise, problem):
    assert membership_problem(user, installed, enterprise) == problem


def test_one_check_at_a_time_per_user():
    from bot.slack.state import open_state

    state = open_state(None)
    first = state.start_live_check("U1")
    assert first and state.start_live_check("U1") is None
    assert state.start_live_check("U2")
    state.finish_live_check("U1", "someone else's token")  # only the owner lets go
    assert state.start_live_check("U1") is None
    state.finish_live_check("U1", first)
    assert state.start_live_check("U1")


def test_channel_roles_are_read_and_checked():
    env = {"SLACK_BOT_TOKEN": "xoxb-1111-2222-abcd", "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd990011ff85a5"}
    config = load_config({**env, "BADGATEWAY_CHANNEL_ROLES":
                          "C1=arn:aws:iam::111122223333:role/badgateway-check"}, "http")
    assert config.channel_roles == {"C1": "arn:aws:iam::111122223333:role/badgateway-check"}
    from bot.errors import BadGatewayError

    with pytest.raises(BadGatewayError, match="BADGATEWAY_CHANNEL_ROLES"):
        load_config({**env, "BADGATEWAY_CHANNEL_ROLES": "C1=not-a-role"}, "http")


# -- who may run them: the review's three that got through, and a replay ----------------------------


@pytest.mark.parametrize("profile, refused_with", [
    ({"team_id": "TOTHERORG"}, "other organisations"),  # another team, no is_stranger flag
    ({"is_restricted": True}, "guests"),  # a multi-channel guest of this workspace
    ({"is_ultra_restricted": True}, "guests"),  # a single-channel guest
])
def test_strangers_and_guests_are_refused_even_when_allowed_by_id(allowed_bot, aws_env, profile, refused_with):
    allowed_bot.fake.profiles[ALICE] = profile  # ALICE is in BADGATEWAY_ALLOWED_USERS
    # The request names the user's own team: only the installation's team (auth.test) can tell.
    _, path = command(allowed_bot, aws_env.api_id, team=profile.get("team_id", TEAM))
    assert refused_with in ephemeral_answer(allowed_bot, path)
    assert not allowed_bot.fake.calls_to("chat.postMessage")


def test_an_enterprise_install_without_a_team_fails_closed(fake_slack, aws_env):
    """auth.test of an org-wide install: no team_id, so membership cannot be told: refused."""
    from .conftest import BOT_ID, BOT_USER

    org_wide = (200, {}, {"ok": True, "url": "https://org.enterprise.slack.com/", "team": "", "user": "badgateway",
                          "team_id": "", "enterprise_id": "E0001", "user_id": BOT_USER, "bot_id": BOT_ID,
                          "is_enterprise_install": True})
    fake_slack.script("auth.test", org_wide, org_wide)
    bot, server = start_bot(fake_slack, BADGATEWAY_ALLOWED_CHANNELS="*", BADGATEWAY_ALLOWED_USERS="*")
    try:
        _, path = command(bot, aws_env.api_id)
        assert "could not confirm" in ephemeral_answer(bot, path)
        assert not bot.fake.calls_to("chat.postMessage")
    finally:
        server.shutdown()
        server.server_close()


def test_a_failing_users_info_refuses(allowed_bot, aws_env):
    failing = (200, {}, {"ok": False, "error": "ratelimited"})
    allowed_bot.fake.script("users.info", failing, failing)
    _, path = command(allowed_bot, aws_env.api_id)
    assert "could not confirm" in ephemeral_answer(allowed_bot, path)


def test_a_replayed_signed_command_runs_once(allowed_bot, aws_env):
    """The same signed /502 API-ID sent twice (its signature holds for 5 minutes): one check."""
    from .conftest import new_trigger_id

    form = {"token": "legacy", "team_id": TEAM, "team_domain": "test", "channel_id": GENERAL,
            "channel_name": "general", "user_id": ALICE, "user_name": "alice", "command": "/502",
            "text": f"{aws_env.api_id} prod us-east-1", "api_app_id": "A0001",
            "response_url": f"{allowed_bot.fake.url}/response/replay", "trigger_id": new_trigger_id()}
    body = urllib.parse.urlencode(form).encode()
    first = allowed_bot.client.post(body, "application/x-www-form-urlencoded")
    again = allowed_bot.client.post(body, "application/x-www-form-urlencoded")
    assert first.status == again.status == 200
    assert "checking" in first.body and again.body == ""
    allowed_bot.fake.wait_for("chat.postMessage", timeout=WAIT + 30)
    assert allowed_bot.services.activity.wait_for(form["trigger_id"]) == ["duplicate"]
    allowed_bot.services.work.wait_idle(__import__("time").monotonic() + WAIT)
    assert len(allowed_bot.fake.calls_to("chat.postMessage")) == 1
