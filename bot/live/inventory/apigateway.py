"""Reading a REST API (apigateway) or an HTTP API (apigatewayv2): routes, integrations (with
their integration responses and credentials roles), authorizers, stages, and the Lambda function,
version or alias each route really invokes on each deployed stage (stage variables resolved).

The id is looked up as a REST API first, then as an HTTP API. A fixed handful of calls whatever
the number of routes: get_resources embeds the methods and their integrations; only when an
answer lacks them (some emulators) does it fall back to one get_integration per method. The
authorizers are read (one call) only when some route uses one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from bot.errors import BadGatewayError, UsageError
from bot.live.aws import AwsCallError, AwsClients
from bot.live.finding import ApiInfo
from bot.live.inventory.model import (
    Authorizer,
    Binding,
    Integration,
    IntegrationResponse,
    Inventory,
    LambdaTarget,
    Route,
    Stage,
)

_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_.-]+)\}")
_FUNCTION_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):lambda:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):function:"
    r"(?P<name>[A-Za-z0-9_-]+)(?::(?P<qualifier>[A-Za-z0-9_$-]+))?$"
)
_LAMBDA_URI = re.compile(r"/functions/(?P<fn>.+)/invocations$")
AUTHORIZED = ("CUSTOM", "COGNITO_USER_POOLS", "JWT")


# ------------------------------------------------------------------------ what a URI invokes
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


# ---------------------------------------------------------------------------------- loading
def load_inventory(aws: AwsClients, api_id: str, stage: str | None = None) -> Inventory:
    """Read the API `api_id` (REST or HTTP). BadGatewayError when it cannot be found or read."""
    found = find_api(aws, api_id)
    if found is None:
        raise BadGatewayError(
            f"API '{api_id}' not found in region {aws.region}: no REST API or HTTP API has this id there "
            "(wrong --region or --profile?)"
        )
    return load_found_api(aws, found, stage)


def load_found_api(aws: AwsClients, found: tuple[str, dict[str, Any]], stage: str | None) -> Inventory:
    kind, body = found
    return _load_rest(aws, body, stage) if kind == "REST" else _load_http(aws, body, stage)


def find_api(aws: AwsClients, api_id: str) -> tuple[str, dict[str, Any]] | None:
    """("REST" | "HTTP", the API's description), or None when no API has this id in the region."""
    with _readable(aws, api_id):
        try:
            return "REST", aws.call("apigateway", "GetRestApi", restApiId=api_id)
        except AwsCallError as exc:
            if not _absent(exc):
                raise
        try:
            return "HTTP", aws.call("apigatewayv2", "GetApi", ApiId=api_id)
        except AwsCallError as exc:
            if not _absent(exc):
                raise
    return None


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
                routes.append(Route(
                    method=method,
                    path=resource.get("path", "/"),
                    integration=_rest_integration_of(integration_body),
                    resource_id=resource["id"],
                    authorization=(body or {}).get("authorizationType"),
                    authorizer_id=(body or {}).get("authorizerId"),
                ))
        position = page.get("position")
        if not position:
            break
    routes.sort(key=lambda route: (route.path, route.method))
    with _readable(aws, api_id):
        stage_items = aws.call("apigateway", "GetStages", restApiId=api_id).get("item", [])
    stages = _select_stages([_rest_stage(item) for item in stage_items], wanted_stage, api_id, aws.region)
    authorizers: tuple[Authorizer, ...] = ()
    if any(route.authorization in AUTHORIZED for route in routes):
        with _readable(aws, api_id):
            items = aws.call("apigateway", "GetAuthorizers", restApiId=api_id, limit=500).get("items", [])
        authorizers = tuple(_rest_authorizer(aws.region, api_id, item) for item in items)
    return _inventory(aws, info, endpoint_types, routes, stages, authorizers)


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
    responses = tuple(
        IntegrationResponse(
            status=str(item.get("statusCode") or key),
            selection_pattern=item.get("selectionPattern") or None,
            templates=tuple(sorted((item.get("responseTemplates") or {}).keys())),
        )
        for key, item in sorted((body.get("integrationResponses") or {}).items())
    )
    return Integration(
        kind=str(body["type"]),
        http_method=body.get("httpMethod"),
        uri=body.get("uri"),
        timeout_ms=int(timeout) if timeout else None,
        credentials=body.get("credentials") or None,
        responses=responses,
        request_templates=tuple(sorted((body.get("requestTemplates") or {}).keys())),
        passthrough=body.get("passthroughBehavior"),
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


def _rest_authorizer(region: str, api_id: str, item: dict[str, Any]) -> Authorizer:
    kind = str(item.get("type") or "")
    function, problem = _authorizer_function(kind in ("TOKEN", "REQUEST"), item.get("authorizerUri"))
    return Authorizer(
        id=str(item["id"]), name=str(item.get("name") or item["id"]), kind=kind,
        arn=f"arn:aws:apigateway:{region}::/restapis/{api_id}/authorizers/{item['id']}",
        function=function, credentials=item.get("authorizerCredentials") or None, problem=problem,
    )


def _authorizer_function(is_lambda: bool, uri: object) -> tuple[LambdaTarget | None, str | None]:
    if not is_lambda:
        return None, None
    match = _LAMBDA_URI.search(str(uri or ""))
    if not match:
        return None, f"its authorizer URI '{uri}' names no Lambda function"
    if "${stageVariables." in match.group("fn"):
        return None, "its authorizer URI depends on a stage variable; check the function it resolves to by hand"
    return parse_function_arn(match.group("fn"))


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
            credentials=item.get("CredentialsArn") or None,
            subtype=item.get("IntegrationSubtype") or None,
        )
        for item in _pages(aws, api_id, lambda token: aws.call("apigatewayv2", "GetIntegrations", ApiId=api_id, **token))
    }
    routes: list[Route] = []
    for item in _pages(aws, api_id, lambda token: aws.call("apigatewayv2", "GetRoutes", ApiId=api_id, **token)):
        key = str(item.get("RouteKey", ""))
        target = str(item.get("Target") or "")
        integration = integrations.get(target.split("/", 1)[1]) if target.startswith("integrations/") else None
        authorization = item.get("AuthorizationType")
        authorizer_id = item.get("AuthorizerId")
        if key == "$default":
            routes.append(Route("*", "$default", integration, None, authorization, authorizer_id))
        else:
            method, _, path = key.partition(" ")
            routes.append(Route(method.upper(), path or "/", integration, None, authorization, authorizer_id))
    routes.sort(key=lambda route: (route.path, route.method))
    stages = []
    for item in _pages(aws, api_id, lambda token: aws.call("apigatewayv2", "GetStages", ApiId=api_id, **token)):
        if wanted_stage is None and not (item.get("DeploymentId") or item.get("AutoDeploy")):
            continue  # never deployed: nothing answers on it
        access = item.get("AccessLogSettings") or {}
        stages.append(Stage(
            name=str(item["StageName"]),
            variables=dict(item.get("StageVariables") or {}),
            access_log_destination=access.get("DestinationArn"),
            access_log_format=access.get("Format"),
        ))
    stages = _select_stages(stages, wanted_stage, api_id, aws.region)
    authorizers: tuple[Authorizer, ...] = ()
    if any(route.authorization in AUTHORIZED for route in routes):
        items = _pages(aws, api_id, lambda token: aws.call("apigatewayv2", "GetAuthorizers", ApiId=api_id, **token))
        authorizers = tuple(_http_authorizer(aws.region, api_id, item) for item in items)
    return _inventory(aws, info, ("REGIONAL",), routes, stages, authorizers)


