"""SAM's expansion rules that matter for 5XX, for when the SAM translator is not installed:
functions (Globals, AutoPublishAlias), `Api` and `HttpApi` events (the implicit APIs, the
routes added to the definition, the permissions with stage `*`), `AWS::Serverless::Api` and
`AWS::Serverless::HttpApi` (definition body, stage, logging settings, Lambda authorizers and
their permissions). The output has the translator's shape, so one model reads both."""

from __future__ import annotations

import copy
import re
from typing import Any

_PATH_PARAMETER = re.compile(r"\{[^}/]*\}")
_FUNCTION_PROPERTIES = ("FunctionName", "Handler", "Runtime", "Timeout", "ReservedConcurrentExecutions",
                        "PackageType", "Layers", "MemorySize")
_EXECUTE_API = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}"
_INVOCATIONS = "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/{}/invocations"


def expand_sam(data: dict[str, Any]) -> dict[str, Any]:
    written = data.get("Resources") or {}
    globals_ = data.get("Globals") if isinstance(data.get("Globals"), dict) else {}
    out: dict[str, Any] = {}
    apis: dict[str, dict[str, Any]] = {}  # API logical id -> its body, kept by reference
    for logical_id, resource in written.items():
        kind = resource.get("Type") if isinstance(resource, dict) else None
        properties = _merged(globals_, kind, resource)
        if kind == "AWS::Serverless::Api":
            apis[logical_id] = _rest_api(out, logical_id, properties)
        elif kind == "AWS::Serverless::HttpApi":
            apis[logical_id] = _http_api(out, logical_id, properties)
        elif isinstance(kind, str) and not kind.startswith("AWS::Serverless::"):
            out[logical_id] = resource
    for logical_id, resource in written.items():
        if isinstance(resource, dict) and resource.get("Type") == "AWS::Serverless::Function":
            _function(out, apis, globals_, logical_id, _merged(globals_, "AWS::Serverless::Function", resource))
    return out


def _merged(globals_: dict[str, Any], kind: Any, resource: Any) -> dict[str, Any]:
    section = {"AWS::Serverless::Function": "Function", "AWS::Serverless::Api": "Api",
               "AWS::Serverless::HttpApi": "HttpApi"}.get(kind)
    properties = (resource.get("Properties") or {}) if isinstance(resource, dict) else {}
    defaults = globals_.get(section) if section and isinstance(globals_.get(section), dict) else {}
    return {**copy.deepcopy(defaults), **properties}


