"""Check 6, logging."""

from __future__ import annotations

from tests.live.conftest import ACCOUNT, REGION, Route, World, findings_of

CHECK = "logging"


def test_rest_execution_logging_off_warns(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "warn"
    assert f"--rest-api-id {api} --stage-name prod" in finding.fix
    assert "update-account" in finding.fix  # no CloudWatch role in the account yet


def test_rest_execution_logging_on_with_role_passes(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)], logging_level="ERROR")
    world.client("apigateway").update_account(patchOperations=[
        {"op": "replace", "path": "/cloudwatchRoleArn", "value": f"arn:aws:iam::{ACCOUNT}:role/apigw-logs"}])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "pass", finding.message


def test_rest_logging_on_without_role_warns(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)], logging_level="INFO")
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "warn" and "no CloudWatch Logs role" in finding.message


def test_http_access_logging_off_warns(world: World) -> None:
    fn = world.function("web")
    api = world.http_api("site", [Route("GET", "/", fn)])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "warn" and "access logging is off" in finding.message
    assert "integrationErrorMessage" in finding.fix


def test_http_access_log_with_the_integration_error_passes(world: World) -> None:
    fn = world.function("web")
    destination = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/apigateway/site"
    api = world.http_api("site", [Route("GET", "/", fn)],
                         access_log=(destination, '{"e":"$context.integrationErrorMessage"}'))
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "pass", finding.message


def test_http_access_log_without_the_integration_error_warns(world: World) -> None:
    fn = world.function("web")
    destination = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/apigateway/site"
    api = world.http_api("site", [Route("GET", "/", fn)], access_log=(destination, '{"s":"$context.status"}'))
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "warn" and "integrationErrorMessage" in finding.message