def _http_authorizer(region: str, api_id: str, item: dict[str, Any]) -> Authorizer:
    kind = str(item.get("AuthorizerType") or "")
    function, problem = _authorizer_function(kind == "REQUEST", item.get("AuthorizerUri"))
    return Authorizer(
        id=str(item["AuthorizerId"]), name=str(item.get("Name") or item["AuthorizerId"]), kind=kind,
        arn=f"arn:aws:apigateway:{region}::/apis/{api_id}/authorizers/{item['AuthorizerId']}",
        function=function, credentials=item.get("AuthorizerCredentialsArn") or None, problem=problem,
    )


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
    aws: AwsClients, info: ApiInfo, endpoint_types: tuple[str, ...], routes: list[Route], stages: list[Stage],
    authorizers: tuple[Authorizer, ...],
) -> Inventory:
    return Inventory(
        api=info,
        region=aws.region,
        account=aws.account_id(),
        endpoint_types=endpoint_types,
        routes=tuple(routes),
        stages=tuple(stages),
        bindings=bindings_of(routes, stages),
        authorizers=authorizers,
    )


def bindings_of(routes: list[Route] | tuple[Route, ...], stages: list[Stage] | tuple[Stage, ...]) -> tuple[Binding, ...]:
    bindings: list[Binding] = []
    for stage in stages:
        for route in routes:
            reference = route.integration.function_reference if route.integration else None
            if reference is None:
                bindings.append(Binding(stage, route, None))
                continue
            target, problem = resolve_target(reference, stage)
            bindings.append(Binding(stage, route, target, problem))
    return tuple(bindings)


# ------------------------------------------------------------------ narrowing to one request
def narrowed(inventory: Inventory, stage: str | None, path: str | None) -> Inventory:
    """The inventory for one request: its stage only, and the routes its path can reach.

    A path no route matches keeps every route (the integration check says so: that request gets
    403/404 from API Gateway, not a 5XX).
    """
    stages = tuple(s for s in inventory.stages if stage is None or s.name == stage)
    routes = inventory.routes
    if path is not None:
        reached = routes_for_path(routes, path)
        routes = reached or routes
    used = {route.authorizer_id for route in routes if route.authorizer_id}
    return replace(
        inventory, stages=stages, routes=tuple(routes), bindings=bindings_of(routes, stages),
        authorizers=tuple(a for a in inventory.authorizers if a.id in used), requested_path=path,
    )


def routes_for_path(routes: tuple[Route, ...], path: str) -> tuple[Route, ...]:
    """The routes (every method) of the most specific path template matching `path`; $default last."""
    segments = [part for part in path.split("?", 1)[0].split("/") if part]
    best: tuple[int, str] | None = None
    for route in routes:
        if route.path == "$default":
            continue
        score = _template_score(route.path, segments)
        if score is not None and (best is None or score > best[0]):
            best = (score, route.path)
    if best is not None:
        return tuple(route for route in routes if route.path == best[1])
    return tuple(route for route in routes if route.path == "$default")


def _template_score(template: str, segments: list[str]) -> int | None:
    """How specifically `template` matches the request segments (None: it does not)."""
    parts = [part for part in template.split("/") if part]
    score = 0
    for index, part in enumerate(parts):
        if part.startswith("{") and part.endswith("+}"):
            return score if len(segments) > index else None  # greedy: one segment or more
        if index >= len(segments):
            return None
        if part.startswith("{") and part.endswith("}"):
            score += 1
        elif part == segments[index]:
            score += 10
        else:
            return None
    return score if len(parts) == len(segments) else None
