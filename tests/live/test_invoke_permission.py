"""Check 1, invoke permission, against moto: failing and healthy variants."""

from __future__ import annotations

from tests.live.conftest import ACCOUNT, REGION, Route, World, findings_of

CHECK = "invoke_permission"


def execute_api(api_id: str, rest: str) -> str:
    return f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api_id}/{rest}"


def test_no_policy_fails_with_the_exact_add_permission_command(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders/{id}", fn)])
    report = world.check(api, checks=(CHECK,))
    [finding] = findings_of(report, CHECK)
    assert finding.status == "fail"
    assert finding.entry == "missing-invoke-permission"
    assert "GET /orders/{id} on prod" in finding.message
    assert "no resource-based policy" in finding.message
    assert (f'aws lambda add-permission --region {REGION} --function-name orders --statement-id '
            f'apigateway-{api}-get-orders --action lambda:InvokeFunction --principal apigateway.amazonaws.com '
            f'--source-arn "{execute_api(api, "*/GET/orders/*")}"') in finding.fix
    assert "AWS::Lambda::Permission" in finding.fix


def test_the_suggested_permission_makes_it_pass(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders/{id}", fn), Route("POST", "/orders", fn)])
    world.allow("orders", execute_api(api, "*/GET/orders/*"), sid="a")
    world.allow("orders", execute_api(api, "*/POST/orders"), sid="b")
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "pass", finding.message
    assert "2 routes" in finding.message


def test_api_wide_wildcard_passes(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("ANY", "/{proxy+}", fn), Route("GET", "/", fn)])
    world.allow("orders", execute_api(api, "*/*/*"))
    assert [f.status for f in findings_of(world.check(api, checks=(CHECK,)), CHECK)] == ["pass"]


def test_literal_path_parameter_fails(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders/{id}", fn)])
    world.allow("orders", execute_api(api, "*/GET/orders/{id}"))
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "fail"
    assert "literally" in finding.message


def test_logical_id_instead_of_api_id_fails(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.allow("orders", execute_api("ServerlessRestApi", "*/GET/orders"))
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "fail"
    assert "logical id" in finding.message and "ServerlessRestApi" in finding.message


def test_other_region_and_other_api_fail(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.allow("orders", f"arn:aws:execute-api:eu-west-1:{ACCOUNT}:{api}/*", sid="region")
    world.allow("orders", execute_api("zzzzzzzzzz", "*"), sid="old")
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "fail"
    assert "region 'eu-west-1'" in finding.message
    assert "not this API" in finding.message


def test_wrong_stage_fails_and_names_it(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)], stages={"prod": {}, "dev": {}})
    world.allow("orders", execute_api(api, "dev/GET/orders"))
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "fail"
    assert "GET /orders on prod" in finding.message and "on dev" not in finding.message
    assert "stage 'dev'" in finding.message


def test_stage_only_permission_warns_about_test_invoke_stage(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.allow("orders", execute_api(api, "prod/GET/orders"))
    findings = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert [f.status for f in findings] == ["pass", "warn"]
    assert "test-invoke-stage" in findings[1].message


def test_alias_needs_its_own_permission(world: World) -> None:
    world.function("orders")
    alias_arn = world.alias("orders", "live")
    api = world.rest_api("shop", [Route("GET", "/orders", alias_arn)])
    world.allow("orders", execute_api(api, "*/GET/orders"))  # on the function, not the alias
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "fail"
    assert finding.resource == "function orders:live"
    assert "--qualifier live" in finding.fix


def test_alias_with_its_permission_passes(world: World) -> None:
    world.function("orders")
    alias_arn = world.alias("orders", "live")
    api = world.rest_api("shop", [Route("GET", "/orders", alias_arn)])
    world.allow("orders", execute_api(api, "*/GET/orders"), qualifier="live")
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "pass", finding.message


def test_stage_variables_resolve_per_stage(world: World) -> None:
    fn = world.function("orders")
    world.alias("orders", "blue")
    world.alias("orders", "green")
    api = world.rest_api(
        "shop", [Route("GET", "/orders", fn + ":${stageVariables.alias}")],
        stages={"prod": {"alias": "blue"}, "beta": {"alias": "green"}},
    )
    world.allow("orders", execute_api(api, "*/GET/orders"), qualifier="blue")
    findings = {f.resource: f for f in findings_of(world.check(api, checks=(CHECK,)), CHECK)}
    assert findings["function orders:blue"].status == "pass"
    assert findings["function orders:green"].status == "fail"
    assert "GET /orders on beta" in findings["function orders:green"].message


def test_http_api_default_route_forms(world: World) -> None:
    fn = world.function("web")
    api = world.http_api("site", [Route("ANY", "$default", fn)])
    world.allow("web", execute_api(api, "*/$default"))
    assert [f.status for f in findings_of(world.check(api, checks=(CHECK,)), CHECK)] == ["pass"]


def test_http_api_route_with_wrong_method_fails(world: World) -> None:
    fn = world.function("web")
    api = world.http_api("site", [Route("POST", "/items/{id}", fn)], stage="prod")
    world.allow("web", execute_api(api, "*/GET/items/*"))
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "fail"
    assert "method 'GET'" in finding.message
    assert execute_api(api, "*/POST/items/*") in finding.fix
