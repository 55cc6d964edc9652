"""Check 3, function state and configuration."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.live.checks.functions.function_state import handler_problem_for
from tests.live.conftest import ACCOUNT, REGION, Route, World, aws_response, findings_of

CHECK = "function_state"


def configuration_hook(**overrides: Any):  # type: ignore[no-untyped-def]
    """Moto always answers State Active: answer what AWS would for a function in another state."""

    def hook(request: Any, **_: Any) -> Any:
        name = request.url.split("/functions/", 1)[1].split("/", 1)[0].split("%3A")[-1]
        body = {
            "FunctionName": name, "FunctionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
            "Runtime": "python3.12", "Handler": "app.handler", "Timeout": 3, "MemorySize": 128,
            "State": "Active", "LastUpdateStatus": "Successful", "PackageType": "Zip",
            "Environment": {"Variables": {"DB_PASSWORD": "hunter2-never-printed"}},
            **overrides,
        }
        return aws_response(200, body)

    return hook


def test_pending_function_fails(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.hooks.append(("before-send.lambda.GetFunctionConfiguration", configuration_hook(
        State="Pending", StateReason="The function is being created.", StateReasonCode="Creating",
        LastUpdateStatus="InProgress")))
    report = world.check(api, checks=(CHECK,))
    finding = findings_of(report, CHECK, "fail")[0]
    assert finding.entry == "function-not-active"
    assert "Pending" in finding.message and "Creating" in finding.message
    assert "hunter2" not in json.dumps(report.to_json())


def test_kms_failure_names_the_fix(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.hooks.append(("before-send.lambda.GetFunctionConfiguration", configuration_hook(
        State="Failed", StateReasonCode="KMSKeyAccessDenied", StateReason="Lambda was unable to decrypt...")))
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK, "fail")
    assert "kms:Decrypt" in finding.fix


def test_failed_update_fails(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.hooks.append(("before-send.lambda.GetFunctionConfiguration", configuration_hook(
        LastUpdateStatus="Failed", LastUpdateStatusReasonCode="SubnetOutOfIPAddresses",
        LastUpdateStatusReason="No free IP addresses")))
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK, "fail")
    assert finding.entry == "function-not-active" and "SubnetOutOfIPAddresses" in finding.message


@pytest.mark.parametrize("handler", ["app", "app.py", "lambda_function.py"])
def test_impossible_python_handler_fails(world: World, handler: str) -> None:
    fn = world.function("orders", handler=handler)
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "fail" and finding.entry == "handler-not-found"
    assert "--handler" in finding.fix


def test_deprecated_runtime_warns(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.hooks.append(("before-send.lambda.GetFunctionConfiguration", configuration_hook(Runtime="nodejs16.x",
                                                                                          Handler="index.handler")))
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "warn" and "nodejs16.x" in finding.message and finding.entry is None


def test_healthy_function_passes(world: World) -> None:
    fn = world.function("orders", runtime="nodejs20.x", handler="src/index.handler")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "pass", finding.message


@pytest.mark.parametrize(("runtime", "handler", "ok"), [
    ("python3.12", "app.lambda_handler", True),
    ("python3.12", "src/app.lambda_handler", True),
    ("python3.12", "pkg.mod.handler", True),
    ("python3.12", "app", False),
    ("python3.12", "app.py", False),
    ("nodejs20.x", "index.handler", True),
    ("nodejs20.x", "dist/app.main", True),
    ("nodejs20.x", "index", False),
    ("nodejs20.x", "index.js.handler", False),
    ("java21", "com.example.Handler::handleRequest", True),
    ("java21", "com.example.Handler", True),
    ("java21", "Handler.java", True),  # a class named java in package Handler: odd but loadable
    ("ruby3.3", "function.handler", True),
    ("ruby3.3", "function", False),
    ("dotnet8", "MyAssembly::MyNamespace.Function::Handler", True),
    ("provided.al2023", "anything", True),
])
def test_handler_shapes(runtime: str, handler: str, ok: bool) -> None:
    assert (handler_problem_for({"Runtime": runtime, "Handler": handler}) is None) is ok
