"""End-to-end harness for the Slack bot, all on 127.0.0.1.

- `FakeSlack`: a stand-in Slack Web API (and file host, and response_url endpoint) that records
  every call and answers like Slack; tests script failures (429, invalid_blocks) per method.
- `bot`: the real Bolt app from `bot.slack.app.build_app`, served by `bot.slack.hosting.http_server`
  on a free port, with SLACK_API_URL pointing at the stand-in; `BotClient` sends it requests
  signed exactly as Slack signs them (v0 HMAC-SHA256 over "v0:timestamp:body").
- An autouse guard makes any connection beyond loopback fail the test.
"""

from __future__ import annotations

import itertools
import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "8f742231b10e8888abcd990011ff85a5"
BOT_TOKEN = "xoxb-1111-2222-testbottoken"
APP_TOKEN = "xapp-1-A0001-3333-testapptoken"
BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM = "T0001"
APP_ID = "A0001"
WATCHED = "CWATCH01"
GENERAL = "CGENERAL"
DM = "DALICE01"
ALICE = "UALICE01"  # locale en-US
MARIO = "UMARIO01"  # locale it-IT
NOLOCALE = "UNOLOC01"  # users.info has no locale for them

WAIT = 10.0  # the most any test waits for something the bot does; most take milliseconds


# -- network guard ---------------------------------------------------------------------------


