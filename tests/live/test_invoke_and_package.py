"""Opt-in checks 9 (--invoke: test invoke + response validator) and 10 (--inspect-package)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from bot.live.checks.functions.package import (
    PackageTooLarge,
    download,
    node_exports,
    python_defines,
)
from tests.live.conftest import ACCOUNT, REGION, Route, World, aws_response, findings_of, zip_of

TS = "Mon Apr 01 10:00:00 UTC 2024"


def invoke_log(body: str, status: int) -> str:
    """What a REST test invoke returns in `log` (the execution log of the one request)."""
    return "\n".join([
        "Execution log for request 0b4c",
        f"{TS} : Starting execution for request: 0b4c",
        f"{TS} : Endpoint request URI: https://lambda.{REGION}.amazonaws.com/2015-03-31/functions/x/invocations",
        f"{TS} : Endpoint response body before transformations: {body}",
        *([f"{TS} : Execution failed due to configuration error: Malformed Lambda proxy response"] if status == 502 else []),
        f"{TS} : Method completed with status: {status}",
    ])


def fake_test_invoke(status: int, body: str, seen: list[dict[str, Any]] | None = None):  # type: ignore[no-untyped-def]
    def hook(request: Any, **_: Any) -> Any:
        if seen is not None:
            import json

            seen.append({"url": request.url, "body": json.loads(request.body or b"{}")})
        return aws_response(200, {"status": status, "body": '{"message": "Internal server error"}' if status >= 500 else "{}",
                                  "headers": {}, "log": invoke_log(body, status), "latency": 42})
    return hook


def test_invoke_finds_a_malformed_response(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders/{id}", fn)], stages={"prod": {"color": "blue"}})
    seen: list[dict[str, Any]] = []
    world.hooks.append(("before-send.apigateway.TestInvokeMethod",
                        fake_test_invoke(502, '{"statusCode": 200, "body": {"ok": true}}', seen)))
    report = world.check(api, invoke=True, checks=("invoke",))
    [finding] = findings_of(report, "invoke")
    assert finding.status == "fail" and finding.entry == "malformed-proxy-response"
    assert "body" in finding.message
    assert seen and "{" not in seen[0]["body"]["pathWithQueryString"]
    assert seen[0]["body"]["stageVariables"] == {"color": "blue"}


def test_invoke_permission_failure_is_recognised(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("POST", "/orders", fn)])

    def hook(request: Any, **_: Any) -> Any:
        log = (f"{TS} : Execution failed due to configuration error: Invalid permissions on Lambda function\n"
               f"{TS} : Method completed with status: 500")
        return aws_response(200, {"status": 500, "body": '{"message": "Internal server error"}', "log": log})

    world.hooks.append(("before-send.apigateway.TestInvokeMethod", hook))
    [finding] = findings_of(world.check(api, invoke=True, checks=("invoke",)), "invoke")
    assert finding.status == "fail" and finding.entry == "missing-invoke-permission"


def test_invoke_healthy_passes(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.hooks.append(("before-send.apigateway.TestInvokeMethod",
                        fake_test_invoke(200, '{"statusCode": 200, "body": "{}"}')))
    [finding] = findings_of(world.check(api, invoke=True, checks=("invoke",)), "invoke")
    assert finding.status == "pass" and "answered 200 in 42 ms" in finding.message


def test_invoke_skips_http_apis(world: World) -> None:
    fn = world.function("web")
    api = world.http_api("site", [Route("GET", "/", fn)])
    [finding] = findings_of(world.check(api, invoke=True, checks=("invoke",)), "invoke")
    assert finding.status == "skip"


def test_invoke_is_not_run_without_the_flag(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    calls: list[str] = []
    world.hooks.append(("before-send.apigateway.TestInvokeMethod", lambda request, **_: calls.append("x")))
    report = world.check(api)
    assert not findings_of(report, "invoke") and calls == []


# ------------------------------------------------------------------------------------ package
@pytest.fixture
def package_server() -> Iterator[tuple[str, dict[str, bytes]]]:
    files: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = files.get(self.path.split("?")[0])
            self.send_response(200 if data is not None else 404)
            self.send_header("Content-Length", str(len(data or b"")))
            self.end_headers()
            self.wfile.write(data or b"")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", files
    server.shutdown()


def serve_package(world: World, server: tuple[str, dict[str, bytes]], name: str, package: bytes,
                  runtime: str = "python3.12", handler: str = "app.handler") -> None:
    """Lambda's GetFunction answers a presigned S3 URL; moto's is not downloadable, so point at ours."""
    url, files = server
    files[f"/{name}.zip"] = package

    def hook(request: Any, **_: Any) -> Any:
        if f"function%3A{name}" not in request.url and f"/functions/{name}" not in request.url:
            return None
        return aws_response(200, {
            "Configuration": {"FunctionName": name, "Runtime": runtime, "Handler": handler, "PackageType": "Zip",
                              "FunctionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
                              "Environment": {"Variables": {"TOKEN": "never-shown"}}},
            "Code": {"RepositoryType": "S3", "Location": f"{url}/{name}.zip?X-Amz-Signature=abc"},
        })

    world.hooks.append(("before-send.lambda.GetFunction", hook))


def test_unreadable_files_fail(world: World, package_server: Any) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    serve_package(world, package_server, "orders", zip_of({
        "app.py": ("def handler(event, context):\n    return {}\n", 0o600),
        "lib/util.py": ("X = 1\n", 0o644),
    }))
    report = world.check(api, inspect_package=True, checks=("package",))
    [finding] = findings_of(report, "package")
    assert finding.status == "fail" and finding.entry == "package-permission-denied"
    assert "app.py 600" in finding.message and "chmod -R o+rX" in finding.fix
    assert "never-shown" not in str(report.to_json())


def test_missing_handler_function_fails(world: World, package_server: Any) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    serve_package(world, package_server, "orders", zip_of({"app.py": "def main(event, context):\n    return {}\n"}))
    [finding] = findings_of(world.check(api, inspect_package=True, checks=("package",)), "package")
    assert finding.status == "fail" and finding.entry == "handler-not-found"
    assert "Handler 'handler' missing on module 'app'" in finding.message


def test_missing_handler_file_fails(world: World, package_server: Any) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    serve_package(world, package_server, "orders", zip_of({"build/app.py": "def handler(e, c):\n    return {}\n"}))
    [finding] = findings_of(world.check(api, inspect_package=True, checks=("package",)), "package")
    assert finding.status == "fail" and finding.entry == "handler-not-found" and "app.py" in finding.message


def test_healthy_node_package_passes(world: World, package_server: Any) -> None:
    fn = world.function("web", runtime="nodejs20.x", handler="index.handler")
    api = world.rest_api("site", [Route("GET", "/", fn)])
    serve_package(world, package_server, "web", zip_of({"index.mjs": "export const handler = async () => ({});\n"}),
                  runtime="nodejs20.x", handler="index.handler")
    [finding] = findings_of(world.check(api, inspect_package=True, checks=("package",)), "package")
    assert finding.status == "pass", finding.message


def test_download_cap_and_scheme(package_server: Any) -> None:
    url, files = package_server
    files["/big.zip"] = b"x" * 2048
    assert download(f"{url}/big.zip", 4096) == b"x" * 2048
    with pytest.raises(PackageTooLarge):
        download(f"{url}/big.zip", 1024)
    with pytest.raises(ValueError, match="refusing"):
        download("http://example.com/package.zip", 1024)


def test_source_readers() -> None:
    assert python_defines("def handler(e, c):\n    pass\n", "handler")
    assert python_defines("from impl import handler\n", "handler")
    assert python_defines("handler = make()\n", "handler")
    assert not python_defines("def main(e, c):\n    pass\n", "handler")
    assert node_exports("exports.handler = async () => {}", "handler")
    assert node_exports("module.exports = { handler }", "handler")
    assert node_exports("export async function handler() {}", "handler")
    assert not node_exports("async function handler() {}", "handler")
