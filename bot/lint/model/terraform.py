"""The model of a Terraform plan (`terraform show -json plan.out`).

Values come from `planned_values`; what is unknown until apply (the id of an API created by this
plan, an ARN built from it) comes from `configuration`, whose expressions name what they refer
to: `aws_api_gateway_rest_api.api.execution_arn` becomes that API's token, as `${MyApi}` does
in CloudFormation. Child modules are read with their addresses.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from bot.lint.intrinsics import PSEUDO, function_arn, has_token, ref_token, unknown_token
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
from bot.lint.sources import TerraformPlan

_INDEX = re.compile(r"\[[^\]]*\]")
_APIS = ("aws_api_gateway_rest_api", "aws_apigatewayv2_api")


class _Plan:
    """Resources by address, with their planned values and configuration expressions."""

    def __init__(self, plan: TerraformPlan) -> None:
        self.plan = plan
        self.values: dict[str, dict[str, Any]] = {}
        self.types: dict[str, str] = {}
        self.expressions: dict[str, dict[str, Any]] = {}
        self.module_of: dict[str, str] = {}
        self._planned((plan.data.get("planned_values") or {}).get("root_module") or {})
        self._configured((plan.data.get("configuration") or {}).get("root_module") or {}, "")

    def _planned(self, module: dict[str, Any]) -> None:
        for resource in module.get("resources") or []:
            if isinstance(resource, dict) and resource.get("mode", "managed") == "managed" and resource.get("address"):
                address = str(resource["address"])
                self.values[address] = resource.get("values") or {}
                self.types[address] = str(resource.get("type"))
        for child in module.get("child_modules") or []:
            if isinstance(child, dict):
                self._planned(child)

    def _configured(self, module: dict[str, Any], prefix: str) -> None:
        for resource in module.get("resources") or []:
            if isinstance(resource, dict) and resource.get("address"):
                address = prefix + str(resource["address"])
                self.expressions[address] = resource.get("expressions") or {}
                self.module_of[address] = prefix
                self.types.setdefault(address, str(resource.get("type")))
        for name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, dict) and isinstance(call.get("module"), dict):
                self._configured(call["module"], f"{prefix}module.{name}.")

    def of_type(self, *types: str) -> list[str]:
        return [address for address, kind in self.types.items() if kind in types and address in self.values]

    def config_address(self, address: str) -> str:
        return _INDEX.sub("", address)

    def references(self, address: str, attribute: str) -> list[str]:
        expression = self.expressions.get(self.config_address(address), {}).get(attribute)
        if isinstance(expression, list) and expression and isinstance(expression[0], dict):
            expression = expression[0]
        refs = expression.get("references") if isinstance(expression, dict) else None
        prefix = self.module_of.get(self.config_address(address), "")
        return [prefix + _INDEX.sub("", str(r)) for r in refs or [] if isinstance(r, str)]

    def value(self, address: str, attribute: str) -> Any:
        value = self.values.get(address, {}).get(attribute)
        if value is not None:
            return value
        expression = self.expressions.get(self.config_address(address), {}).get(attribute)
        if isinstance(expression, dict) and "constant_value" in expression:
            return expression["constant_value"]
        return None

    def block(self, address: str, attribute: str) -> dict[str, Any]:
        value = self.values.get(address, {}).get(attribute)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return value[0]
        return value if isinstance(value, dict) else {}


class _Builder:
    def __init__(self, plan: TerraformPlan) -> None:
        self.p = _Plan(plan)
        self.model = Model(plan)

    def place(self, address: str) -> Place:
        return Place(self.p.plan.path, address, 1, address)

    # ------------------------------------------------------------------ reference rendering
    def text(self, address: str, attribute: str) -> str | None:
        value = self.p.value(address, attribute)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        for reference in self.p.references(address, attribute):
            rendered = self.render(reference)
            if rendered is not None:
                return rendered
        return None

    def render(self, reference: str) -> str | None:
        """`aws_lambda_function.fn.arn` -> the text it stands for (literal when the plan knows it)."""
        if reference.startswith(("var.", "local.", "data.")) or ".module." in reference:
            return unknown_token(reference.split(".")[1] if "." in reference else reference)
        resource, _, attribute = reference.rpartition(".")
        if resource not in self.p.types:
            resource, attribute = reference, "id"
            if resource not in self.p.types:
                return None
        known = self.p.values.get(resource, {}).get(attribute)
        if isinstance(known, str) and known:
            return known
        kind = self.p.types[resource]
        token = self.identity(resource)
        if kind == "aws_lambda_function":
            return {"arn": function_arn(token), "qualified_arn": function_arn(token),
                    "invoke_arn": _invoke_arn(function_arn(token))}.get(attribute, token)
        if kind == "aws_lambda_alias":
            function = self.text(resource, "function_name") or unknown_token("function")
            base = function if function.startswith("arn:") else function_arn(function)
            arn = f"{base}:{self.text(resource, 'name') or ref_token(resource)}"
            return _invoke_arn(arn) if attribute == "invoke_arn" else arn
        if kind in _APIS and attribute == "execution_arn":
            return (f"arn:{PSEUDO['AWS::Partition']}:execute-api:{PSEUDO['AWS::Region']}:{PSEUDO['AWS::AccountId']}:"
                    f"{token}")
        if kind in _APIS and attribute == "root_resource_id":
            return ref_token(f"{resource}.root_resource_id")
        if kind in ("aws_lb_target_group", "aws_alb_target_group") and attribute in ("arn", "id"):
            return (f"arn:{PSEUDO['AWS::Partition']}:elasticloadbalancing:{PSEUDO['AWS::Region']}:"
                    f"{PSEUDO['AWS::AccountId']}:targetgroup/{token}")
        return token if attribute in ("id", "name", "function_name", "stage_name") else ref_token(reference)

    def identity(self, address: str) -> str:
        known = self.p.values.get(address, {}).get("id")
        kind = self.p.types.get(address)
        if kind in _APIS and isinstance(known, str) and known and not has_token(known):
            return known
        return ref_token(address)

    def find(self, reference: str | None) -> Target | None:
        return find_target(reference, self.model.functions)

    def api_of(self, address: str, attribute: str) -> Api | None:
        wanted = self.text(address, attribute)
        return next((api for api in self.model.apis if api.id_text == wanted), None)

    def number(self, value: Any) -> int | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return int(value)
        return int(value) if isinstance(value, str) and value.isdigit() else None

    # ------------------------------------------------------------------------- resources
    def functions(self) -> None:
        for address in self.p.of_type("aws_lambda_function"):
            timeout = self.number(self.p.value(address, "timeout"))
            reserved = self.number(self.p.value(address, "reserved_concurrent_executions"))
            filename = self.p.value(address, "filename")
            code = None
            if isinstance(filename, str):
                path = filename if os.path.isabs(filename) else os.path.join(self.p.plan.base_dir, filename)
                code = Code("zip", path) if os.path.isfile(path) else None
            self.model.functions.append(Function(
                key=address, place=self.place(address),
                names=identity_names(ref_token(address), self.text(address, "function_name")),
                runtime=self.text(address, "runtime"), handler=self.text(address, "handler"),
                timeout=timeout if timeout is not None else 3, timeout_written=timeout is not None,
                reserved_concurrency=reserved, package_type=self.text(address, "package_type") or "Zip",
                has_layers=bool(self.p.value(address, "layers")), code=code,
            ))

    def permissions(self) -> None:
        for address in self.p.of_type("aws_lambda_permission"):
            target = self.find(self.text(address, "function_name"))
            qualifier = self.text(address, "qualifier")
            if target and qualifier:
                target = Target(target.reference, target.function, qualifier)
            source_arn = self.p.value(address, "source_arn")
            references: tuple[str, ...] = ()
            if not isinstance(source_arn, str):
                source_arn = None
                rendered = [self.render(r) for r in self.p.references(address, "source_arn")]
                known = [r for r in rendered if r]
                if known:  # `${aws_api_gateway_rest_api.api.execution_arn}/*/...`: the API at least
                    references = (known[0] + ("/*" if ":execute-api:" in known[0] else ""),)
                elif self.p.references(address, "source_arn"):
                    references = ("*",)
            self.model.permissions.append(Permission(
                address, self.place(address), target, self.text(address, "principal"), self.text(address, "action"),
                source_arn, self.text(address, "source_account"), references))

    def apis(self) -> None:
        for address in self.p.of_type(*_APIS):
            kind = self.p.types[address]
            protocol = "REST" if kind == "aws_api_gateway_rest_api" else (
                "WEBSOCKET" if str(self.p.value(address, "protocol_type")).upper() == "WEBSOCKET" else "HTTP")
            api = Api(address, self.place(address), protocol, self.identity(address))
            self.model.apis.append(api)
            body = self.p.value(address, "body")
            if isinstance(body, str) and body.strip():
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                routes, authorizers = read_body(parsed, api, api.place, self.find, self.number)
                self.model.routes += routes
                self.model.authorizers += authorizers
            target = self.text(address, "target")
            if protocol == "HTTP" and target:
                integration = Integration("AWS_PROXY", None, self.find(target), None, api.place)
                self.model.routes.append(Route(api, "ANY", "$default", integration, api.place))
                api.stages.append(Stage("$default", api.place, access_log=False))

    def rest_routes(self) -> None:
        paths = self._resource_paths()
        for address in self.p.of_type("aws_api_gateway_integration"):
            api = self.api_of(address, "rest_api_id")
            if api is None:
                continue
            resource = self.text(address, "resource_id") or ""
            path = "/" if resource.endswith(".root_resource_id\u203a") else paths.get(resource, "/{unknown}")
            uri = self.text(address, "uri")
            kind = (self.text(address, "type") or "").upper()
            integration = Integration(kind, (self.text(address, "integration_http_method") or "").upper() or None,
                                      self.find(uri) if kind in ("AWS", "AWS_PROXY") and uri and ":lambda:" in uri else None,
                                      self.number(self.p.value(address, "timeout_milliseconds")), self.place(address))
            method = (self.text(address, "http_method") or "ANY").upper()
            self.model.routes.append(Route(api, method, path, integration, self.place(address)))
        for address in self.p.of_type("aws_api_gateway_authorizer"):
            api = self.api_of(address, "rest_api_id")
            if api and (self.text(address, "type") or "TOKEN").upper() in ("TOKEN", "REQUEST"):
                self.model.authorizers.append(Authorizer(api, address, self.identity(address),
                                                         self.find(self.text(address, "authorizer_uri")),
                                                         self.place(address)))

    def _resource_paths(self) -> dict[str, str]:
        parents = {}
        for address in self.p.of_type("aws_api_gateway_resource"):
            known = self.p.values[address].get("path")
            parents[self.identity(address)] = (self.text(address, "parent_id") or "",
                                               self.text(address, "path_part") or "", known)
        paths = {}
        for token, (_, _, known) in parents.items():
            if isinstance(known, str) and known:
                paths[token] = known
                continue
            parts, current, seen = [], token, set()
            while current in parents and current not in seen:
                seen.add(current)
                parent, part, _ = parents[current]
                parts.append(part)
                current = parent
            paths[token] = "/" + "/".join(reversed(parts))
        return paths

    def stages(self) -> None:
        levels: dict[tuple[str, str], str] = {}
        for address in self.p.of_type("aws_api_gateway_method_settings"):
            settings = self.p.block(address, "settings")
            if settings.get("logging_level") and self.p.value(address, "method_path") in ("*/*", None):
                key = (self.text(address, "rest_api_id") or "", self.text(address, "stage_name") or "")
                levels[key] = str(settings["logging_level"])
        for address in self.p.of_type("aws_api_gateway_stage"):
            api = self.api_of(address, "rest_api_id")
            name = self.text(address, "stage_name")
            if api and name:
                level = levels.get((api.id_text, name)) or levels.get((api.id_text, self.identity(address)))
                api.stages.append(Stage(name, self.place(address), level,
                                        bool(self.p.block(address, "access_log_settings"))))
        for address in self.p.of_type("aws_api_gateway_deployment"):
            api = self.api_of(address, "rest_api_id")
            name = self.text(address, "stage_name")
            if api and name and name not in {s.name for s in api.stages}:
                api.stages.append(Stage(name, self.place(address), levels.get((api.id_text, name))))
        for address in self.p.of_type("aws_apigatewayv2_stage"):
            api = self.api_of(address, "api_id")
            name = self.text(address, "name")
            if api is None or not name:
                continue
            access = self.p.block(address, "access_log_settings")
            route_settings = self.p.block(address, "default_route_settings")
            api.stages = [s for s in api.stages if s.name != name]
            api.stages.append(Stage(name, self.place(address), _str(route_settings.get("logging_level")),
                                    bool(access.get("destination_arn")), _str(access.get("format"))))

    def v2_routes(self) -> None:
        integrations: dict[str, Integration] = {}
        for address in self.p.of_type("aws_apigatewayv2_integration"):
            uri = self.text(address, "integration_uri")
            kind = (self.text(address, "integration_type") or "").upper()
            integrations[address] = Integration(
                kind, (self.text(address, "integration_method") or "").upper() or None,
                self.find(uri) if kind in ("AWS", "AWS_PROXY") and uri and ":lambda:" in uri else None,
                self.number(self.p.value(address, "timeout_milliseconds")), self.place(address),
                self.text(address, "payload_format_version"))
        for address in self.p.of_type("aws_apigatewayv2_route"):
            api = self.api_of(address, "api_id")
            route_key = self.text(address, "route_key") or ""
            if api is None or not route_key:
                continue
            candidates = [r for x in self.p.references(address, "target") for r in (x, x.rsplit(".", 1)[0])]
            target = next((integrations[r] for r in candidates if r in integrations), None)
            known = self.p.value(address, "target")
            if target is None and isinstance(known, str):
                integration_id = known.removeprefix("integrations/")
                target = next((i for a, i in integrations.items() if self.p.values[a].get("id") == integration_id), None)
            method, path = route_key.split(" ", 1) if api.protocol == "HTTP" and " " in route_key else ("ANY", route_key)
            self.model.routes.append(Route(api, method.upper(), path, target, self.place(address)))
        for address in self.p.of_type("aws_apigatewayv2_authorizer"):
            api = self.api_of(address, "api_id")
            if api and (self.text(address, "authorizer_type") or "").upper() == "REQUEST":
                self.model.authorizers.append(Authorizer(api, address, self.identity(address),
                                                         self.find(self.text(address, "authorizer_uri")),
                                                         self.place(address)))

    def load_balancing(self) -> None:
        groups: dict[str, TargetGroup] = {}
        for address in self.p.of_type("aws_lb_target_group", "aws_alb_target_group"):
            if (self.text(address, "target_type") or "").lower() != "lambda":
                continue
            group = TargetGroup(address, self.place(address), self.render(f"{address}.arn") or ref_token(address),
                                multi_value_headers=bool(self.p.value(address, "lambda_multi_value_headers_enabled")))
            groups[group.arn_text] = group
            self.model.target_groups.append(group)
        for address in self.p.of_type("aws_lb_target_group_attachment", "aws_alb_target_group_attachment"):
            group = groups.get(self.text(address, "target_group_arn") or "")
            target = self.find(self.text(address, "target_id"))
            if group and target:
                group.targets.append(target)
        for address in self.p.of_type("aws_lb", "aws_alb"):
            logs = self.p.block(address, "access_logs")
            self.model.load_balancers.append(LoadBalancer(
                address, self.place(address), bool(logs.get("enabled")),
                (self.text(address, "load_balancer_type") or "application") == "application"))


def build(plan: TerraformPlan) -> Model:
    builder = _Builder(plan)
    builder.functions()
    builder.permissions()
    builder.apis()
    builder.rest_routes()
    builder.stages()
    builder.v2_routes()
    builder.load_balancing()
    return builder.model


def _invoke_arn(function: str) -> str:
    return f"arn:{PSEUDO['AWS::Partition']}:apigateway:{PSEUDO['AWS::Region']}:lambda:path/2015-03-31/functions/{function}/invocations"


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) and value != "" else None
