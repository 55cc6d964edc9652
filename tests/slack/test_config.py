"""Settings: a missing or malformed one is a one-line message naming the variable; exit 2."""

from __future__ import annotations

import pytest

from bot.errors import BadGatewayError
from bot.slack.config import DEFAULT_API_URL, load_config

from ..conftest import run_cli
from .conftest import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET

GOOD = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}


def without(name: str) -> dict[str, str]:
    return {k: v for k, v in GOOD.items() if k != name}


def test_defaults():
    config = load_config(GOOD, "socket")
    assert config.api_url == DEFAULT_API_URL and config.api_host == "slack.com"
    assert config.watch_channels == frozenset() and config.app_token == APP_TOKEN
    assert BOT_TOKEN not in repr(config)


@pytest.mark.parametrize("mode, env, variable", [
    ("socket", without("SLACK_BOT_TOKEN"), "SLACK_BOT_TOKEN is not set"),
    ("socket", {**GOOD, "SLACK_BOT_TOKEN": "xoxp-1234-5678-abcdef"}, "SLACK_BOT_TOKEN is malformed"),
    ("socket", {**GOOD, "SLACK_BOT_TOKEN": "  "}, "SLACK_BOT_TOKEN is not set"),
    ("socket", without("SLACK_APP_TOKEN"), "SLACK_APP_TOKEN is not set"),
    ("socket", {**GOOD, "SLACK_APP_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN is malformed"),
    ("http", without("SLACK_SIGNING_SECRET"), "SLACK_SIGNING_SECRET is not set"),
    ("lambda", {**GOOD, "SLACK_SIGNING_SECRET": "not-hex!"}, "SLACK_SIGNING_SECRET is malformed"),
    ("http", {**GOOD, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL is malformed"),
    ("http", {**GOOD, "SLACK_API_URL": "http://slack.example.com/api/"}, "SLACK_API_URL must use https"),
    ("http", {**GOOD, "BADGATEWAY_WATCH_CHANNELS": "C0123,#general"}, "BADGATEWAY_WATCH_CHANNELS is malformed"),
    ("http", {**GOOD, "BADGATEWAY_ALLOWED_USERS": "bob"}, "BADGATEWAY_ALLOWED_USERS is malformed"),
    ("http", {**GOOD, "BADGATEWAY_ALLOWED_CHANNELS": "U0123"}, "BADGATEWAY_ALLOWED_CHANNELS is malformed"),
])
def test_problems_name_the_variable_in_one_line(mode, env, variable):
    with pytest.raises(BadGatewayError) as caught:
        load_config(env, mode)
    message = str(caught.value)
    assert message.startswith(variable) and "\n" not in message
    assert caught.value.exit_code == 2
    for secret in GOOD.values():
        assert secret not in message


def test_modes_need_only_their_own_secrets():
    assert load_config(without("SLACK_SIGNING_SECRET"), "socket").signing_secret is None
    assert load_config(without("SLACK_APP_TOKEN"), "http").app_token is None
    assert load_config(without("SLACK_APP_TOKEN"), "lambda").signing_secret == SIGNING_SECRET


def test_lists_and_urls_are_normalised():
    config = load_config({**GOOD, "SLACK_API_URL": "http://127.0.0.1:9/api", "BADGATEWAY_WATCH_CHANNELS":
                          " C0001AAA, G0002BBB  C0003CCC ", "BADGATEWAY_ALLOWED_USERS": "U01,W02"}, "http")
    assert config.api_url == "http://127.0.0.1:9/api/"
    assert config.watch_channels == {"C0001AAA", "G0002BBB", "C0003CCC"}
    assert config.allowed_users == {"U01", "W02"}


CLEAN = {"SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": "", "SLACK_API_URL": ""}


@pytest.mark.parametrize("args, env, variable", [
    (["serve"], {}, "SLACK_BOT_TOKEN"),
    (["serve"], {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN"),
    (["serve"], {"SLACK_BOT_TOKEN": "nope", "SLACK_APP_TOKEN": APP_TOKEN}, "SLACK_BOT_TOKEN"),
    (["serve", "--http"], {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
    (["serve", "--http", "--port", "3000"], {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "xyz"},
     "SLACK_SIGNING_SECRET"),
    (["serve", "--http"], {**GOOD, "SLACK_API_URL": "ftp://x"}, "SLACK_API_URL"),
    (["serve", "--http"], {**GOOD, "PORT": "http"}, "PORT"),
])
def test_serve_exits_2_with_one_line_naming_the_variable(args, env, variable):
    result = run_cli(*args, env={**CLEAN, **env})
    assert result.returncode == 2, result.stderr
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"badgateway: {variable}")
    assert "Traceback" not in result.stderr.decode()


def test_serve_reports_a_token_slack_refuses(fake_slack):
    from .conftest import bot_env

    env = {**bot_env(fake_slack), "SLACK_BOT_TOKEN": "xoxb-9999-9999-revokedtoken"}
    result = run_cli("serve", "--http", "--port", "1", env=env)
    assert result.returncode == 2
    message = result.stderr.decode().strip()
    assert message.startswith("badgateway: SLACK_BOT_TOKEN was refused") and "invalid_auth" in message
    assert "9999" not in message


def test_serve_port_is_only_for_http():
    result = run_cli("serve", "--port", "3000", env={**CLEAN, **GOOD})
    assert result.returncode == 2 and "--port is for --http" in result.stderr.decode()


def test_state_and_alarm_settings():
    config = load_config({**GOOD, "BADGATEWAY_STATE_TABLE": "badgateway-BadgatewayStateTable-1AB2",
                          "BADGATEWAY_ALARM_CHANNEL": "CALARMS01", "BADGATEWAY_ALARM_WINDOW_MINUTES": "5",
                          "BADGATEWAY_ALARM_LANGUAGE": "it",
                          "BADGATEWAY_ALARM_TARGETS": "f6g7h8i9j0, My Shop API=a1b2c3d4e5,orders=a1b2c3d4e5"}, "http")
    assert config.state_table == "badgateway-BadgatewayStateTable-1AB2"
    assert config.alarm_channel == "CALARMS01" and config.alarm_window == 300 and config.alarm_language == "it"
    assert dict(config.alarm_targets) == {"f6g7h8i9j0": "f6g7h8i9j0", "My Shop API": "a1b2c3d4e5",
                                          "orders": "a1b2c3d4e5"}
    defaults = load_config(GOOD, "http")
    assert defaults.state_table is None and defaults.alarm_channel is None and not defaults.alarm_targets
    assert defaults.alarm_window == 1800 and defaults.alarm_language == "en"


@pytest.mark.parametrize("name, value", [
    ("BADGATEWAY_STATE_TABLE", "a"), ("BADGATEWAY_STATE_TABLE", "no spaces allowed"),
    ("BADGATEWAY_ALARM_CHANNEL", "general"), ("BADGATEWAY_ALARM_CHANNEL", "C1,C2"),
    ("BADGATEWAY_ALARM_TARGETS", "shop"), ("BADGATEWAY_ALARM_TARGETS", "shop=NOT-AN-ID"),
    ("BADGATEWAY_ALARM_TARGETS", "shop=a1b2c3d4e5,shop=f6g7h8i9j0"),
    ("BADGATEWAY_ALARM_WINDOW_MINUTES", "0"), ("BADGATEWAY_ALARM_WINDOW_MINUTES", "1441"),
    ("BADGATEWAY_ALARM_WINDOW_MINUTES", "ten"), ("BADGATEWAY_ALARM_LANGUAGE", "fr"),
])
def test_malformed_state_and_alarm_settings_name_the_variable(name, value):
    with pytest.raises(BadGatewayError) as raised:
        load_config({**GOOD, name: value}, "http")
    message = str(raised.value)
    assert message.startswith(f"{name} is malformed") and "\n" not in message
