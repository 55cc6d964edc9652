"""The client factory (profiles, assumed roles) and the inventory (REST and HTTP APIs)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bot.errors import BadGatewayError
from bot.live.aws import AwsClients, AwsSettings
from bot.live.inventory import load_inventory
from tests.live.conftest import (
    ACCOUNT,
    REGION,
    Route,
    World,
    edited,
    findings_of,
    sts_access_denied,
)


def test_role_arn_is_assumed(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    operations: list[str] = []
    world.hooks.append(("before-call.sts", lambda model, **_: operations.append(model.name)))
    report = world.check(api, role_arn=f"arn:aws:iam::{ACCOUNT}:role/badgateway-read-only", checks=("logging",))
    assert operations[0] == "AssumeRole"
    assert findings_of(report, "logging")


def test_role_that_cannot_be_assumed_is_one_line(world: World) -> None:
    world.hooks.append(("before-send.sts.AssumeRole", sts_access_denied))
    with pytest.raises(BadGatewayError, match="cannot assume role arn:aws:iam::123456789012:role/nope"):
        world.check("abcdef1234", role_arn=f"arn:aws:iam::{ACCOUNT}:role/nope")


def test_client_config_retries_and_timeouts() -> None:
    aws = AwsClients(AwsSettings(region=REGION))
    config = aws.client("lambda").meta.config
    assert config.retries["mode"] == "adaptive"
    assert config.connect_timeout <= 5 and config.read_timeout <= 15


def test_inventory_falls_back_when_methods_are_not_embedded(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn), Route("POST", "/orders", fn)])

    def without_integrations(body: dict[str, Any]) -> dict[str, Any]:
        for item in body.get("item", []):  # the wire name of `items`
            for method in (item.get("resourceMethods") or {}).values():
                method.pop("methodIntegration", None)
        return body

    world.hooks.append(("before-send.apigateway.GetResources", edited(without_integrations)))
    seen: list[str] = []
    world.hooks.append(("before-call.apigateway.GetIntegration", lambda model, **_: seen.append(model.name)))
    aws = AwsClients(AwsSettings(region=REGION, hooks=tuple(world.hooks)))
    inventory = load_inventory(aws, api)
    assert len(seen) == 2
    assert [r.key for r in inventory.lambda_routes()] == ["GET /orders", "POST /orders"]
    assert inventory.targets()[0].name == "orders"


def test_http_api_inventory(world: World) -> None:
    fn = world.function("web")
    api = world.http_api("site", [Route("ANY", "/{proxy+}", fn), Route("ANY", "$default", fn)], stage="prod")
    inventory = load_inventory(AwsClients(AwsSettings(region=REGION)), api)
    assert inventory.protocol == "HTTP" and inventory.stage_names == ("prod",)
    assert sorted(r.key for r in inventory.routes) == ["$default", "ANY /{proxy+}"]
    assert inventory.routes[0].integration.payload_format == "2.0"  # type: ignore[union-attr]
    assert len(inventory.targets()) == 1


def test_progress_goes_to_a_terminal_only(world: World, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    main(["check", api, "--checks", "logging"])
    assert f"checking {api}" in terminal.getvalue() and "logging: warn" in terminal.getvalue()
    terminal.seek(0)
    terminal.truncate()
    main(["check", api, "--checks", "logging", "--format", "json"])
    assert terminal.getvalue() == ""
    capsys.readouterr()
