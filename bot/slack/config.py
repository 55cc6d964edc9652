"""The bot's settings, read from environment variables and checked before anything starts.

Every problem is a `BadGatewayError` whose one-line message names the variable (never its value:
tokens are secrets), so `badgateway serve` exits 2 with something a person can act on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from bot.errors import BadGatewayError

Mode = Literal["socket", "http", "lambda"]

DEFAULT_API_URL = "https://slack.com/api/"

_BOT_TOKEN = re.compile(r"xoxb-[A-Za-z0-9-]{8,}")
_APP_TOKEN = re.compile(r"xapp-[A-Za-z0-9-]{8,}")
_SIGNING_SECRET = re.compile(r"[0-9a-fA-F]{16,128}")  # Slack issues 32 hex characters
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]+")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_ROLE_ARN = re.compile(r"arn:aws(?:-cn|-us-gov|-iso[a-z]?)?:iam::(\d{12}):role/[\w+=,.@/-]{1,512}")
_EXTERNAL_ID = re.compile(r"[\w+=,.@:/-]{2,1224}")  # what sts:AssumeRole accepts
_TABLE = re.compile(r"[A-Za-z0-9_.-]{3,255}")  # a DynamoDB table name
_API_ID = re.compile(r"[a-z0-9]{10}")
_ALARM_NAME = re.compile(r"[^,=]{1,256}")  # a REST API's or a function's name, as the alarm names it
DEFAULT_ALARM_WINDOW = 1800.0  # seconds: at most one investigation per alarm in this time


class ConfigError(BadGatewayError):
    """A missing or malformed setting; the message names the variable."""


@dataclass(frozen=True)
class SlackConfig:
    bot_token: str
    app_token: str | None  # Socket Mode only
    signing_secret: str | None  # HTTP and Lambda only
    api_url: str  # the Web API base URL, ending in '/'
    watch_channels: frozenset[str]  # channels opted in to unprompted answers
    allowed_channels: frozenset[str]  # where /502 API-ID may run the live checks ("*": anywhere)
    allowed_users: frozenset[str]  # who may run them ("*": anyone)
    mode: Mode = "http"
    # Live checks in other accounts: channel id -> the role to assume for it (deploy/cross-account-role.yaml)
    channel_roles: Mapping[str, str] = field(default_factory=dict, hash=False)
    external_id: str | None = None  # the sts:ExternalId those roles require
    state_table: str | None = None  # the DynamoDB table every process shares (bot.slack.state); None: memory
    # Alarms (Lambda): where investigations are posted, and what an alarm may investigate: the API id
    # for an API id, a REST API name or a function name as the alarm's dimensions give them.
    alarm_channel: str | None = None
    alarm_targets: Mapping[str, str] = field(default_factory=dict, hash=False)
    alarm_window: float = DEFAULT_ALARM_WINDOW
    alarm_language: str = "en"

    @property
    def api_host(self) -> str:
        return urlsplit(self.api_url).hostname or ""

    @property
    def api_scheme(self) -> str:
        return urlsplit(self.api_url).scheme

    def __repr__(self) -> str:  # keep secrets out of logs and tracebacks
        return f"SlackConfig(mode={self.mode!r}, api_url={self.api_url!r}, watch={sorted(self.watch_channels)})"


def load_config(env: Mapping[str, str], mode: Mode) -> SlackConfig:
    """Read and check the settings `mode` needs from `env` (usually os.environ)."""
    bot_token = _required(env, "SLACK_BOT_TOKEN", _BOT_TOKEN,
                          "the Bot User OAuth Token (xoxb-...) from OAuth & Permissions",
                          "expected xoxb- followed by letters, digits and dashes")
    app_token = None
    if mode == "socket":
        app_token = _required(env, "SLACK_APP_TOKEN", _APP_TOKEN,
                              "an app-level token (xapp-...) with connections:write, from Basic Information",
                              "expected xapp- followed by letters, digits and dashes")
    signing_secret = None
    if mode in ("http", "lambda"):
        signing_secret = _required(env, "SLACK_SIGNING_SECRET", _SIGNING_SECRET,
                                   "the Signing Secret from Basic Information -> App Credentials",
                                   "a signing secret is a string of hexadecimal digits")
    return SlackConfig(
        bot_token=bot_token,
        app_token=app_token,
        signing_secret=signing_secret,
        api_url=_api_url(env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL),
        watch_channels=_ids(env, "BADGATEWAY_WATCH_CHANNELS", _CHANNEL_ID, "channel IDs like C0123456789"),
        allowed_channels=_ids(env, "BADGATEWAY_ALLOWED_CHANNELS", _CHANNEL_ID, "channel IDs like C0123456789",
                              anyone=True),
        allowed_users=_ids(env, "BADGATEWAY_ALLOWED_USERS", _USER_ID, "user IDs like U0123456789", anyone=True),
        mode=mode,
        channel_roles=_channel_roles(env, "BADGATEWAY_CHANNEL_ROLES"),
        external_id=_external_id(env, "BADGATEWAY_EXTERNAL_ID"),
        state_table=_table(env, "BADGATEWAY_STATE_TABLE"),
        alarm_channel=_alarm_channel(env, "BADGATEWAY_ALARM_CHANNEL"),
        alarm_targets=_alarm_targets(env, "BADGATEWAY_ALARM_TARGETS"),
        alarm_window=_minutes(env, "BADGATEWAY_ALARM_WINDOW_MINUTES", DEFAULT_ALARM_WINDOW),
        alarm_language=_language(env, "BADGATEWAY_ALARM_LANGUAGE"),
    )


def _required(env: Mapping[str, str], name: str, shape: re.Pattern[str], where: str, expected: str) -> str:
    value = (env.get(name) or "").strip()
    if not value:
        raise ConfigError(f"{name} is not set: use {where} (or name an SSM parameter holding it in "
                          f"{name}_PARAMETER, or a Secrets Manager secret in SLACK_SECRET_ARN)")
    if not shape.fullmatch(value):
        raise ConfigError(f"{name} is malformed: {expected} (use {where})")
    return value


def _api_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError("SLACK_API_URL is malformed: expected a URL like https://slack.com/api/")
    # The bot token travels with every call: plain http only to this machine.
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise ConfigError("SLACK_API_URL must use https (plain http is accepted only for localhost)")
    return value if value.endswith("/") else value + "/"


def _ids(env: Mapping[str, str], name: str, shape: re.Pattern[str], expected: str, *,
         anyone: bool = False) -> frozenset[str]:
    raw = env.get(name, "")
    ids = [item for item in re.split(r"[\s,]+", raw.strip()) if item]
    bad = [item for item in ids if not shape.fullmatch(item) and not (anyone and item == "*")]
    if bad:
        also = " (or * for all)" if anyone else ""
        raise ConfigError(f"{name} is malformed: '{bad[0]}' is not one of the {expected}{also}, comma-separated")
    return frozenset(ids)


def _channel_roles(env: Mapping[str, str], name: str) -> dict[str, str]:
    """CHANNEL_ID=ROLE_ARN pairs, comma-separated: the role to assume for that channel's checks."""
    roles: dict[str, str] = {}
    for item in (i for i in re.split(r"[\s,]+", env.get(name, "").strip()) if i):
        channel, _, role = item.partition("=")
        if not _CHANNEL_ID.fullmatch(channel) or not _ROLE_ARN.fullmatch(role):
            raise ConfigError(f"{name} is malformed: '{item[:100]}' is not CHANNEL_ID=ROLE_ARN, like "
                              "C0123456789=arn:aws:iam::123456789012:role/badgateway-check, comma-separated")
        if channel in roles:
            raise ConfigError(f"{name} is malformed: two roles for channel {channel}")
        roles[channel] = role
    return roles


