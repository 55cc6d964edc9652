"""A CDK cloud assembly (`cdk.out`): manifest.json lists the stacks and their synthesized
templates; nested assemblies (CDK Stages) have their own folder and manifest. Resources carry
their construct path (`aws:cdk:path`), shown instead of the generated logical id, and code
assets their local folder (`aws:asset:path`)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from bot.errors import UsageError
from bot.lint.loaders.documents import parse, read_text
from bot.lint.sources import Template, is_template

MANIFEST = "manifest.json"
MAX_NESTING = 5


def is_cloud_assembly(folder: str) -> bool:
    manifest = os.path.join(folder, MANIFEST)
    if not os.path.isfile(manifest) or os.path.getsize(manifest) > 10 * 1024 * 1024:
        return False
    try:
        with open(manifest, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("artifacts"), dict) and "version" in data


def load_cloud_assembly(folder: str, depth: int = 0) -> Iterator[Template]:
    if depth > MAX_NESTING:
        return
    with open(os.path.join(folder, MANIFEST), encoding="utf-8") as handle:
        manifest = json.load(handle)
    for artifact in manifest["artifacts"].values():
        if not isinstance(artifact, dict):
            continue
        properties = artifact.get("properties") or {}
        if artifact.get("type") == "aws:cloudformation:stack" and isinstance(properties.get("templateFile"), str):
            yield from _stack(folder, properties["templateFile"])
        elif artifact.get("type") == "cdk:cloud-assembly" and isinstance(properties.get("directoryName"), str):
            nested = _inside(folder, properties["directoryName"])
            if nested and is_cloud_assembly(nested):
                yield from load_cloud_assembly(nested, depth + 1)


def _stack(folder: str, template_file: str) -> Iterator[Template]:
    path = _inside(folder, template_file)
    if path is None or not os.path.isfile(path):
        raise UsageError(f"{folder}: manifest names {template_file}, which is not there (run cdk synth again)")
    yield _template(folder, path)
    # Nested stacks are synthesized beside their parent as *.nested.template.json.
    stem = os.path.basename(path).removesuffix(".template.json")
    for name in sorted(os.listdir(folder)):
        if name.startswith(stem) and name.endswith(".nested.template.json"):
            yield _template(folder, os.path.join(folder, name))


def _template(folder: str, path: str) -> Template:
    text = read_text(path)
    assert text is not None
    document = parse(path, text)
    if not is_template(document.data):
        raise UsageError(f"{path}: not a CloudFormation template")
    template = Template(path, "cdk", document.data, document.lines, folder)
    for logical_id, resource in template.resources.items():
        metadata = resource.get("Metadata") if isinstance(resource, dict) else None
        if not isinstance(metadata, dict):
            continue
        construct = metadata.get("aws:cdk:path")
        if isinstance(construct, str):
            template.display_names[logical_id] = construct
        asset = metadata.get("aws:asset:path")
        if isinstance(asset, str) and metadata.get("aws:asset:property") in ("Code", "CodeUri"):
            local = _inside(folder, asset) if not os.path.isabs(asset) else asset
            if local and os.path.exists(local):
                template.local_code[logical_id] = local
    return template


def _inside(folder: str, name: str) -> str | None:
    """`name` under `folder`, never outside it (a manifest is input too)."""
    full = os.path.normpath(os.path.join(folder, name))
    root = os.path.normpath(folder)
    return full if full == root or full.startswith(root + os.sep) else None