def _loopback(address: Any) -> bool:
    if isinstance(address, (str, bytes)):  # unix sockets
        return True
    host = str(address[0])
    return host.startswith("127.") or host in ("localhost", "::1")


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Nothing in these tests may reach beyond 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self, address):
        if not _loopback(address):
            raise AssertionError(f"test tried to connect beyond loopback: {address}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if not _loopback(address):
            raise AssertionError(f"test tried to connect beyond loopback: {address}")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


# -- the stand-in Slack ----------------------------------------------------------------------


@dataclass
class Call:
    name: str  # Web API method ("chat.postMessage"), or "download" / "response_url"
    params: dict[str, Any]
    headers: dict[str, str]
    path: str
    at: float = field(default_factory=time.monotonic)


Reply = tuple[int, dict[str, str], Any]  # status, headers, JSON body (or bytes)


class FakeSlack:
    """A stand-in for slack.com/api, files.slack.com and hooks.slack.com, on loopback."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self.locales: dict[str, str | None] = {ALICE: "en-US", MARIO: "it-IT", NOLOCALE: None}
        self.profiles: dict[str, dict[str, Any]] = {}  # users.info fields by user (guests, other teams)
        self.delays: dict[str, float] = {}  # seconds each call to a method takes (a slow Slack)
        self.files: dict[str, dict[str, Any]] = {}
        self.contents: dict[str, tuple[bytes, str]] = {}
        self.scripted: dict[str, list[Reply | Callable[[Call], Reply]]] = {}
        self.websocket_url = ""
        self.outside: set[str] = set()  # conversations the bot is not in: chat.postMessage says not_in_channel
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) -> message, for conversations.replies
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                fake._handle(self, b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                fake._handle(self, self.rfile.read(length))

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- scripting and waiting --

    def script(self, method: str, *replies: Reply | Callable[[Call], Reply]) -> None:
        """The next calls to `method` get these replies, in order; then the default behaviour."""
        self.scripted.setdefault(method, []).extend(replies)

    def calls_to(self, name: str) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if call.name == name]

    def wait_for(self, name: str, count: int = 1, timeout: float = WAIT,
                 where: Callable[[Call], bool] | None = None) -> list[Call]:
        """The calls to `name` (matching `where`) once there are `count`; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.name == name and (where is None or where(c))]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    names = [c.name for c in self.calls]
                    raise AssertionError(f"expected {count} call(s) to {name}, got {len(found)}; calls: {names}")
                self._changed.wait(left)

    # -- serving --

    def _handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        parts = urllib.parse.urlsplit(handler.path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        params: dict[str, Any] = dict(urllib.parse.parse_qsl(parts.query))
        if raw:
            if headers.get("content-type", "").startswith("application/json"):
                params.update(json.loads(raw))
            else:
                params.update(urllib.parse.parse_qsl(raw.decode()))
        if parts.path.startswith("/api/"):
            name = parts.path[len("/api/"):]
        elif parts.path.startswith("/files-pri/"):
            name = "download"
        elif parts.path.startswith("/response/"):
            name = "response_url"
        else:
            name = parts.path
        call = Call(name=name, params=params, headers=headers, path=parts.path)
        if self.delays.get(name):
            time.sleep(self.delays[name])
        with self._changed:
            self.calls.append(call)
            queue = self.scripted.get(name)
            scripted = queue.pop(0) if queue else None
            self._changed.notify_all()
        if callable(scripted):
            scripted = scripted(call)
        status, out_headers, body = scripted if scripted is not None else self._default(call)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        handler.send_response(status)
        if not any(k.lower() == "content-type" for k in out_headers):
            handler.send_header("Content-Type", "application/json; charset=utf-8")
        for key, value in out_headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _default(self, call: Call) -> Reply:
        p = call.params
        authorised = call.headers.get("authorization") == f"Bearer {BOT_TOKEN}"
        if call.name == "download":
            if not authorised:  # what Slack does without a valid token: its sign-in page
                return 200, {"Content-Type": "text/html"}, b"<html>sign in</html>"
            file_id = call.path.split("/")[2].split("-")[-1]
            data, content_type = self.contents[file_id]
            return 200, {"Content-Type": content_type}, data
        if call.name == "response_url":
            return 200, {"Content-Type": "text/plain"}, b"ok"
        if call.name == "apps.connections.open":
            if call.headers.get("authorization") != f"Bearer {APP_TOKEN}":
                return 200, {}, {"ok": False, "error": "invalid_auth"}
            return 200, {}, {"ok": True, "url": self.websocket_url}
        if not authorised:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        if call.name == "auth.test":
            return 200, {}, {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "badgateway",
                             "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID,
                             "is_enterprise_install": False}
        if call.name == "chat.postMessage" and p.get("channel") in self.outside:
            return 200, {}, {"ok": False, "error": "not_in_channel"}
        if call.name == "views.publish":
            view = p.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return 200, {}, {"ok": True, "view": {"id": "V0001", "type": view.get("type"), "blocks": view.get("blocks")}}
        if call.name == "conversations.replies":
            message = self.messages.get((p.get("channel"), p.get("ts")))
            if message is None:
                return 200, {}, {"ok": False, "error": "thread_not_found"}
            return 200, {}, {"ok": True, "messages": [message], "has_more": False}
        if call.name in ("chat.postMessage", "chat.update"):
            ts = p.get("ts") or f"1700000000.{next(self._ts):06d}"
            return 200, {}, {"ok": True, "channel": p.get("channel"), "ts": ts,
                             "message": {"text": p.get("text"), "ts": ts}}
        if call.name == "users.info":
            user = p.get("user")
            if user not in self.locales:
                return 200, {}, {"ok": False, "error": "user_not_found"}
            info = {"id": user, "name": user.lower(), "team_id": TEAM, **self.profiles.get(user, {})}
            if self.locales[user]:
                info["locale"] = self.locales[user]
            return 200, {}, {"ok": True, "user": info}
        if call.name == "files.info":
            file = self.files.get(p.get("file"))
            if file is None:
                return 200, {}, {"ok": False, "error": "file_not_found"}
            return 200, {}, {"ok": True, "file": file}
        return 200, {}, {"ok": False, "error": "unknown_method"}

    def add_file(self, file_id: str, name: str, data: bytes, *, mimetype: str = "text/plain",
                 size: int | None = None, content_type: str | None = None, url: str | None = None) -> dict:
        """A file as files.info describes it, downloadable from url_private on this server."""
        self.files[file_id] = {
            "id": file_id, "name": name, "title": name, "mimetype": mimetype,
            "filetype": name.rsplit(".", 1)[-1], "size": len(data) if size is None else size,
            "url_private": url or f"{self.url}/files-pri/{TEAM}-{file_id}/{name}",
        }
        self.contents[file_id] = (data, content_type or mimetype)
        return self.files[file_id]


# -- requests signed like Slack's ------------------------------------------------------------


_ids = itertools.count(1)


def new_ts() -> str:
    return f"{int(time.time())}.{next(_ids):06d}"


def new_event_id() -> str:
    return f"Ev{next(_ids):010d}"


def new_trigger_id() -> str:
    """Slack gives every slash command and click a trigger_id of its own."""
    return f"{next(_ids)}.1111.{next(_ids):032x}"


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    return SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body.decode())


@dataclass
class Response:
    status: int
    body: str
    headers: dict[str, str]


