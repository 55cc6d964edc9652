"""Routes, integrations and Lambda authorizers written as an OpenAPI (or Swagger) body with API
Gateway's extensions: `x-amazon-apigateway-integration`, `x-amazon-apigateway-any-method`,
`x-amazon-apigateway-authorizer`. SAM writes its implicit APIs this way too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.lint.intrinsics import unknown_token
from bot.lint.model.model import Api, Authorizer, Integration, Place, Route, Target

HTTP_VERBS = ("get", "put", "post", "delete", "options", "head", "patch")
ANY_METHOD = "x-amazon-apigateway-any-method"


def read_body(body: Any, api: Api, place: Place, find: Callable[[str | None], Target | None],
              number: Callable[[Any], int | None]) -> tuple[list[Route], list[Authorizer]]:
    """`body` already resolved (tokens in its strings)."""
    if not isinstance(body, dict):
        return [], []
    routes: list[Route] = []
    paths = body.get("paths")
    for path, item in (paths.items() if isinstance(paths, dict) else ()):
        if not isinstance(item, dict) or not isinstance(path, str):
            continue
        route_path = "$default" if path.strip("/") == "$default" else path
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            verb = "ANY" if method == ANY_METHOD else str(method).upper() if method in HTTP_VERBS else None
            if verb is None:
                continue
            routes.append(Route(api, verb, route_path, _integration(operation, place, find, number), place))
    return routes, _authorizers(body, api, place, find)


def _integration(operation: dict[str, Any], place: Place, find: Callable[[str | None], Target | None],
                 number: Callable[[Any], int | None]) -> Integration | None:
    raw = operation.get("x-amazon-apigateway-integration")
    if not isinstance(raw, dict):
        return None
    kind = str(raw.get("type") or "").upper()
    uri = raw.get("uri")
    target = find(uri) if kind in ("AWS_PROXY", "AWS") and isinstance(uri, str) and ":lambda:" in uri else None
    return Integration(
        kind=kind,
        http_method=str(raw["httpMethod"]).upper() if isinstance(raw.get("httpMethod"), str) else None,
        target=target,
        timeout_ms=number(raw.get("timeoutInMillis")),
        place=place,
        payload_format=str(raw["payloadFormatVersion"]) if raw.get("payloadFormatVersion") else None,
    )


def _authorizers(body: dict[str, Any], api: Api, place: Place,
                 find: Callable[[str | None], Target | None]) -> list[Authorizer]:
    schemes: dict[str, Any] = {}
    for holder in (body.get("securityDefinitions"), (body.get("components") or {}).get("securitySchemes")
                   if isinstance(body.get("components"), dict) else None):
        if isinstance(holder, dict):
            schemes.update(holder)
    found = []
    for name, scheme in schemes.items():
        raw = scheme.get("x-amazon-apigateway-authorizer") if isinstance(scheme, dict) else None
        if not isinstance(raw, dict) or str(raw.get("type", "")).lower() not in ("token", "request"):
            continue
        uri = raw.get("authorizerUri")
        target = find(uri) if isinstance(uri, str) else None
        # The authorizer's id exists only once API Gateway has imported the body.
        found.append(Authorizer(api, str(name), unknown_token(f"authorizer.{name}"), target, place))
    return found
