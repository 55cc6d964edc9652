"""What the rules look at, the same whatever the input was: functions, the permissions on them,
APIs with their stages and routes, integrations, authorizers, ALB target groups.

Identities are resolved text (see bot.lint.intrinsics): an API's `id_text` is `‹MyApi›` for a
resource of the template, or a literal id a Terraform plan already knows."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.lint.sources import Source


@dataclass(frozen=True)
class Place:
    """Where a finding is reported: the file, the resource as the user wrote it, its line."""

    file: str
    resource: str
    line: int = 1
    logical_id: str = ""  # the id in the template (CloudFormation) or the address (Terraform)


@dataclass(frozen=True)
class Code:
    """A function's code on this machine: a folder, a zip, or inline text (CloudFormation ZipFile,
    SAM InlineCode, where the file is `index`)."""

    kind: str  # folder | zip | inline
    path: str | None = None
    text: str | None = None


@dataclass
class Function:
    key: str
    place: Place
    names: tuple[str, ...]  # what identifies it in resolved text: its token, its literal name
    runtime: str | None = None
    handler: str | None = None
    timeout: int = 3  # seconds; Lambda's default
    timeout_written: bool = False
    reserved_concurrency: int | None = None
    package_type: str = "Zip"
    has_layers: bool = False
    code: Code | None = None
    build_method: str | None = None  # SAM Metadata.BuildMethod (esbuild, makefile...)

    @property
    def label(self) -> str:
        return self.place.resource


@dataclass(frozen=True)
class Target:
    """What an integration, authorizer or target group calls. function None: a function
    outside this template (an import, a parameter, another stack), which lint cannot check."""

    reference: str
    function: Function | None
    qualifier: str | None = None

    @property
    def label(self) -> str:
        name = self.function.label if self.function else self.reference
        return f"{name}:{self.qualifier}" if self.qualifier else name


@dataclass
class Permission:
    key: str
    place: Place
    target: Target | None
    principal: str | None
    action: str | None
    source_arn: str | None  # resolved; None: no SourceArn condition
    source_account: str | None = None
    references: tuple[str, ...] = ()  # Terraform: what an unknown-until-apply SourceArn refers to


@dataclass
class Stage:
    name: str
    place: Place
    logging_level: str | None = None  # REST / WebSocket execution logging: OFF | ERROR | INFO
    access_log: bool = False
    access_log_format: str | None = None


@dataclass
class Api:
    key: str
    place: Place
    protocol: str  # REST | HTTP | WEBSOCKET
    id_text: str
    stages: list[Stage] = field(default_factory=list)

    @property
    def label(self) -> str:
        """Its own name: SAM's implicit ServerlessRestApi is reported on the function that makes it."""
        return self.place.resource if self.place.logical_id == self.key else self.key


@dataclass(frozen=True)
class Integration:
    kind: str  # AWS_PROXY | AWS | HTTP | HTTP_PROXY | MOCK
    http_method: str | None
    target: Target | None
    timeout_ms: int | None
    place: Place
    payload_format: str | None = None


@dataclass(frozen=True)
class Route:
    api: Api
    method: str  # GET, ..., ANY; "$default" routes and WebSocket routes use their route key as path
    path: str
    integration: Integration | None
    place: Place

    @property
    def key(self) -> str:
        if self.api.protocol == "WEBSOCKET" or self.path == "$default":
            return self.path
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Authorizer:
    api: Api
    key: str
    id_text: str
    target: Target | None
    place: Place


@dataclass
class TargetGroup:
    key: str
    place: Place
    arn_text: str
    targets: list[Target] = field(default_factory=list)
    multi_value_headers: bool = False


@dataclass
class LoadBalancer:
    key: str
    place: Place
    access_logs: bool
    is_application: bool = True


@dataclass
class Model:
    source: Source
    functions: list[Function] = field(default_factory=list)
    permissions: list[Permission] = field(default_factory=list)
    apis: list[Api] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    authorizers: list[Authorizer] = field(default_factory=list)
    target_groups: list[TargetGroup] = field(default_factory=list)
    load_balancers: list[LoadBalancer] = field(default_factory=list)

    def permissions_for(self, target: Target) -> list[Permission]:
        """Permissions on exactly what the target calls: Lambda keeps one policy per function,
        and one per alias or version."""
        return [p for p in self.permissions if p.target and p.target.function is target.function
                and p.target.function is not None and p.target.qualifier == target.qualifier]

    def permissions_on_function(self, function: Function) -> list[Permission]:
        return [p for p in self.permissions if p.target and p.target.function is function]

    def lambda_routes(self) -> list[Route]:
        return [r for r in self.routes if r.integration and r.integration.target]