class BotClient:
    """Sends events, slash commands and button clicks to the bot the way Slack does."""

    def __init__(self, url: str, fake: FakeSlack) -> None:
        self.url = url
        self.fake = fake
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def post(self, body: bytes, content_type: str, *, timestamp: int | None = None,
             signature: str | None = None, headers: dict[str, str] | None = None,
             path: str = "/slack/events") -> Response:
        timestamp = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature if signature is not None else sign(body, timestamp),
            **(headers or {}),
        }
        return self.request("POST", path, body, all_headers)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        request = urllib.request.Request(self.url + path, data=body, headers=headers or {}, method=method)
        try:
            with self._opener.open(request, timeout=WAIT) as response:
                return Response(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.read().decode(), dict(exc.headers))

    # -- events --

    def event(self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None,
              **options: Any) -> tuple[str, Response]:
        event_id = event_id or new_event_id()
        body = event_body(event, event_id)
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return event_id, self.post(json.dumps(body).encode(), "application/json", headers=headers, **options)

    def dm(self, text: str, *, user: str = ALICE, **fields: Any) -> tuple[str, dict[str, Any]]:
        event = message_event(text, channel=DM, channel_type="im", user=user, **fields)
        event_id, response = self.event(event)
        assert response.status == 200, response
        return event_id, event

    def mention(self, text: str, *, user: str = ALICE, channel: str = GENERAL, **fields: Any):
        event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": new_ts(),
                 "channel": channel, "team": TEAM, **fields}
        event["event_ts"] = event["ts"]
        event_id, response = self.event(event)
        assert response.status == 200, response
        return event_id, event

    # -- slash command and buttons --

    def command(self, text: str, *, user: str = ALICE, team: str = TEAM) -> tuple[Response, str]:
        response_url = f"{self.fake.url}/response/{next(_ids)}"
        form = {
            "token": "legacy", "team_id": team, "team_domain": "test", "channel_id": GENERAL,
            "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": "/502",
            "text": text, "api_app_id": APP_ID, "response_url": response_url,
            "trigger_id": new_trigger_id(), "is_enterprise_install": "false",
        }
        body = urllib.parse.urlencode(form).encode()
        return self.post(body, "application/x-www-form-urlencoded"), response_url

    def shortcut(self, message: dict[str, Any], *, channel: str = GENERAL, user: str = ALICE,
                 trigger_id: str | None = None) -> tuple[Response, str, str]:
        """The message shortcut "Diagnose this 502" used on `message` (a message_action payload)."""
        from bot.slack.manifest import SHORTCUT_CALLBACK

        response_url = f"{self.fake.url}/response/{next(_ids)}"
        trigger_id = trigger_id or new_trigger_id()
        payload = {
            "type": "message_action", "token": "legacy", "action_ts": "1.2", "callback_id": SHORTCUT_CALLBACK,
            "trigger_id": trigger_id, "response_url": response_url, "message_ts": message["ts"],
            "team": {"id": TEAM, "domain": "test"}, "user": {"id": user, "username": user.lower(), "team_id": TEAM},
            "channel": {"id": channel, "name": "general"}, "is_enterprise_install": False, "enterprise": None,
            "message": message,
        }
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded"), response_url, trigger_id

    def home_opened(self, *, user: str = ALICE, tab: str = "home") -> str:
        event = {"type": "app_home_opened", "user": user, "channel": "DHOME0001", "tab": tab,
                 "event_ts": new_ts()}
        event_id, response = self.event(event)
        assert response.status == 200, response
        return event_id

    def click_in_home(self, button: dict[str, Any], *, user: str = ALICE) -> Response:
        payload = {
            "type": "block_actions", "user": {"id": user, "team_id": TEAM}, "api_app_id": APP_ID,
            "token": "legacy", "trigger_id": new_trigger_id(), "team": {"id": TEAM, "domain": "test"},
            "container": {"type": "view", "view_id": "V0001"}, "view": {"id": "V0001", "type": "home"},
            "actions": [{"type": "button", "action_id": button["action_id"], "block_id": "b",
                         "value": button["value"], "text": button["text"], "action_ts": "1.2"}],
        }
        return self.post(urllib.parse.urlencode({"payload": json.dumps(payload)}).encode(),
                         "application/x-www-form-urlencoded")

    def click(self, button: dict[str, Any], *, channel: str, message_ts: str, user: str = ALICE,
              thread_ts: str | None = None):
        response_url = f"{self.fake.url}/response/{next(_ids)}"
        payload = {
            "type": "block_actions", "user": {"id": user, "team_id": TEAM}, "api_app_id": APP_ID,
            "token": "legacy", "trigger_id": new_trigger_id(), "team": {"id": TEAM, "domain": "test"},
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel,
                          "is_ephemeral": False},
            "channel": {"id": channel},
            "message": {"ts": message_ts, "type": "message", **({"thread_ts": thread_ts} if thread_ts else {})},
            "response_url": response_url,
            "actions": [{"type": "button", "action_id": button["action_id"], "block_id": "badgateway_actions",
                         "value": button["value"], "text": button["text"], "action_ts": "1.2"}],
        }
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded"), response_url