def _external_id(env: Mapping[str, str], name: str) -> str | None:
    value = (env.get(name) or "").strip()
    if value and not _EXTERNAL_ID.fullmatch(value):
        raise ConfigError(f"{name} is malformed: 2 to 1224 letters, digits and +=,.@:/-")
    return value or None


def _table(env: Mapping[str, str], name: str) -> str | None:
    value = (env.get(name) or "").strip()
    if value and not _TABLE.fullmatch(value):
        raise ConfigError(f"{name} is malformed: a DynamoDB table name, 3 to 255 letters, digits and _.-")
    return value or None


def _alarm_channel(env: Mapping[str, str], name: str) -> str | None:
    value = (env.get(name) or "").strip()
    if value and not _CHANNEL_ID.fullmatch(value):
        raise ConfigError(f"{name} is malformed: one channel ID like C0123456789")
    return value or None


def _alarm_targets(env: Mapping[str, str], name: str) -> dict[str, str]:
    """API_ID items, and NAME=API_ID pairs (a REST API's name, or a function's), comma-separated."""
    targets: dict[str, str] = {}
    for item in (i.strip() for i in env.get(name, "").split(",")):
        if not item:
            continue
        label, equals, api_id = (part.strip() for part in item.rpartition("="))
        if not equals:
            label, api_id = item, item
        if not _API_ID.fullmatch(api_id) or not _ALARM_NAME.fullmatch(label):
            raise ConfigError(f"{name} is malformed: '{item[:100]}' is neither an API id (a1b2c3d4e5) nor "
                              "NAME=API_ID (the REST API's or the function's name, then the API's id), comma-separated")
        if targets.get(label, api_id) != api_id:
            raise ConfigError(f"{name} is malformed: two APIs for '{label[:100]}'")
        targets[label] = api_id
    return targets


def _minutes(env: Mapping[str, str], name: str, default: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 1440:
        raise ConfigError(f"{name} is malformed: whole minutes from 1 to 1440")
    return int(raw) * 60.0


def _language(env: Mapping[str, str], name: str) -> str:
    value = (env.get(name) or "en").strip().lower()
    if value not in ("en", "it"):
        raise ConfigError(f"{name} is malformed: en or it")
    return value
