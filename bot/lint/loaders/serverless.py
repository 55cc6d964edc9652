"""A Serverless Framework `.serverless/` folder (`serverless package`): the CloudFormation
template it deploys, and the zip packages beside it, which hold the functions' code."""

from __future__ import annotations

import os
from collections.abc import Iterator

from bot.errors import UsageError
from bot.lint.loaders.documents import parse, read_text
from bot.lint.sources import Template, is_template

SERVERLESS_TEMPLATE = "cloudformation-template-update-stack.json"


def load_serverless(folder: str) -> Iterator[Template]:
    path = os.path.join(folder, SERVERLESS_TEMPLATE)
    if not os.path.isfile(path):
        raise UsageError(f"{folder}: no {SERVERLESS_TEMPLATE} in it (run serverless package first)")
    text = read_text(path)
    assert text is not None
    document = parse(path, text)
    if not is_template(document.data):
        raise UsageError(f"{path}: not a CloudFormation template")
    template = Template(path, "serverless", document.data, document.lines, os.path.dirname(os.path.abspath(folder)))
    for logical_id, resource in template.resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Lambda::Function":
            continue
        code = (resource.get("Properties") or {}).get("Code")
        key = code.get("S3Key") if isinstance(code, dict) else None
        if isinstance(key, str) and key.endswith(".zip"):
            package = os.path.join(folder, os.path.basename(key))
            if os.path.isfile(package):
                template.local_code[logical_id] = package
    yield template