def event_body(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    return {
        "token": "legacy", "team_id": TEAM, "api_app_id": APP_ID, "event": event,
        "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "enterprise_id": None}],
        "is_ext_shared_channel": False, "event_context": f"ctx-{event_id}",
    }


def message_event(text: str, *, channel: str, channel_type: str, user: str | None = ALICE,
                  **fields: Any) -> dict[str, Any]:
    event = {"type": "message", "channel": channel, "channel_type": channel_type, "text": text,
             "ts": new_ts(), "team": TEAM, **fields}
    if user is not None:
        event["user"] = user
    event["event_ts"] = event["ts"]
    return event


# -- fixtures --------------------------------------------------------------------------------


def bot_env(fake: FakeSlack, **extra: str) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": fake.api_url,
            "BADGATEWAY_WATCH_CHANNELS": WATCHED, **extra}


@dataclass
class Bot:
    client: BotClient
    fake: FakeSlack
    services: Any
    app: Any
    server: Any = None

    def outcome(self, event_id: str, count: int = 1) -> list[str]:
        found = self.services.activity.wait_for(event_id, count=count, timeout=WAIT)
        assert len(found) >= count, f"no outcome for {event_id} within {WAIT}s"
        return found

    def replies(self, **where: Any) -> list[Call]:
        return [c for c in self.fake.calls_to("chat.postMessage")
                if all(c.params.get(k) == v for k, v in where.items())]


@pytest.fixture
def fake_slack():
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def bot(fake_slack):
    from bot.slack.app import build_app
    from bot.slack.config import load_config
    from bot.slack.hosting.http_server import make_server
    from bot.slack.services import Services

    config = load_config(bot_env(fake_slack), "http")
    services = Services(config)
    app = build_app(config, services=services)
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield Bot(BotClient(server.url, fake_slack), fake_slack, services, app, server)
    server.shutdown()
    server.server_close()


@pytest.fixture
def logging_restored():
    """The root logger as it was: the Lambda entry and `serve` configure logging for the whole process."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    formatters = [h.formatter for h in handlers]
    level = root.level
    libraries = {name: logging.getLogger(name).level for name in
                 ("slack_bolt", "slack_sdk", "botocore", "boto3", "urllib3", "s3transfer")}
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    for handler, formatter in zip(handlers, formatters, strict=True):
        handler.setFormatter(formatter)
    root.setLevel(level)
    for name, value in libraries.items():
        logging.getLogger(name).setLevel(value)


# -- texts -------------------------------------------------------------------------------------

TIMEOUT_LOG = (
    "START RequestId: 5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9 Version: $LATEST\n"
    "2024-04-09T17:40:03.118Z 5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9 Task timed out after 3.00 seconds\n"
    "END RequestId: 5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9\n"
)
MALFORMED_LOG = (
    "Thu Mar 14 09:20:05 UTC 2024 : (0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d) Execution failed due to "
    "configuration error: Malformed Lambda proxy response\n"
    "Thu Mar 14 09:20:05 UTC 2024 : (0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d) Method completed with status: 502\n"
)


@pytest.fixture(scope="session")
def knowledge():
    from bot.core.kb.knowledge import load_knowledge

    return load_knowledge()


# -- DynamoDB on loopback (the shared state) ---------------------------------------------------


@pytest.fixture(scope="session")
def moto_dynamodb():
    """moto's server on 127.0.0.1: the real DynamoDB API, for the shared state's tests."""
    server_module = pytest.importorskip("moto.server", reason="moto[server,dynamodb] is in the dev extra")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class StateTable:
    name: str
    env: dict[str, str]  # what a process needs to reach it: endpoint, region, dummy credentials

    def client(self) -> Any:
        import boto3

        return boto3.client("dynamodb", endpoint_url=self.env["AWS_ENDPOINT_URL_DYNAMODB"],
                            region_name=self.env["AWS_REGION"], aws_access_key_id="testing",
                            aws_secret_access_key="testing")


_tables = itertools.count(1)


@pytest.fixture
def state_table(moto_dynamodb, monkeypatch, tmp_path) -> StateTable:
    """A fresh table shaped as deploy/template.yaml makes it (pk/sk, on demand, TTL on `expires`),
    and this process's environment pointed at it."""
    env = {"AWS_ENDPOINT_URL_DYNAMODB": moto_dynamodb, "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1",
           "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": str(tmp_path / "none"),
           "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    table = StateTable(f"badgateway-state-{next(_tables)}-{int(time.time() * 1000)}", env)
    client = table.client()
    client.create_table(
        TableName=table.name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
    client.update_time_to_live(TableName=table.name,
                               TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    return table


# -- a broken API on loopback (live checks, alarms) ---------------------------------------------


@pytest.fixture(scope="session")
def broken_api():
    """badgateway demo's broken REST API, seeded once in a moto server of its own (moto's backends
    are per process: a second seed would find the first one's resources)."""
    from bot.live.demo import seed, start_server

    server, url = start_server()
    world = seed(url)
    yield world
    server.stop()


@pytest.fixture
def aws_env(broken_api, monkeypatch):
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", broken_api.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return broken_api
