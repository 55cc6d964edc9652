"""The model of a CloudFormation template (SAM already expanded into CloudFormation)."""

from __future__ import annotations

import os
from typing import Any

from bot.lint.intrinsics import Resolver, ref_token
from bot.lint.model.model import (
    Api,
    Authorizer,
    Code,
    Function,
    Integration,
    LoadBalancer,
    Model,
    Permission,
    Place,
    Route,
    Stage,
    Target,
    TargetGroup,
)
from bot.lint.model.openapi import read_body
from bot.lint.model.references import find_target, identity_names
from bot.lint.sources import Template

MULTI_VALUE_HEADERS = "lambda.multi_value_headers.enabled"


class _Builder:
    def __init__(self, template: Template, resources: dict[str, Any]) -> None:
        self.template = template
        self.resources = resources
        self.resolver = Resolver(resources, _mapping(template.data.get("Parameters")),
                                 _mapping(template.data.get("Mappings")))
        self.model = Model(template)

    def of_type(self, *types: str) -> list[tuple[str, dict[str, Any]]]:
        return [(lid, _mapping(r.get("Properties"))) for lid, r in self.resources.items()
                if isinstance(r, dict) and r.get("Type") in types]

    def place(self, logical_id: str) -> Place:
        t = self.template
        return Place(t.path, t.label(logical_id), t.line_of(logical_id), t.written_id(logical_id))

    def text(self, value: Any) -> str | None:
        return self.resolver.text(value)

    def find(self, reference: str | None) -> Target | None:
        return find_target(reference, self.model.functions)

    def api_for(self, value: Any) -> Api | None:
        wanted = self.text(value)
        return next((api for api in self.model.apis if api.id_text == wanted), None)

    # ---------------------------------------------------------------------------- resources
    def functions(self) -> None:
        for lid, props in self.of_type("AWS::Lambda::Function"):
            timeout = self.resolver.number(props.get("Timeout"))
            self.model.functions.append(Function(
                key=lid, place=self.place(lid),
                names=identity_names(ref_token(lid), self.text(props.get("FunctionName"))),
                runtime=self.text(props.get("Runtime")), handler=self.text(props.get("Handler")),
                timeout=timeout if timeout is not None else 3, timeout_written=timeout is not None,
                reserved_concurrency=self.resolver.number(props.get("ReservedConcurrentExecutions")),
                package_type=self.text(props.get("PackageType")) or "Zip",
                has_layers=bool(props.get("Layers")), code=self._code(lid, props),
                build_method=self.template.build_methods.get(self.template.written_id(lid)),
            ))

    def _code(self, lid: str, props: dict[str, Any]) -> Code | None:
        local = self.template.local_code.get(self.template.written_id(lid))
        code = props.get("Code")
        if local is None and isinstance(code, str):  # before `aws cloudformation package`
            local = os.path.join(self.template.base_dir, code)
        if local is not None:
            if os.path.isdir(local):
                return Code("folder", local)
            if os.path.isfile(local) and local.lower().endswith((".zip", ".jar")):
                return Code("zip", local)
            return None
        inline = self.text(code.get("ZipFile")) if isinstance(code, dict) else None
        return Code("inline", text=inline) if inline else None

    def permissions(self) -> None:
        for lid, props in self.of_type("AWS::Lambda::Permission"):
            self.model.permissions.append(Permission(
                key=lid, place=self.place(lid), target=self.find(self.text(props.get("FunctionName"))),
                principal=self.text(props.get("Principal")), action=self.text(props.get("Action")),
                source_arn=self.text(props.get("SourceArn")), source_account=self.text(props.get("SourceAccount")),
            ))

    def rest_apis(self) -> None:
        for lid, props in self.of_type("AWS::ApiGateway::RestApi"):
            api = Api(lid, self.place(lid), "REST", ref_token(lid))
            self.model.apis.append(api)
            self._body(api, props.get("Body"), lid)
        paths = self._resource_paths()
        for lid, props in self.of_type("AWS::ApiGateway::Method"):
            api = self.api_for(props.get("RestApiId"))
            if api is None:
                continue
            resource = self.text(props.get("ResourceId")) or ""
            path = "/" if resource == ref_token(f"{api.key}.RootResourceId") else paths.get(resource)
            method = (self.text(props.get("HttpMethod")) or "ANY").upper()
            raw = _mapping(props.get("Integration"))
            integration = self._integration(lid, raw.get("Type"), raw.get("IntegrationHttpMethod"), raw.get("Uri"),
                                            raw.get("TimeoutInMillis")) if raw else None
            self.model.routes.append(Route(api, method, path or "/{unknown}", integration, self.place(lid)))
        for lid, props in self.of_type("AWS::ApiGateway::Authorizer"):
            api = self.api_for(props.get("RestApiId"))
            kind = (self.text(props.get("Type")) or "").upper()
            if api and kind in ("TOKEN", "REQUEST"):
                self.model.authorizers.append(Authorizer(api, lid, ref_token(lid),
                                                         self.find(self.text(props.get("AuthorizerUri"))),
                                                         self.place(lid)))
        self._rest_stages()

    def _resource_paths(self) -> dict[str, str]:
        """`‹MyResource›` -> its full path, following ParentId up to the API's root."""
        parents = {ref_token(lid): (self.text(p.get("ParentId")) or "", self.text(p.get("PathPart")) or "")
                   for lid, p in self.of_type("AWS::ApiGateway::Resource")}
        paths: dict[str, str] = {}
        for token in parents:
            parts, current, seen = [], token, set()
            while current in parents and current not in seen:
                seen.add(current)
                parent, part = parents[current]
                parts.append(part)
                current = parent
            paths[token] = "/" + "/".join(reversed(parts))
        return paths

    def _rest_stages(self) -> None:
        for lid, props in self.of_type("AWS::ApiGateway::Stage"):
            api = self.api_for(props.get("RestApiId"))
            name = self.text(props.get("StageName"))
            if api and name:
                api.stages.append(Stage(name, self.place(lid), _logging_level(self.resolver.resolve(
                    props.get("MethodSettings"))), bool(props.get("AccessLogSetting"))))
        for lid, props in self.of_type("AWS::ApiGateway::Deployment"):
            api = self.api_for(props.get("RestApiId"))
            name = self.text(props.get("StageName"))
            if api and name and name not in {s.name for s in api.stages}:
                description = _mapping(self.resolver.resolve(props.get("StageDescription")))
                level = description.get("LoggingLevel") or _logging_level(description.get("MethodSettings"))
                api.stages.append(Stage(name, self.place(lid), str(level) if level else None,
                                        bool(description.get("AccessLogSetting"))))

    def v2_apis(self) -> None:
        integrations: dict[str, Integration] = {}
        for lid, props in self.of_type("AWS::ApiGatewayV2::Api"):
            protocol = (self.text(props.get("ProtocolType")) or "HTTP").upper()
            api = Api(lid, self.place(lid), "WEBSOCKET" if protocol == "WEBSOCKET" else "HTTP", ref_token(lid))
            self.model.apis.append(api)
            self._body(api, props.get("Body"), lid)
            if props.get("Target") is not None:  # quick create: a $default route and stage
                integration = self._integration(lid, "AWS_PROXY", None, props.get("Target"), None)
                route_key = self.text(props.get("RouteKey")) or "$default"
                method, _, path = route_key.partition(" ") if " " in route_key else ("ANY", "", route_key)
                self.model.routes.append(Route(api, method, path, integration, self.place(lid)))
                api.stages.append(Stage("$default", self.place(lid)))
        for lid, props in self.of_type("AWS::ApiGatewayV2::Integration"):
            integrations[ref_token(lid)] = self._integration(
                lid, props.get("IntegrationType"), props.get("IntegrationMethod"), props.get("IntegrationUri"),
                props.get("TimeoutInMillis"), props.get("PayloadFormatVersion"))
        for lid, props in self.of_type("AWS::ApiGatewayV2::Route"):
            api = self.api_for(props.get("ApiId"))
            route_key = self.text(props.get("RouteKey")) or ""
            if api is None or not route_key:
                continue
            target = (self.text(props.get("Target")) or "").removeprefix("integrations/")
            if api.protocol == "HTTP" and " " in route_key:
                method, path = route_key.split(" ", 1)
            else:
                method, path = "ANY", route_key
            self.model.routes.append(Route(api, method.upper(), path, integrations.get(target), self.place(lid)))
        for lid, props in self.of_type("AWS::ApiGatewayV2::Authorizer"):
            api = self.api_for(props.get("ApiId"))
            if api and (self.text(props.get("AuthorizerType")) or "").upper() == "REQUEST":
                self.model.authorizers.append(Authorizer(api, lid, ref_token(lid),
                                                         self.find(self.text(props.get("AuthorizerUri"))),
                                                         self.place(lid)))
        for lid, props in self.of_type("AWS::ApiGatewayV2::Stage"):
            api = self.api_for(props.get("ApiId"))
            name = self.text(props.get("StageName"))
            if api is None or not name:
                continue
            access = _mapping(self.resolver.resolve(props.get("AccessLogSettings")))
            route_settings = _mapping(self.resolver.resolve(props.get("DefaultRouteSettings")))
            api.stages = [s for s in api.stages if s.name != name]
            api.stages.append(Stage(name, self.place(lid), _text(route_settings.get("LoggingLevel")),
                                    bool(access.get("DestinationArn")), _text(access.get("Format"))))

    def _body(self, api: Api, body: Any, lid: str) -> None:
        if body is None:
            return
        routes, authorizers = read_body(self.resolver.resolve(body), api, self.place(lid), self.find,
                                        self.resolver.number)
        self.model.routes += routes
        self.model.authorizers += authorizers

    def _integration(self, lid: str, kind: Any, method: Any, uri: Any, timeout: Any,
                     payload: Any = None) -> Integration:
        kind_text = (self.text(kind) or "").upper()
        uri_text = self.text(uri)
        is_lambda = kind_text in ("AWS_PROXY", "AWS") and bool(uri_text) and ":lambda:" in (uri_text or "")
        return Integration(kind_text, (self.text(method) or "").upper() or None,
                           self.find(uri_text) if is_lambda else None, self.resolver.number(timeout),
                           self.place(lid), self.text(payload))

    def target_groups(self) -> None:
        for lid, props in self.of_type("AWS::ElasticLoadBalancingV2::TargetGroup"):
            if (self.text(props.get("TargetType")) or "").lower() != "lambda":
                continue
            attributes = {str(a.get("Key")): self.text(a.get("Value")) for a in _list(self.resolver.resolve(
                props.get("TargetGroupAttributes"))) if isinstance(a, dict)}
            group = TargetGroup(lid, self.place(lid), self.resolver.ref(lid),
                                multi_value_headers=(attributes.get(MULTI_VALUE_HEADERS) or "").lower() == "true")
            for target in _list(self.resolver.resolve(props.get("Targets"))):
                found = self.find(_text(target.get("Id")) if isinstance(target, dict) else None)
                if found:
                    group.targets.append(found)
            self.model.target_groups.append(group)
        for lid, props in self.of_type("AWS::ElasticLoadBalancingV2::LoadBalancer"):
            attributes = {str(a.get("Key")): self.text(a.get("Value")) for a in _list(self.resolver.resolve(
                props.get("LoadBalancerAttributes"))) if isinstance(a, dict)}
            self.model.load_balancers.append(LoadBalancer(
                lid, self.place(lid), (attributes.get("access_logs.s3.enabled") or "").lower() == "true",
                (self.text(props.get("Type")) or "application") == "application"))


def build(template: Template, resources: dict[str, Any]) -> Model:
    """`resources`: the template's resources with SAM expanded."""
    builder = _Builder(template, resources)
    builder.functions()
    builder.permissions()
    builder.rest_apis()
    builder.v2_apis()
    builder.target_groups()
    return builder.model


def _logging_level(method_settings: Any) -> str | None:
    """The level for every method (`/*`, `*`), else any level set."""
    levels = [(s.get("ResourcePath"), s.get("HttpMethod"), s.get("LoggingLevel"))
              for s in _list(method_settings) if isinstance(s, dict) and s.get("LoggingLevel")]
    for path, method, level in levels:
        if path in ("/*", None) and method in ("*", None):
            return str(level)
    return str(levels[0][2]) if levels else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
