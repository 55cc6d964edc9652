"""What an API is made of: its routes, their integrations, and the Lambda function, version or
alias each one really invokes on each deployed stage (stage variables resolved per stage).

REST APIs (apigateway) and HTTP APIs (apigatewayv2) are told apart automatically: the id is
looked up as a REST API first, then as an HTTP API. A fixed handful of calls whatever the number
of routes: get_resources embeds the methods and their integrations; only when an answer lacks
them (some emulators) does it fall back to one get_integration per method.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.errors import BadGatewayError, UsageError
from bot.live.aws import AwsCallError, AwsClients
from bot.live.finding import ApiInfo

IAM_ACTIONS: tuple[str, ...] = ("apigateway:GET",)

DEFAULT_REST_TIMEOUT_MS = 29_000  # what AWS returns when timeoutInMillis was never set
HTTP_API_MAX_TIMEOUT_MS = 30_000  # HTTP APIs: 50 ms to 30 s, cannot be raised
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_.-]+)\}")
_FUNCTION_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):lambda:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):function:"
    r"(?P<name>[A-Za-z0-9_-]+)(?::(?P<qualifier>[A-Za-z0-9_$-]+))?$"
)
_REST_LAMBDA_URI = re.compile(r"^arn:[a-z-]+:apigateway:[a-z0-9-]+:lambda:path/[0-9-]+/functions/(?P<fn>.+)/invocations$")


@dataclass(frozen=True)
class LambdaTarget:
    """A Lambda function, with the version or alias an integration names (None: $LATEST)."""

    name: str
    region: str
    account: str
    qualifier: str | None = None
    partition: str = "aws"

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:lambda:{self.region}:{self.account}:function:{self.name}"

    @property
    def qualified_arn(self) -> str:
        return f"{self.arn}:{self.qualifier}" if self.qualifier else self.arn

    @property
    def label(self) -> str:
        return f"{self.name}:{self.qualifier}" if self.qualifier else self.name

    @property
    def function(self) -> LambdaTarget:
        """The same function without its qualifier (for what is per function: logs, concurrency)."""
        return LambdaTarget(self.name, self.region, self.account, None, self.partition)


@dataclass(frozen=True)
class Integration:
    kind: str  # AWS_PROXY | AWS | HTTP | HTTP_PROXY | MOCK
    http_method: str | None  # REST: the method API Gateway uses to call the backend
    uri: str | None
    timeout_ms: int | None  # as configured; None when never set (see effective_timeout_ms)
    payload_format: str | None = None  # HTTP APIs: "1.0" | "2.0"
    integration_id: str | None = None

    @property
    def function_reference(self) -> str | None:
        """The Lambda function ARN the URI names, possibly with ${stageVariables.x} in it."""
        if not self.uri or self.kind not in ("AWS_PROXY", "AWS"):
            return None
        match = _REST_LAMBDA_URI.match(self.uri)
        if match:
            return match.group("fn")
        if ":lambda:" in self.uri and ":function:" in self.uri:
            return self.uri
        return None

    @property
    def is_lambda(self) -> bool:
        return self.function_reference is not None

    @property
    def is_proxy(self) -> bool:
        return self.kind == "AWS_PROXY"

    def effective_timeout_ms(self, protocol: str) -> int:
        if self.timeout_ms:
            return self.timeout_ms
        return DEFAULT_REST_TIMEOUT_MS if protocol == "REST" else HTTP_API_MAX_TIMEOUT_MS


@dataclass(frozen=True)
class Route:
    """A REST method (`GET /users/{id}`) or an HTTP API route (`GET /users/{id}`, `$default`)."""

    method: str  # GET, POST, ..., ANY; "*" for an HTTP API's $default route
    path: str  # the resource path template, "/users/{id}"; "$default" for the default route
    integration: Integration | None
    resource_id: str | None = None  # REST: for test_invoke_method

    @property
    def key(self) -> str:
        return "$default" if self.path == "$default" else f"{self.method} {self.path}"

    @property
    def methods(self) -> tuple[str, ...]:
        """The HTTP methods a request to this route can have."""
        return HTTP_METHODS if self.method in ("ANY", "*") else (self.method,)


@dataclass(frozen=True)
class Stage:
    name: str
    variables: dict[str, str] = field(default_factory=dict)
    logging_level: str | None = None  # REST execution logging for */*: OFF | ERROR | INFO
    data_trace: bool = False
    method_logging: dict[str, str] = field(default_factory=dict)  # "path/METHOD" -> level overrides
    access_log_destination: str | None = None
    access_log_format: str | None = None


@dataclass(frozen=True)
class Binding:
    """A route as deployed on one stage, and the function it really invokes there."""

    stage: Stage
    route: Route
    target: LambdaTarget | None
    problem: str | None = None  # why the target cannot be resolved, e.g. an undefined stage variable


@dataclass(frozen=True)
class Inventory:
    api: ApiInfo
    region: str
    account: str
    endpoint_types: tuple[str, ...]  # REST: EDGE | REGIONAL | PRIVATE; HTTP APIs: ("REGIONAL",)
    routes: tuple[Route, ...]
    stages: tuple[Stage, ...]
    bindings: tuple[Binding, ...]

    @property
    def protocol(self) -> str:
        return self.api.protocol

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self.stages)

    def targets(self) -> tuple[LambdaTarget, ...]:
        """Every distinct function + qualifier some deployed route invokes, in route order."""
        seen: dict[LambdaTarget, None] = {}
        for binding in self.bindings:
            if binding.target is not None:
                seen.setdefault(binding.target, None)
        return tuple(seen)

    def functions(self) -> tuple[LambdaTarget, ...]:
        """Every distinct function (qualifiers dropped)."""
        return tuple(dict.fromkeys(target.function for target in self.targets()))

    def bindings_for(self, target: LambdaTarget) -> tuple[Binding, ...]:
        return tuple(binding for binding in self.bindings if binding.target == target)

    def lambda_routes(self) -> tuple[Route, ...]:
        return tuple(route for route in self.routes if route.integration and route.integration.is_lambda)


# -------------------------------------------------------------------------------------------
# Resolving what an integration invokes
# -------------------------------------------------------------------------------------------


def resolve_target(reference: str, stage: Stage) -> tuple[LambdaTarget | None, str | None]:
    """The function a (possibly stage-variable) ARN names on `stage`, or why it cannot be told."""
    missing = [name for name in _STAGE_VARIABLE.findall(reference) if name not in stage.variables]
    if missing:
        names = ", ".join(missing)
        return None, (
            f"the integration URI uses stage variable {names}, which stage '{stage.name}' does not define, "
            "so API Gateway cannot tell which function to call"
        )
    resolved = _STAGE_VARIABLE.sub(lambda m: stage.variables[m.group(1)], reference)
    return parse_function_arn(resolved)


def parse_function_arn(value: str) -> tuple[LambdaTarget | None, str | None]:
    match = _FUNCTION_ARN.match(value)
    if not match:
        return None, f"'{value}' is not a Lambda function ARN"
    return (
        LambdaTarget(
            name=match.group("name"),
            region=match.group("region"),
            account=match.group("account"),
            qualifier=match.group("qualifier") or None,
            partition=match.group("partition"),
        ),
        None,
    )


# -------------------------------------------------------------------------------------------
# Loading
# -------------------------------------------------------------------------------------------


def load_inventory(aws: AwsClients, api_id: str, stage: str | None = None) -> Inventory:
    """Read the API `api_id` (REST or HTTP). BadGatewayError when it cannot be found or read."""
    with _readable(aws, api_id):
        try:
            rest = aws.call("apigateway", "GetRestApi", restApiId=api_id)
        except AwsCallError as exc:
            if not _absent(exc):
                raise
        else:
            return _load_rest(aws, rest, stage)
        try:
            http = aws.call("apigatewayv2", "GetApi", ApiId=api_id)
        except AwsCallError as exc:
            if not _absent(exc):
                raise
        else:
            return _load_http(aws, http, stage)
    raise BadGatewayError(
        f"API '{api_id}' not found in region {aws.region}: no REST API or HTTP API has this id there "
        "(wrong --region or --profile?)"
    )


def _absent(exc: AwsCallError) -> bool:
    return exc.not_found or exc.code == "BadRequestException"  # a malformed id is not there either


@contextmanager
def _readable(aws: AwsClients, api_id: str) -> Iterator[None]:
    """Any AWS error while reading the API itself ends the run with one line naming the API and region."""
    try:
        yield
    except AwsCallError as exc:
        raise BadGatewayError(f"cannot read API '{api_id}' in region {aws.region}: {exc.describe()}") from None


def _load_rest(aws: AwsClients, api: dict[str, Any], wanted_stage: str | None) -> Inventory:
    api_id = str(api["id"])
    info = ApiInfo(id=api_id, name=str(api.get("name", "")), protocol="REST")
    endpoint_types = tuple(api.get("endpointConfiguration", {}).get("types", ()) or ("EDGE",))
    routes: list[Route] = []
    position: str | None = None
    while True:
        params: dict[str, Any] = {"restApiId": api_id, "embed": ["methods"], "limit": 500}
        if position:
            params["position"] = position
        with _readable(aws, api_id):
            page = aws.call("apigateway", "GetResources", **params)
        for resource in page.get("items", []):
            for method, body in sorted((resource.get("resourceMethods") or {}).items()):
                integration_body = (body or {}).get("methodIntegration")
                if integration_body is None:
                    integration_body = _rest_integration(aws, api_id, resource["id"], method)
                routes.append(
                    Route(
                        method=method,
                        path=resource.get("path", "/"),
                        integration=_rest_integration_of(integration_body),
                        resource_id=resource["id"],
                    )
                )
        position = page.get("position")
        if not position:
            break
    routes.sort(key=lambda route: (route.path, route.method))
    with _readable(aws, api_id):
        stage_items = aws.call("apigateway", "GetStages", restApiId=api_id).get("item", [])
    stages = [_rest_stage(item) for item in stage_items]
    stages = _select_stages(stages, wanted_stage, api_id, aws.region)
    return _inventory(aws, info, endpoint_types, routes, stages)


def _rest_integration(aws: AwsClients, api_id: str, resource_id: str, method: str) -> dict[str, Any] | None:
    with _readable(aws, api_id):
        try:
            return aws.call("apigateway", "GetIntegration", restApiId=api_id, resourceId=resource_id, httpMethod=method)
        except AwsCallError as exc:
            if exc.not_found:
                return None  # a method with no integration yet
            raise


def _rest_integration_of(body: dict[str, Any] | None) -> Integration | None:
    if not body or not body.get("type"):
        return None
    timeout = body.get("timeoutInMillis")
    return Integration(
        kind=str(body["type"]),
        http_method=body.get("httpMethod"),
        uri=body.get("uri"),
        timeout_ms=int(timeout) if timeout else None,
    )


def _rest_stage(item: dict[str, Any]) -> Stage:
    settings = item.get("methodSettings") or {}
    default = settings.get("*/*") or {}
    overrides = {
        key: str(value.get("loggingLevel", "OFF")) for key, value in settings.items() if key != "*/*"
    }
    access = item.get("accessLogSettings") or {}
    return Stage(
        name=str(item["stageName"]),
        variables=dict(item.get("variables") or {}),
        logging_level=str(default.get("loggingLevel") or "OFF"),
        data_trace=bool(default.get("dataTraceEnabled", False)),
        method_logging=overrides,
        access_log_destination=access.get("destinationArn"),
        access_log_format=access.get("format"),
    )


def _load_http(aws: AwsClients, api: dict[str, Any], wanted_stage: str | None) -> Inventory:
    api_id = str(api["ApiId"])
    protocol = str(api.get("ProtocolType", "HTTP"))
    if protocol != "HTTP":
        raise UsageError(f"API '{api_id}' is a {protocol} API; badgateway checks REST and HTTP APIs")
    info = ApiInfo(id=api_id, name=str(api.get("Name", "")), protocol="HTTP")
    integrations = {
        item["IntegrationId"]: Integration(
            kind=str(item.get("IntegrationType", "")),
            http_method=item.get("IntegrationMethod"),
            uri=item.get("IntegrationUri"),
            timeout_ms=int(item["TimeoutInMillis"]) if item.get("TimeoutInMillis") else None,
            payload_format=item.get("PayloadFormatVersion"),
            integration_id=item["IntegrationId"],
        )
        for item in _pages(aws, api_id, lambda token: aws.call("apigatewayv2", "GetIntegrations", ApiId=api_id, **token))
    }
    routes: list[Route] = []
    for item in _pages(aws, api_id, lambda token: aws.call("apigatewayv2", "GetRoutes", ApiId=api_id, **token)):
        key = str(item.get("RouteKey", ""))
        target = str(item.get("Target") or "")
        integration = integrations.get(target.split("/", 1)[1]) if target.startswith("integrations/") else None
        if key == "$default":
            routes.append(Route(method="*", path="$default", integration=integration))
        else:
            method, _, path = key.partition(" ")
            routes.append(Route(method=method.upper(), path=path or "/", integration=integration))
    routes.sort(key=lambda route: (route.path, route.method))
    stages = []
    for item in _pages(aws, api_id, lambda token: aws.call("apigatewayv2", "GetStages", ApiId=api_id, **token)):
        if wanted_stage is None and not (item.get("DeploymentId") or item.get("AutoDeploy")):
            continue  # never deployed: nothing answers on it
        access = item.get("AccessLogSettings") or {}
        stages.append(
            Stage(
                name=str(item["StageName"]),
                variables=dict(item.get("StageVariables") or {}),
                access_log_destination=access.get("DestinationArn"),
                access_log_format=access.get("Format"),
            )
        )
    stages = _select_stages(stages, wanted_stage, api_id, aws.region)
    return _inventory(aws, info, ("REGIONAL",), routes, stages)


def _pages(aws: AwsClients, api_id: str, read: Callable[[dict[str, str]], dict[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        with _readable(aws, api_id):
            page = read({"NextToken": token} if token else {})
        items.extend(page.get("Items", []))
        token = page.get("NextToken")
        if not token:
            return items


def _select_stages(stages: list[Stage], wanted: str | None, api_id: str, region: str) -> list[Stage]:
    if wanted is None:
        return sorted(stages, key=lambda stage: stage.name)
    chosen = [stage for stage in stages if stage.name == wanted]
    if not chosen:
        known = ", ".join(sorted(stage.name for stage in stages)) or "none"
        raise UsageError(f"stage '{wanted}' not found on API '{api_id}' in {region} (stages: {known})")
    return chosen


def _inventory(
    aws: AwsClients, info: ApiInfo, endpoint_types: tuple[str, ...], routes: list[Route], stages: list[Stage]
) -> Inventory:
    bindings: list[Binding] = []
    for stage in stages:
        for route in routes:
            reference = route.integration.function_reference if route.integration else None
            if reference is None:
                bindings.append(Binding(stage, route, None))
                continue
            target, problem = resolve_target(reference, stage)
            bindings.append(Binding(stage, route, target, problem))
    return Inventory(
        api=info,
        region=aws.region,
        account=aws.account_id(),
        endpoint_types=endpoint_types,
        routes=tuple(routes),
        stages=tuple(stages),
        bindings=tuple(bindings),
    )
