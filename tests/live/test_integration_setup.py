"""Check 5, integration setup."""

from __future__ import annotations

from tests.live.conftest import Route, World, findings_of

CHECK = "integration_setup"


def test_proxy_integration_with_get_fails(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn, integration_method="GET")])
    findings = findings_of(world.check(api, checks=(CHECK,)), CHECK, "fail")
    assert len(findings) == 1
    assert "GET" in findings[0].message and "POST" in findings[0].message
    assert "op=replace,path=/httpMethod,value=POST" in findings[0].fix


def test_non_proxy_integration_is_explained(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn, integration_type="AWS")])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "pass" and "non-proxy" in finding.message
    assert "selection pattern" in finding.message


def test_undefined_stage_variable_fails(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn + ":${stageVariables.alias}")],
                         stages={"prod": {"alias": "live"}, "beta": {}})
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK, "fail")
    assert finding.resource == "route GET /orders on beta"
    assert "alias" in finding.message and "update-stage" in finding.fix


def test_healthy_proxy_routes_pass(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn), Route("POST", "/orders", fn), Route("GET", "/ping", None)])
    findings = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert [f.status for f in findings] == ["pass"]
    assert "2 route(s)" in findings[0].message