# --------------------------------------------------------------------------------- APIs
def _rest_api(out: dict[str, Any], logical_id: str, properties: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(properties.get("DefinitionBody")) or {"swagger": "2.0", "paths": {}}
    api: dict[str, Any] = {"Body": body}
    out[logical_id] = {"Type": "AWS::ApiGateway::RestApi", "Properties": api}
    stage = properties.get("StageName", "Prod")
    stage_properties = {"RestApiId": {"Ref": logical_id}, "StageName": stage}
    for key in ("MethodSettings", "AccessLogSetting", "Variables"):
        if key in properties:
            stage_properties[key] = properties[key]
    out[f"{logical_id}{_alnum(stage)}Stage"] = {"Type": "AWS::ApiGateway::Stage", "Properties": stage_properties}
    deployment: dict[str, Any] = {"RestApiId": {"Ref": logical_id}}
    if "OpenApiVersion" not in properties:
        deployment["StageName"] = "Stage"  # SAM's well-known extra stage
    out[f"{logical_id}Deployment"] = {"Type": "AWS::ApiGateway::Deployment", "Properties": deployment}
    _authorizers(out, logical_id, body, properties, http=False)
    return body


def _http_api(out: dict[str, Any], logical_id: str, properties: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(properties.get("DefinitionBody")) or {"openapi": "3.0.1", "paths": {}}
    out[logical_id] = {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Body": body}}
    stage_properties = {"ApiId": {"Ref": logical_id}, "StageName": properties.get("StageName", "$default"),
                        "AutoDeploy": True}
    for key in ("AccessLogSettings", "DefaultRouteSettings", "StageVariables"):
        if key in properties:
            stage_properties[key] = properties[key]
    out[f"{logical_id}ApiGatewayDefaultStage"] = {"Type": "AWS::ApiGatewayV2::Stage", "Properties": stage_properties}
    _authorizers(out, logical_id, body, properties, http=True)
    return body


def _authorizers(out: dict[str, Any], api_id: str, body: dict[str, Any], properties: dict[str, Any],
                 http: bool) -> None:
    auth = properties.get("Auth") if isinstance(properties.get("Auth"), dict) else {}
    for name, authorizer in (auth.get("Authorizers") or {}).items():
        if not isinstance(authorizer, dict) or "FunctionArn" not in authorizer:
            continue  # Cognito and JWT authorizers call no function
        kind = "request" if http or str(authorizer.get("FunctionPayloadType", "TOKEN")).upper() == "REQUEST" else "token"
        scheme = {"x-amazon-apigateway-authorizer": {"type": kind, "authorizerUri": {"Fn::Sub": [
            _INVOCATIONS.format("${__FunctionArn__}"), {"__FunctionArn__": authorizer["FunctionArn"]}]}}}
        if http:
            body.setdefault("components", {}).setdefault("securitySchemes", {})[name] = scheme
            if not authorizer.get("EnableFunctionDefaultPermissions"):
                continue  # HTTP API Lambda authorizers get a permission only when asked for
        else:
            body.setdefault("securityDefinitions", {})[name] = scheme
        out[f"{api_id}{name}AuthorizerPermission"] = _permission(
            authorizer["FunctionArn"], [f"{_EXECUTE_API}/authorizers/*", {"__ApiId__": {"Ref": api_id}}])


# ---------------------------------------------------------------------------- functions
def _function(out: dict[str, Any], apis: dict[str, dict[str, Any]], globals_: dict[str, Any], logical_id: str,
              properties: dict[str, Any]) -> None:
    function = {key: properties[key] for key in _FUNCTION_PROPERTIES if key in properties}
    if "InlineCode" in properties:
        function["Code"] = {"ZipFile": properties["InlineCode"]}
    elif "ImageUri" in properties:
        function["Code"] = {"ImageUri": properties["ImageUri"]}
    else:
        function["Code"] = {"S3Bucket": "placeholder", "S3Key": logical_id}
    out[logical_id] = {"Type": "AWS::Lambda::Function", "Properties": function}
    alias = properties.get("AutoPublishAlias")
    if isinstance(alias, str):
        alias_id = f"{logical_id}Alias{_alnum(alias)}"
        out[f"{logical_id}Version"] = {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": logical_id}}}
        out[alias_id] = {"Type": "AWS::Lambda::Alias", "Properties": {
            "FunctionName": {"Ref": logical_id}, "Name": alias, "FunctionVersion": {"Fn::GetAtt": [f"{logical_id}Version", "Version"]}}}
        invoke, in_uri = {"Ref": alias_id}, "${" + alias_id + "}"
    else:
        invoke, in_uri = {"Fn::GetAtt": [logical_id, "Arn"]}, "${" + logical_id + ".Arn}"
    for event_id, event in (properties.get("Events") or {}).items():
        if not isinstance(event, dict) or event.get("Type") not in ("Api", "HttpApi"):
            continue
        event_properties = event.get("Properties") if isinstance(event.get("Properties"), dict) else {}
        http = event["Type"] == "HttpApi"
        api_id = _api_id(out, apis, globals_, event_properties.get("ApiId" if http else "RestApiId"), http)
        if api_id is None:
            continue  # an API in another stack: SAM adds the permission, lint cannot see the API
        path = event_properties.get("Path") if isinstance(event_properties.get("Path"), str) else None
        method = str(event_properties.get("Method", "any")).lower()
        route_path = path if path else "$default"
        verb = "x-amazon-apigateway-any-method" if method in ("any", "*") or not path else method
        integration = {"type": "aws_proxy", "httpMethod": "POST", "uri": {"Fn::Sub": _INVOCATIONS.format(in_uri)}}
        if "TimeoutInMillis" in event_properties:
            integration["timeoutInMillis"] = event_properties["TimeoutInMillis"]
        if http:
            integration["payloadFormatVersion"] = event_properties.get("PayloadFormatVersion", "2.0")
        operations = apis[api_id].setdefault("paths", {}).setdefault(route_path, {})
        operations.setdefault(verb, {})["x-amazon-apigateway-integration"] = integration
        resource_part = "*" if not path else f"{'*' if method in ('any', '*') else method.upper()}/{_arn_path(path)}"
        out[f"{logical_id}{event_id}Permission"] = _permission(
            invoke, [f"{_EXECUTE_API}/${{__Stage__}}/{resource_part}", {"__ApiId__": {"Ref": api_id}, "__Stage__": "*"}])


def _api_id(out: dict[str, Any], apis: dict[str, dict[str, Any]], globals_: dict[str, Any], reference: Any,
            http: bool) -> str | None:
    if isinstance(reference, dict) and isinstance(reference.get("Ref"), str):
        return reference["Ref"] if reference["Ref"] in apis else None
    if reference is not None:
        return None
    implicit = "ServerlessHttpApi" if http else "ServerlessRestApi"
    if implicit not in apis:
        properties = _merged(globals_, "AWS::Serverless::HttpApi" if http else "AWS::Serverless::Api",
                             {"Properties": {}})
        properties.pop("DefinitionBody", None)
        apis[implicit] = (_http_api if http else _rest_api)(out, implicit, properties)
    return implicit


def _permission(function: Any, source_arn: list[Any]) -> dict[str, Any]:
    return {"Type": "AWS::Lambda::Permission", "Properties": {
        "Action": "lambda:InvokeFunction", "FunctionName": function, "Principal": "apigateway.amazonaws.com",
        "SourceArn": {"Fn::Sub": source_arn}}}


def _arn_path(path: str) -> str:
    return _PATH_PARAMETER.sub("*", path.lstrip("/"))


def _alnum(text: Any) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", str(text))
