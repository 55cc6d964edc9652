"""`--invoke` (REST only, opt-in because it really runs each function): test-invoke each Lambda
method and validate what the function returned with the response validator."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from bot.live.checks.base import Check
from bot.live.finding import Finding
from bot.live.inventory import Route, Stage
from bot.live.policy import concrete_paths

if TYPE_CHECKING:
    from bot.live.context import CheckContext

MAX_PARALLEL_INVOKES = 4  # gentle with the account: these are real invocations
_BODY_METHODS = ("POST", "PUT", "PATCH")


class Invoke(Check):
    id = "invoke"
    title = "Test-invoke each Lambda method and validate its response"
    entry = "malformed-proxy-response"
    iam_actions = ("apigateway:POST",)
    opt_in = "invoke"
    protocols = ("REST", "HTTP")  # HTTP APIs: one skip finding saying test invokes are REST-only

    def run(self, context: CheckContext) -> list[Finding]:
        inventory = context.inventory
        if inventory.protocol != "REST":
            return [self.finding("skip", f"API {inventory.api.id}",
                                 "API Gateway offers test invokes for REST APIs only")]
        routes = list(inventory.lambda_routes())
        limit = context.options.max_invokes
        findings: list[Finding] = []
        if len(routes) > limit:
            findings.append(self.finding(
                "skip", f"API {inventory.api.id}",
                f"test-invoked the first {limit} of {len(routes)} Lambda methods only",
            ))
            routes = routes[:limit]
        stage = inventory.stages[0] if inventory.stages else None
        with ThreadPoolExecutor(max_workers=MAX_PARALLEL_INVOKES) as pool:
            for result in pool.map(
                lambda route: self.guarded(f"route {route.key}", lambda: self._test_invoke(context, route, stage)), routes
            ):
                findings += result
        return findings

    def _test_invoke(self, context: CheckContext, route: Route, stage: Stage | None) -> list[Finding]:
        from bot.core.matching.matcher import diagnose
        from bot.core.redact import redact
        from bot.core.responses import find_quoted_responses, validate_response

        inventory = context.inventory
        verb = "GET" if route.method == "ANY" else route.method
        params: dict[str, Any] = {
            "restApiId": inventory.api.id,
            "resourceId": route.resource_id,
            "httpMethod": route.method,
            "pathWithQueryString": concrete_paths(route.path)[0],
            "headers": {"Content-Type": "application/json", "User-Agent": "badgateway-check"},
        }
        if verb in _BODY_METHODS:
            params["body"] = "{}"
        if stage is not None and stage.variables:
            params["stageVariables"] = dict(stage.variables)
        answer = context.aws.call("apigateway", "TestInvokeMethod", **params)
        status = int(answer.get("status") or 0)
        log = str(answer.get("log") or "")
        body = str(answer.get("body") or "")
        resource = f"route {route.key}"
        tail = tuple(redact(line)[:300] for line in log.strip().splitlines()[-3:])

        verdict = None
        if route.integration is not None and route.integration.is_proxy:
            for quoted in find_quoted_responses(log):
                if quoted.parsed and not quoted.truncated:
                    verdict = validate_response(quoted.payload, "rest")
                    break
        if verdict is not None and not verdict.accepted:
            problems = "; ".join(p.message["en"] for p in verdict.errors[:3])
            return [self.finding(
                "fail", resource,
                f"test invoke of {route.key} answered {status}: {verdict.summary('en')}. {problems}",
                entry=verdict.entry,
                fix=" ".join(p.fix["en"] for p in verdict.errors[:2]) or None,
                evidence=tail,
            )]
        if status >= 500 or status == 0:
            diagnosis = diagnose(f"{log}\n{body}", lang="en")
            best = diagnosis.best
            return [self.finding(
                "fail", resource,
                f"test invoke of {route.key} answered {status}"
                + (f": {best.entry.title['en']}" if best else ""),
                entry=best.id if best else None,
                fix=" ".join(f"{n}. {s.strip()}" for n, s in enumerate(best.entry.fix["en"][:3], 1)) if best else None,
                evidence=tuple(redact(e.line)[:300] for e in best.evidence[:3]) if best else tail,
            )]
        notes = ""
        if verdict is not None and verdict.warnings:
            notes = "; note: " + "; ".join(p.message["en"] for p in verdict.warnings[:2])
        latency = answer.get("latency")
        took = f" in {latency} ms" if latency is not None else ""
        return [self.finding("pass", resource, f"test invoke of {route.key} answered {status}{took}{notes}")]
