"""Deploy what a lint model describes into moto with boto3, for templates moto's CloudFormation
cannot deploy (aliases, HTTP APIs, SAM, Terraform, CDK): each function with its code, alias,
timeout and reserved concurrency, each API with its routes and stages, each permission with its
SourceArn written with the real ids. What lint reads from the template is what AWS gets."""

from __future__ import annotations

import os
import re
import zipfile
from typing import Any

from bot.lint.code import handler_module
from bot.lint.intrinsics import CLOSE, OPEN
from bot.lint.model.model import Code, Function, Model
from tests.live.conftest import ACCOUNT, REGION, Route, World, zip_of
from tests.live.test_invoke_and_package import serve_package

_TOKEN = re.compile(f"{OPEN}([^{CLOSE}]*){CLOSE}")


def _code_files(code: Code | None, function: Function) -> dict[str, Any]:
    if code is None:  # code lint cannot see (S3): deploy a package that has the handler
        located = handler_module(function) or ("index", "handler")
        if (function.runtime or "").startswith("python"):
            return {f"{located[0]}.py": f"def {located[1]}(event, context):\n    return {{'statusCode': 200}}\n"}
        return {f"{located[0]}.js": f"exports.{located[1]} = async () => ({{ statusCode: 200 }});\n"}
    if code.kind == "inline":
        suffix = ".py" if (function.runtime or "").startswith("python") else ".js"
        return {f"index{suffix}": code.text or ""}
    if code.kind == "zip":
        with zipfile.ZipFile(code.path or "") as archive:
            return {info.filename: (archive.read(info).decode("utf-8", "replace"), (info.external_attr >> 16) & 0o777 or 0o644)
                    for info in archive.infolist() if not info.is_dir()}
    files: dict[str, Any] = {}
    for folder, _, names in os.walk(code.path or ""):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8", errors="replace") as handle:
                files[os.path.relpath(path, code.path)] = (handle.read(), os.stat(path).st_mode & 0o777)
    return files


class Deployment:
    def __init__(self, world: World, model: Model, package_server: Any) -> None:
        self.world = world
        self.model = model
        self.package_server = package_server  # moto's package URLs are not downloadable: ours are
        self.names: dict[str, str] = {}
        self.ids: dict[str, str] = {}  # token name -> real value
        self.api_ids: list[str] = []

    def real(self, text: str) -> str:
        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            return {"AWS.Region": REGION, "AWS.AccountId": ACCOUNT, "AWS.Partition": "aws"}.get(
                name, self.ids.get(name, "*" if name.startswith("?") else name))
        return _TOKEN.sub(one, text)

    def function_arn(self, function: Function, qualifier: str | None) -> str:
        arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.names[function.key]}"
        return f"{arn}:{qualifier}" if qualifier else arn

    def run(self) -> list[str]:
        lam = self.world.client("lambda")
        for function in self.model.functions:
            name = re.sub(r"[^A-Za-z0-9_-]", "-", function.key)[:64]
            self.names[function.key] = name
            self.ids[function.key] = name
            files = _code_files(function.code, function)
            runtime, handler = function.runtime or "python3.12", function.handler or "index.handler"
            self.world.function(name, runtime=runtime, handler=handler, timeout=function.timeout, files=files)
            serve_package(self.world, self.package_server, name, zip_of(files), runtime, handler)
            if function.reserved_concurrency == 0:
                lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
        aliases = {(t.function.key, t.qualifier) for t in self._targets() if t.function and t.qualifier}
        for key, qualifier in sorted(aliases):
            self.world.alias(self.names[key], qualifier)
        for api in self.model.apis:
            routes = [r for r in self.model.routes if r.api is api and r.integration and r.integration.target
                      and r.integration.target.function]
            if not routes or api.protocol == "WEBSOCKET":
                continue
            live_routes = [Route(r.method, r.path, self.function_arn(r.integration.target.function, r.integration.target.qualifier),
                                 integration_type=r.integration.kind, integration_method=r.integration.http_method or "POST",
                                 timeout_ms=r.integration.timeout_ms) for r in routes]  # type: ignore[union-attr, arg-type]
            stages = [s.name for s in api.stages] or ["prod"]
            if api.protocol == "REST":
                api_id = self.world.rest_api(api.key[:60], live_routes, stages={s: {} for s in stages}, logging_level="ERROR")
            else:
                api_id = self.world.http_api(api.key[:60], live_routes, stage=stages[0])
            self.ids[api.id_text.strip(OPEN + CLOSE)] = api_id
            self.api_ids.append(api_id)
        for permission in self.model.permissions:
            target = permission.target
            if target is None or target.function is None:
                continue
            pattern = permission.source_arn or (permission.references[0] if permission.references else None)
            source_arn = self.real(pattern) if pattern else None
            self.world.allow(self.names[target.function.key], None if source_arn in (None, "*") else source_arn,
                             qualifier=target.qualifier, sid=re.sub(r"[^A-Za-z0-9_-]", "-", permission.key)[:100],
                             principal=self.real(permission.principal or ""))
        return self.api_ids

    def _targets(self) -> list[Any]:
        targets = [r.integration.target for r in self.model.routes if r.integration and r.integration.target]
        return targets + [p.target for p in self.model.permissions if p.target]

