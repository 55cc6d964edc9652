"""Live checks against moto's server on loopback: real HTTP, reset between tests.

Nothing here can reach AWS: every test runs with dummy credentials, AWS_ENDPOINT_URL pointing at
the local server, no profile or config file, no instance metadata, and a socket guard that
refuses any connection that is not to the loopback interface.
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's account

moto_server_module = pytest.importorskip("moto.server")

# The ids of shared/catalog.md's "Ids the family issue adds": findings may name them while their
# knowledge entries are written on another branch (bot.core.kb.catalog.FAMILY_IDS once merged).
FAMILY_IDS = ("lambda-authorizer-error", "integration-role-error", "mapping-template-error", "lambda-edge-error",
              "function-url-error", "proxy-integration-method")


def known_entries() -> set[str]:
    """Every id a finding may name: the knowledge base's entries and the catalog's family ids."""
    import bot.core.kb.catalog as catalog

    return ({path.stem for path in (ROOT / "knowledge").glob("*.yaml")} | set(catalog.CATALOG_IDS)
            | set(getattr(catalog, "FAMILY_IDS", FAMILY_IDS)))


# ------------------------------------------------------------------------------------ server
@pytest.fixture(scope="session")
def moto_url() -> Any:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = moto_server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection to something other than 127.0.0.1 / ::1 fails the test."""
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def check(address: Any) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            raise AssertionError(f"a test tried to connect to {address!r}: only loopback is allowed")

    def connect(self: socket.socket, address: Any) -> Any:
        check(address)
        return original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        check(address)
        return original_connect_ex(self, address)

    original_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        # Not even a DNS query for a real AWS host name.
        if host is not None and not _is_loopback(host.decode() if isinstance(host, bytes) else host):
            raise AssertionError(f"a test tried to resolve {host!r}: only loopback is allowed")
        return original_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def local_aws_environment(url: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


_DROPPED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI")


@pytest.fixture(scope="session")
def stand_in(moto_url: str) -> Any:
    """What moto lacks (Logs Insights filtering, HTTP API GetAuthorizers...): see tests/live/stand_in.py."""
    from tests.live.stand_in import StandIn

    server = StandIn(moto_url)
    yield server
    server.stop()


# The services whose requests go through the stand-in (botocore's per-service endpoint settings).
STAND_IN_SERVICES = ("CLOUDWATCH_LOGS", "APIGATEWAYV2", "CLOUDFRONT")


@pytest.fixture(autouse=True)
def local_aws(moto_url: str, stand_in: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in _DROPPED:
        monkeypatch.delenv(name, raising=False)
    for name, value in local_aws_environment(moto_url).items():
        monkeypatch.setenv(name, value)
    for service in STAND_IN_SERVICES:
        monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service}", stand_in.url)
    request = urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
    stand_in.reset()
    return moto_url


# ------------------------------------------------------------------------------------ hooks
class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Any:
        yield self._data

    def read(self, *_: Any) -> bytes:
        return self._data


def aws_response(status: int, body: dict[str, Any] | bytes, headers: dict[str, str] | None = None) -> Any:
    from botocore.awsrequest import AWSResponse

    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return AWSResponse("http://127.0.0.1/fake", status, {"Content-Type": "application/json", **(headers or {})}, _Body(data))


def access_denied(action: str) -> Callable[..., Any]:
    """A before-send hook answering AccessDenied, as Lambda's REST-JSON protocol does."""

    def hook(request: Any, **_: Any) -> Any:
        return aws_response(403, {"Message": f"User: arn:aws:sts::{ACCOUNT}:assumed-role/x/y is not authorized "
                                             f"to perform: {action}"},
                            {"x-amzn-ErrorType": "AccessDeniedException"})

    return hook


def edited(edit: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[..., Any]:
    """A before-send hook that sends the request to moto itself and edits the JSON answer:
    for what moto answers differently from AWS."""

    def hook(request: Any, **_: Any) -> Any:
        forwarded = urllib.request.Request(request.url, data=request.body or None, method=request.method,
                                           headers={k: v.decode() if isinstance(v, bytes) else v
                                                    for k, v in request.headers.items()})
        with urllib.request.urlopen(forwarded, timeout=10) as response:
            body = json.loads(response.read() or b"{}")
        return aws_response(200, edit(body))

    return hook


def sts_access_denied(request: Any, **_: Any) -> Any:
    """AccessDenied as STS's query protocol writes it (XML)."""
    body = (b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
            b"<Code>AccessDenied</Code><Message>not authorized to perform: sts:AssumeRole</Message></Error>"
            b"<RequestId>1</RequestId></ErrorResponse>")
    return aws_response(403, body, {"Content-Type": "text/xml"})


# ------------------------------------------------------------------------------------ world
def zip_of(files: dict[str, str | tuple[str, int]]) -> bytes:
    """A zip with Unix modes: name -> text, or (text, mode)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            text, mode = content if isinstance(content, tuple) else (content, 0o644)
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = (0o100000 | mode) << 16
            archive.writestr(info, text)
    return buffer.getvalue()


@dataclass
class Route:
    method: str
    path: str
    function: str | None = None  # function ARN (or stage-variable ARN); None: a MOCK integration
    integration_type: str = "AWS_PROXY"
    integration_method: str = "POST"
    timeout_ms: int | None = None
    credentials: str | None = None  # the integration's role
    uri: str | None = None  # a service integration's URI (then `function` is ignored)
    responses: list[tuple[str, str | None]] | None = None  # REST integration responses: (status, selection pattern)
    authorizer: str | None = None  # the name of one of the API's authorizers (REST: CUSTOM; HTTP: REQUEST)


@dataclass
class World:
    """Builds small AWS worlds in moto and runs the checks against them."""

    url: str
    stand_in: Any = None
    hooks: list[tuple[str, Callable[..., Any]]] = field(default_factory=list)
    # moto keeps one policy per function whatever the qualifier; AWS keeps one per alias/version.
    qualified_policies: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import boto3

        self._boto3 = boto3
        self.hooks.append(("before-send.lambda.GetPolicy", self._qualified_policy))
        self.role = self.client("iam").create_role(
            RoleName="badgateway-test-role", AssumeRolePolicyDocument="{}"
        )["Role"]["Arn"]

    def client(self, service: str, region: str = REGION) -> Any:
        through_stand_in = self.stand_in is not None and service in ("apigatewayv2", "cloudfront")
        return self._boto3.client(service, region_name=region,
                                  endpoint_url=self.stand_in.url if through_stand_in else self.url)

    # Lambda -------------------------------------------------------------------------------
    def function(self, name: str, *, runtime: str = "python3.12", handler: str = "app.handler", timeout: int = 3,
                 files: dict[str, Any] | None = None, environment: dict[str, str] | None = None) -> str:
        code = zip_of(files or {"app.py": "def handler(event, context):\n    return {'statusCode': 200}\n"})
        params: dict[str, Any] = dict(FunctionName=name, Runtime=runtime, Role=self.role, Handler=handler,
                                      Code={"ZipFile": code}, Timeout=timeout)
        if environment:
            params["Environment"] = {"Variables": environment}
        return str(self.client("lambda").create_function(**params)["FunctionArn"])

    def alias(self, function: str, alias: str) -> str:
        lam = self.client("lambda")
        version = lam.publish_version(FunctionName=function)["Version"]
        return str(lam.create_alias(FunctionName=function, Name=alias, FunctionVersion=version)["AliasArn"])

    def allow(self, function: str, source_arn: str | None, *, qualifier: str | None = None, sid: str = "apigw",
              principal: str = "apigateway.amazonaws.com") -> None:
        if qualifier:
            statement: dict[str, Any] = {
                "Sid": sid, "Effect": "Allow", "Action": "lambda:InvokeFunction",
                "Principal": {"Service": principal},
                "Resource": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function}:{qualifier}",
            }
            if source_arn:
                statement["Condition"] = {"ArnLike": {"AWS:SourceArn": source_arn}}
            self.qualified_policies.setdefault((function, qualifier), []).append(statement)
            return
        params: dict[str, Any] = dict(FunctionName=function, StatementId=sid, Action="lambda:InvokeFunction",
                                      Principal=principal)
        if source_arn:
            params["SourceArn"] = source_arn
        self.client("lambda").add_permission(**params)

    def _qualified_policy(self, request: Any, **_: Any) -> Any:
        from urllib.parse import parse_qs, unquote, urlsplit

        parts = urlsplit(request.url)
        qualifier = parse_qs(parts.query).get("Qualifier", [None])[0]
        if not qualifier:
            return None  # the function's own policy: moto answers
        name = unquote(parts.path).split("/functions/", 1)[1].split("/", 1)[0].split(":function:")[-1]
        statements = self.qualified_policies.get((name, qualifier))
        if not statements:
            return aws_response(404, {"Type": "User", "Message": "The resource you requested does not exist."},
                                {"x-amzn-ErrorType": "ResourceNotFoundException"})
        document = {"Version": "2012-10-17", "Id": "default", "Statement": statements}
        return aws_response(200, {"Policy": json.dumps(document), "RevisionId": "1"})

    # API Gateway --------------------------------------------------------------------------
    def rest_api(self, name: str, routes: list[Route], *, stages: dict[str, dict[str, str]] | None = None,
                 logging_level: str | None = None, endpoint: str = "REGIONAL",
                 authorizers: dict[str, dict[str, Any]] | None = None) -> str:
        """authorizers: name -> {"function": ARN, "credentials": role ARN or None, "type": TOKEN | REQUEST}."""
        apigw = self.client("apigateway")
        api_id = apigw.create_rest_api(name=name, endpointConfiguration={"types": [endpoint]})["id"]
        resources = {item["path"]: item["id"] for item in apigw.get_resources(restApiId=api_id)["items"]}
        authorizer_ids = {
            label: apigw.create_authorizer(**{k: v for k, v in dict(
                restApiId=api_id, name=label, type=spec.get("type", "TOKEN"),
                authorizerUri=f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{spec['function']}/invocations",
                identitySource="method.request.header.Authorization", authorizerCredentials=spec.get("credentials"),
            ).items() if v is not None})["id"]
            for label, spec in (authorizers or {}).items()
        }
        for route in routes:
            resource_id = self._resource(apigw, api_id, resources, route.path)
            method: dict[str, Any] = dict(restApiId=api_id, resourceId=resource_id, httpMethod=route.method,
                                          authorizationType="NONE")
            if route.authorizer:
                method.update(authorizationType="CUSTOM", authorizerId=authorizer_ids[route.authorizer])
            apigw.put_method(**method)
            if route.function is None and route.uri is None:
                apigw.put_integration(restApiId=api_id, resourceId=resource_id, httpMethod=route.method, type="MOCK")
                continue
            params: dict[str, Any] = dict(
                restApiId=api_id, resourceId=resource_id, httpMethod=route.method, type=route.integration_type,
                integrationHttpMethod=route.integration_method,
                uri=route.uri or f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{route.function}/invocations",
            )
            if route.timeout_ms:
                params["timeoutInMillis"] = route.timeout_ms
            if route.credentials:
                params["credentials"] = route.credentials
            apigw.put_integration(**params)
            for status, pattern in route.responses or []:
                response: dict[str, Any] = dict(restApiId=api_id, resourceId=resource_id, httpMethod=route.method,
                                                statusCode=status)
                if pattern is not None:
                    response["selectionPattern"] = pattern
                apigw.put_integration_response(**response)
        for stage, variables in (stages if stages is not None else {"prod": {}}).items():
            apigw.create_deployment(restApiId=api_id, stageName=stage, variables=variables)
            if logging_level:
                apigw.update_stage(restApiId=api_id, stageName=stage, patchOperations=[
                    {"op": "replace", "path": "/*/*/logging/loglevel", "value": logging_level}])
        return str(api_id)

    def _resource(self, apigw: Any, api_id: str, resources: dict[str, str], path: str) -> str:
        if path in resources:
            return resources[path]
        parent_path, _, part = path.rstrip("/").rpartition("/")
        parent = self._resource(apigw, api_id, resources, parent_path or "/")
        created = apigw.create_resource(restApiId=api_id, parentId=parent, pathPart=part)
        resources[path] = created["id"]
        return str(created["id"])

    def http_api(self, name: str, routes: list[Route], *, stage: str = "$default",
                 access_log: tuple[str, str] | None = None, timeout_ms: int | None = None,
                 authorizers: dict[str, dict[str, Any]] | None = None) -> str:
        v2 = self.client("apigatewayv2")
        api_id = v2.create_api(Name=name, ProtocolType="HTTP")["ApiId"]
        authorizer_ids = {
            label: v2.create_authorizer(
                ApiId=api_id, AuthorizerType="REQUEST", Name=label, AuthorizerPayloadFormatVersion="2.0",
                AuthorizerUri=f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{spec['function']}/invocations",
                IdentitySource=["$request.header.Authorization"],
            )["AuthorizerId"]
            for label, spec in (authorizers or {}).items()
        }
        for route in routes:
            params: dict[str, Any] = dict(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=route.function,
                                          PayloadFormatVersion="2.0")
            if route.timeout_ms or timeout_ms:
                params["TimeoutInMillis"] = route.timeout_ms or timeout_ms
            if route.credentials:
                params["CredentialsArn"] = route.credentials
            integration = v2.create_integration(**params)
            key = "$default" if route.path == "$default" else f"{route.method} {route.path}"
            extra: dict[str, Any] = {}
            if route.authorizer:
                extra = {"AuthorizationType": "CUSTOM", "AuthorizerId": authorizer_ids[route.authorizer]}
            v2.create_route(ApiId=api_id, RouteKey=key, Target=f"integrations/{integration['IntegrationId']}", **extra)
        stage_params: dict[str, Any] = dict(ApiId=api_id, StageName=stage, AutoDeploy=True)
        if access_log:
            stage_params["AccessLogSettings"] = {"DestinationArn": access_log[0], "Format": access_log[1]}
        v2.create_stage(**stage_params)
        return str(api_id)

    # Logs and metrics ---------------------------------------------------------------------
    def log(self, group: str, lines: list[str], *, minutes_ago: int = 5) -> None:
        logs = self.client("logs")
        with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
            logs.create_log_group(logGroupName=group)
        stream = f"s{time.monotonic_ns()}"
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        start = int((datetime.now(UTC) - timedelta(minutes=minutes_ago)).timestamp() * 1000)
        logs.put_log_events(logGroupName=group, logStreamName=stream,
                            logEvents=[{"timestamp": start + i, "message": line} for i, line in enumerate(lines)])

    def metric(self, namespace: str, name: str, dimensions: dict[str, str], value: float) -> None:
        self.client("cloudwatch").put_metric_data(Namespace=namespace, MetricData=[{
            "MetricName": name, "Value": value, "Timestamp": datetime.now(UTC) - timedelta(minutes=2),
            "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
        }])

    # Running --------------------------------------------------------------------------------
    def check(self, api_id: str, **options: Any) -> Any:
        from bot.live.runner import CheckRequest, run_check

        request = CheckRequest(api_id=api_id, region=REGION, hooks=tuple(self.hooks), **options)
        return run_check(request)


@pytest.fixture
def world(local_aws: str, stand_in: Any) -> World:
    return World(local_aws, stand_in)


def findings_of(report: Any, check: str, status: str | None = None) -> list[Any]:
    return [f for f in report.findings if f.check == check and (status is None or f.status == status)]


def run_bot(*args: str, env: dict[str, str] | None = None, drop: tuple[str, ...] = (), timeout: float = 60) -> Any:
    """`python -m bot ARGS` in a separate process, with the test's (local) AWS environment."""
    environment = {key: value for key, value in os.environ.items() if key not in drop}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=environment, stdin=subprocess.DEVNULL)
