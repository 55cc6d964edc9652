"""What a checked front door is made of, as typed values: an API's routes, integrations,
authorizers and stages; a load balancer's Lambda target groups; a CloudFront distribution's
Lambda@Edge functions; a function URL. Every Lambda function any of them invokes is a
LambdaTarget, so the per-function checks look at all of them alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.live.finding import ApiInfo

DEFAULT_REST_TIMEOUT_MS = 29_000  # what AWS returns when timeoutInMillis was never set
HTTP_API_MAX_TIMEOUT_MS = 30_000  # HTTP APIs: 50 ms to 30 s, cannot be raised
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

_REST_LAMBDA_URI = re.compile(r"^arn:[a-z-]+:apigateway:[a-z0-9-]+:lambda:path/[0-9-]+/functions/(?P<fn>.+)/invocations$")
_SERVICE_URI = re.compile(r"^arn:[a-z-]+:apigateway:[a-z0-9-]+:(?P<service>[a-z0-9.-]+):(?:action|path)/")


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
class IntegrationResponse:
    """A REST non-proxy integration response: the status it maps to and when it is chosen."""

    status: str
    selection_pattern: str | None  # None or "": the default response
    templates: tuple[str, ...] = ()  # content types with a response mapping template


@dataclass(frozen=True)
class Integration:
    kind: str  # AWS_PROXY | AWS | HTTP | HTTP_PROXY | MOCK
    http_method: str | None  # REST: the method API Gateway uses to call the backend
    uri: str | None
    timeout_ms: int | None  # as configured; None when never set (see effective_timeout_ms)
    payload_format: str | None = None  # HTTP APIs: "1.0" | "2.0"
    integration_id: str | None = None
    credentials: str | None = None  # the IAM role API Gateway assumes to call the backend
    subtype: str | None = None  # HTTP APIs: an AWS service integration, e.g. SQS-SendMessage
    responses: tuple[IntegrationResponse, ...] = ()  # REST non-proxy integrations
    request_templates: tuple[str, ...] = ()  # content types with a request mapping template
    passthrough: str | None = None  # WHEN_NO_MATCH | WHEN_NO_TEMPLATES | NEVER

    @property
    def function_reference(self) -> str | None:
        """The Lambda function ARN the URI names, possibly with ${stageVariables.x} in it."""
        if not self.uri or self.kind not in ("AWS_PROXY", "AWS") or self.subtype:
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

    @property
    def service(self) -> str | None:
        """The AWS service a service integration calls (sqs, dynamodb, states...), None for Lambda and HTTP."""
        if self.subtype:
            return self.subtype.split("-", 1)[0].lower()
        if self.kind == "AWS" and self.uri and not self.is_lambda:
            match = _SERVICE_URI.match(self.uri)
            return match.group("service") if match else None
        return None

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
    authorization: str | None = None  # NONE | AWS_IAM | CUSTOM | COGNITO_USER_POOLS | JWT
    authorizer_id: str | None = None

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
class Authorizer:
    """A Lambda (TOKEN/REQUEST), Cognito or JWT authorizer of an API."""

    id: str
    name: str
    kind: str  # REST: TOKEN | REQUEST | COGNITO_USER_POOLS; HTTP: REQUEST | JWT
    arn: str  # arn:aws:apigateway:REGION::/restapis/ID/authorizers/AID (or /apis/...)
    function: LambdaTarget | None = None  # Lambda authorizers
    credentials: str | None = None  # a role API Gateway assumes to invoke the function
    problem: str | None = None  # why its function cannot be told

    @property
    def is_lambda(self) -> bool:
        return self.kind in ("TOKEN", "REQUEST")


@dataclass(frozen=True)
class TargetHealth:
    target: str  # the registered Id: a function, version or alias ARN
    state: str  # healthy | unhealthy | unavailable | unused | initial | draining
    reason: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class TargetGroup:
    arn: str
    name: str
    load_balancers: tuple[str, ...]  # ARNs of the load balancers whose rules forward to it
    health_check_enabled: bool
    targets: tuple[LambdaTarget, ...]
    health: tuple[TargetHealth, ...]


@dataclass(frozen=True)
class LoadBalancer:
    arn: str
    name: str
    dns_name: str
    state: str


@dataclass(frozen=True)
class EdgeFunction:
    """A Lambda@Edge association of a CloudFront cache behavior."""

    arn: str  # as CloudFront holds it: it must name a numbered version
    event_type: str  # viewer-request | viewer-response | origin-request | origin-response
    behavior: str  # the path pattern, "*" for the default behavior
    include_body: bool
    target: LambdaTarget | None  # None when the ARN is not a function ARN


@dataclass(frozen=True)
class Origin:
    id: str
    domain: str
    path: str  # OriginPath, e.g. "/prod"
    protocol_policy: str | None  # custom origins: http-only | https-only | match-viewer


@dataclass(frozen=True)
class Distribution:
    id: str
    arn: str
    domain: str
    origins: tuple[Origin, ...]
    edge_functions: tuple[EdgeFunction, ...]
    function_associations: int = 0  # CloudFront Functions (not Lambda): counted, not checked


@dataclass(frozen=True)
class FunctionUrl:
    target: LambdaTarget
    url: str
    auth_type: str  # NONE | AWS_IAM
    invoke_mode: str  # BUFFERED | RESPONSE_STREAM
    created: str | None = None  # ISO time: URLs created from October 2025 need lambda:InvokeFunction too


@dataclass(frozen=True)
class Inventory:
    api: ApiInfo
    region: str
    account: str
    endpoint_types: tuple[str, ...]  # REST: EDGE | REGIONAL | PRIVATE; HTTP APIs: ("REGIONAL",)
    routes: tuple[Route, ...]
    stages: tuple[Stage, ...]
    bindings: tuple[Binding, ...]
    authorizers: tuple[Authorizer, ...] = ()
    load_balancers: tuple[LoadBalancer, ...] = ()
    target_groups: tuple[TargetGroup, ...] = ()
    function_urls: tuple[FunctionUrl, ...] = ()
    distribution: Distribution | None = None  # the CloudFront distribution in front, when checked from it
    requested_path: str | None = None  # the path of the URL the check started from
    notes: tuple[str, ...] = ()  # what the inventory left out, said once

    @property
    def protocol(self) -> str:
        return self.api.protocol

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self.stages)

    def targets(self) -> tuple[LambdaTarget, ...]:
        """Every distinct function + qualifier invoked by a route, an authorizer, a target group or a
        function URL, in that order (Lambda@Edge functions are the edge check's: they live in us-east-1)."""
        seen: dict[LambdaTarget, None] = {}
        for binding in self.bindings:
            if binding.target is not None:
                seen.setdefault(binding.target, None)
        for authorizer in self.authorizers:
            if authorizer.function is not None:
                seen.setdefault(authorizer.function, None)
        for group in self.target_groups:
            for target in group.targets:
                seen.setdefault(target, None)
        for url in self.function_urls:
            seen.setdefault(url.target, None)
        return tuple(seen)

    def functions(self) -> tuple[LambdaTarget, ...]:
        """Every distinct function (qualifiers dropped)."""
        return tuple(dict.fromkeys(target.function for target in self.targets()))

    def bindings_for(self, target: LambdaTarget) -> tuple[Binding, ...]:
        return tuple(binding for binding in self.bindings if binding.target == target)

    def lambda_routes(self) -> tuple[Route, ...]:
        return tuple(route for route in self.routes if route.integration and route.integration.is_lambda)

    def authorizer(self, authorizer_id: str | None) -> Authorizer | None:
        return next((a for a in self.authorizers if a.id == authorizer_id), None)

    def integration_arn(self, route: Route) -> str:
        """The API Gateway resource ARN of a route's integration (what findings about it name)."""
        base = f"arn:aws:apigateway:{self.region}::"
        if self.protocol == "REST":
            return f"{base}/restapis/{self.api.id}/resources/{route.resource_id}/methods/{route.method}/integration"
        integration_id = route.integration.integration_id if route.integration else None
        return f"{base}/apis/{self.api.id}/integrations/{integration_id}"
