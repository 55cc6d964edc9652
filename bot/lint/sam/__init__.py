"""SAM's implicit resources: an `Api` or `HttpApi` event creates the API, its stage and the
invoke permission; `AutoPublishAlias` an alias the events call; an `Auth` Lambda authorizer its
permission. An `AWS::Serverless::Api` with a `DefinitionBody` whose integrations call a function
without an event creates no permission: the classic 500.

The AWS SAM translator does the expansion where it is installed (the dev extra has it); the
same rules, written here (bot.lint.sam.fallback), do it otherwise. Local paths (CodeUri,
DefinitionUri) are read from disk and replaced by placeholders the translator accepts.
"""

from __future__ import annotations

import copy
import os
from typing import Any

from bot.lint.loaders.documents import parse, read_text
from bot.lint.sources import Template

PLACEHOLDER_BUCKET = "badgateway-lint-local"
_LOCAL_PATHS = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
    "AWS::Serverless::StateMachine": "DefinitionUri",
}


def expand(template: Template, *, use_translator: bool = True) -> tuple[dict[str, Any], str | None]:
    """The template's resources as CloudFormation, and a note when the translator could not be
    used (None when it was, or when the template has no SAM in it)."""
    if not template.is_sam:
        return template.resources, None
    prepared = prepare(template)
    note = None
    resources: dict[str, Any] | None = None
    if use_translator:
        from bot.lint.sam.translator import TranslatorUnavailable, translate

        try:
            resources = translate(prepared)
        except TranslatorUnavailable as exc:
            note = str(exc)
    if resources is None:
        from bot.lint.sam.fallback import expand_sam

        resources = expand_sam(prepared)
    template.origins.update(origins(template.resources, resources))
    return resources, note


def prepare(template: Template) -> dict[str, Any]:
    """A copy of the template with Globals applied to CodeUri, local code recorded on the
    template and replaced by an S3 placeholder, and local OpenAPI files read in."""
    data = copy.deepcopy(template.data)
    globals_ = data.get("Globals") if isinstance(data.get("Globals"), dict) else {}
    function_globals = globals_.get("Function") if isinstance(globals_.get("Function"), dict) else {}
    for logical_id, resource in (data.get("Resources") or {}).items():
        if not isinstance(resource, dict):
            continue
        kind = resource.get("Type")
        properties = resource.setdefault("Properties", {})
        if not isinstance(properties, dict):
            continue
        if kind == "AWS::Serverless::Function":
            _function_code(template, logical_id, resource, properties, function_globals)
        elif kind in _LOCAL_PATHS and _is_local(properties.get(_LOCAL_PATHS[kind])):
            properties[_LOCAL_PATHS[kind]] = f"s3://{PLACEHOLDER_BUCKET}/{logical_id}"
        elif kind in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi"):
            _definition(template, properties)
        elif kind == "AWS::Serverless::Application" and _is_local(properties.get("Location")):
            properties["Location"] = f"https://{PLACEHOLDER_BUCKET}.s3.amazonaws.com/{logical_id}.yaml"
    return data


def _function_code(template: Template, logical_id: str, resource: dict[str, Any], properties: dict[str, Any],
                   function_globals: dict[str, Any]) -> None:
    metadata = resource.get("Metadata") if isinstance(resource.get("Metadata"), dict) else {}
    if isinstance(metadata.get("BuildMethod"), str):
        template.build_methods[logical_id] = metadata["BuildMethod"]
    if "InlineCode" in properties or "ImageUri" in properties or properties.get("PackageType") == "Image":
        return
    code_uri = properties.get("CodeUri", function_globals.get("CodeUri"))
    if code_uri is None:
        code_uri = "."  # `sam build` and `sam deploy` use the template's own folder
    if _is_local(code_uri):
        template.local_code[logical_id] = os.path.normpath(os.path.join(template.base_dir, str(code_uri)))
        properties["CodeUri"] = f"s3://{PLACEHOLDER_BUCKET}/{logical_id}"
    elif "CodeUri" not in properties:
        properties["CodeUri"] = code_uri


def _definition(template: Template, properties: dict[str, Any]) -> None:
    uri = properties.get("DefinitionUri")
    if not _is_local(uri) or "DefinitionBody" in properties:
        return
    path = os.path.join(template.base_dir, str(uri))
    text = read_text(path, explicit=False) if os.path.isfile(path) else None
    properties.pop("DefinitionUri")
    if text is not None:
        try:
            properties["DefinitionBody"] = parse(path, text).data
        except Exception:  # an unreadable OpenAPI file: the routes stay unknown, not a crash
            properties["DefinitionUri"] = f"s3://{PLACEHOLDER_BUCKET}/definition.yaml"
    else:
        properties["DefinitionUri"] = f"s3://{PLACEHOLDER_BUCKET}/definition.yaml"


def _is_local(value: Any) -> bool:
    return isinstance(value, str) and not value.startswith(("s3://", "https://", "http://"))


def origins(written: dict[str, Any], expanded: dict[str, Any]) -> dict[str, str]:
    """Each generated logical id -> the written resource it comes from: the longest written id
    it starts with; SAM's implicit APIs -> the first function whose events create them."""
    implicit = {"ServerlessRestApi": "Api", "ServerlessHttpApi": "HttpApi"}
    owners: dict[str, str] = {}
    for name, event_type in implicit.items():
        for logical_id, resource in written.items():
            events = ((resource or {}).get("Properties") or {}).get("Events") if isinstance(resource, dict) else None
            if isinstance(events, dict) and any(isinstance(e, dict) and e.get("Type") == event_type
                                                for e in events.values()):
                owners[name] = logical_id
                break
    by_length = sorted(written, key=len, reverse=True)
    result = {}
    for logical_id in expanded:
        if logical_id in written:
            continue
        owner = next((owner for prefix, owner in owners.items() if logical_id.startswith(prefix)), None)
        owner = owner or next((w for w in by_length if logical_id.startswith(w)), None)
        if owner:
            result[logical_id] = owner
    return result
