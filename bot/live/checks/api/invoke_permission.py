"""Invoke permission: does each function's (or alias's) resource-based policy let API Gateway
call it for every route and stage that uses it? -> missing-invoke-permission.

A REST API whose function refuses the call answers 500 with `Execution failed due to
configuration error: Invalid permissions on Lambda function`; an HTTP API answers 500 too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.live.checks.base import API_PROTOCOLS, PerTargetCheck, function_resource
from bot.live.finding import Finding
from bot.live.inventory import Binding, LambdaTarget
from bot.live.policy import (
    TEST_INVOKE_STAGE,
    concrete_paths,
    decide,
    explain_miss,
    parse_statements,
    permission_source_arn,
    source_arn,
)

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import Inventory

MAX_LISTED = 5
MAX_COMMANDS = 3


class InvokePermission(PerTargetCheck):
    id = "invoke_permission"
    title = "API Gateway may invoke each function"
    entry = "missing-invoke-permission"
    iam_actions = ("lambda:GetPolicy",)
    needs = frozenset({"policy"})
    protocols = API_PROTOCOLS

    def check_target(self, context: CheckContext, target: LambdaTarget) -> list[Finding]:
        inventory = context.inventory
        bindings = list(inventory.bindings_for(target))
        if not bindings:
            return []  # an authorizer's function: the authorizers check looks at its permission
        with_role = [b for b in bindings if b.route.integration and b.route.integration.credentials]
        bindings = [b for b in bindings if b not in with_role]
        if not bindings:  # API Gateway calls it with the integration's role: no resource policy needed
            roles = ", ".join(sorted({str(b.route.integration.credentials) for b in with_role if b.route.integration}))
            return [self.finding("pass", function_resource(target.label),
                                 f"API Gateway invokes {target.label} with the integration's role {roles} "
                                 "(the service_integrations check looks at that role)")]
        statements = parse_statements(context.policy(target))
        missing: list[tuple[Binding, str, str]] = []  # binding, method, wanted SourceArn
        denied_by: set[str] = set()
        allowed_by: set[str] = set()
        for binding in bindings:
            for method in _methods(binding):
                for path in concrete_paths(binding.route.path):
                    wanted = _arn(inventory, binding.stage.name, method, path)
                    decision = decide(statements, wanted, inventory.account)
                    if decision.allowed:
                        allowed_by.add(decision.allowed_by or "")
                        continue
                    if decision.denied_by:
                        denied_by.add(decision.denied_by)
                    missing.append((binding, method, wanted))
                    break  # one sample path is enough to know this method is refused
        resource = function_resource(target.label)
        if not missing:
            findings = [self.finding(
                "pass", resource,
                f"API Gateway may invoke {target.label} for its {_count(bindings)} on stage(s) "
                f"{_stages(bindings)} (statement {', '.join(sorted(allowed_by))})",
            )]
            findings += self._test_invoke(context, target, statements, bindings)
            return findings
        return [self._failure(context, target, statements, bindings, missing, denied_by)]

    # -------------------------------------------------------------------------------------
    def _failure(
        self,
        context: CheckContext,
        target: LambdaTarget,
        statements: tuple,
        bindings: list[Binding],
        missing: list[tuple[Binding, str, str]],
        denied_by: set[str],
    ) -> Finding:
        inventory = context.inventory
        refused = sorted({f"{b.route.key} on {b.stage.name}" for b, _, _ in missing})
        listed = ", ".join(refused[:MAX_LISTED]) + (f" and {len(refused) - MAX_LISTED} more" if len(refused) > MAX_LISTED else "")
        why = _why(context, target, statements, missing, denied_by)
        where = ("'Invalid permissions on Lambda function' in the execution log" if inventory.protocol == "REST" else
                 "the access log's $context.integrationErrorMessage names the missing permission; HTTP APIs "
                 "have no execution log")
        message = f"API Gateway may not invoke {target.label} for {listed}: {why}. Clients get 500 ({where})."
        routes = sorted({(b.route.method, b.route.path) for b, _, _ in missing})
        return self.finding(
            "fail", function_resource(target.label), message,
            fix=add_permission_fix(inventory, target, routes),
            evidence=tuple(wanted for _, _, wanted in missing[:3]),
        )

    def _test_invoke(self, context: CheckContext, target: LambdaTarget, statements: tuple,
                     bindings: list[Binding]) -> list[Finding]:
        """REST console tests (and --invoke) call with stage `test-invoke-stage`."""
        inventory = context.inventory
        if inventory.protocol != "REST" or not bindings:
            return []
        for binding in bindings:
            method = _methods(binding)[0]
            wanted = _arn(inventory, TEST_INVOKE_STAGE, method, concrete_paths(binding.route.path)[0])
            if not decide(statements, wanted, inventory.account).allowed:
                return [self.finding(
                    "warn", function_resource(target.label),
                    f"the permission covers the deployed stages but not '{TEST_INVOKE_STAGE}': the console's "
                    f"Test button (and `badgateway check --invoke`) get 'Invalid permissions' for "
                    f"{binding.route.key}, while real requests work",
                    fix=add_permission_fix(inventory, target, [(binding.route.method, binding.route.path)]),
                )]
        return []


def _methods(binding: Binding) -> tuple[str, ...]:
    return ("$default",) if binding.route.path == "$default" else binding.route.methods


def _arn(inventory: Inventory, stage: str, method: str, path: str) -> str:
    return source_arn(inventory.region, inventory.account, inventory.api.id, stage, method, path)


def _count(bindings: list[Binding]) -> str:
    routes = {b.route.key for b in bindings}
    return f"{len(routes)} route{'s' if len(routes) != 1 else ''}"


def _stages(bindings: list[Binding]) -> str:
    return ", ".join(sorted({b.stage.name for b in bindings}))


def _why(context: CheckContext, target: LambdaTarget, statements: tuple,
         missing: list[tuple[Binding, str, str]], denied_by: set[str]) -> str:
    if denied_by:
        return f"statement {', '.join(sorted(denied_by))} denies it explicitly"
    if not statements:
        where = f"alias/version '{target.qualifier}'" if target.qualifier else "the function"
        reason = f"{where} has no resource-based policy, so nothing lets apigateway.amazonaws.com call it"
        if target.qualifier and _unqualified_allows(context, target, missing):
            reason += (f" (the function itself allows it, but the integration calls {target.label}, "
                       "and an alias or version has its own policy: grant it with --qualifier)")
        return reason
    for_gateway = [s for s in statements if s.for_api_gateway and s.effect.lower() == "allow"]
    if not for_gateway:
        return "no statement lets apigateway.amazonaws.com perform lambda:InvokeFunction"
    wanted = missing[0][2]
    reasons = []
    for statement in for_gateway:
        if statement.source_account is not None and context.inventory.account not in statement.source_account:
            reasons.append(f"statement {statement.sid} is for account {', '.join(statement.source_account)}")
            continue
        for _, pattern in statement.source_arns or ():
            reasons.append(f"statement {statement.sid}: {explain_miss(pattern, wanted, context.inventory.api.name)}")
    if target.qualifier and _unqualified_allows(context, target, missing):
        reasons.append(f"the unqualified function allows it, but the integration calls {target.label}, "
                       "whose policy is separate (grant it with --qualifier)")
    return "; ".join(reasons[:3]) or "no statement's SourceArn matches this API"


def _unqualified_allows(context: CheckContext, target: LambdaTarget, missing: list[tuple[Binding, str, str]]) -> bool:
    try:
        statements = parse_statements(context.policy(target.function))
    except Exception:
        return False
    return decide(statements, missing[0][2], context.inventory.account).allowed


def add_permission_fix(inventory: Inventory, target: LambdaTarget, routes: list[tuple[str, str]]) -> str:
    """The exact `aws lambda add-permission` command(s), and the CloudFormation/SAM equivalent."""
    arns = list(dict.fromkeys(
        permission_source_arn(inventory.region, inventory.account, inventory.api.id, method, path)
        for method, path in routes
    ))
    if len(arns) > MAX_COMMANDS:
        arns = [f"arn:aws:execute-api:{inventory.region}:{inventory.account}:{inventory.api.id}/*/*"]
    qualifier = f" --qualifier {target.qualifier}" if target.qualifier else ""
    commands = []
    for arn in arns:
        statement_id = _statement_id(inventory.api.id, arn)
        commands.append(
            f"aws lambda add-permission --region {target.region} --function-name {target.name}{qualifier} "
            f"--statement-id {statement_id} --action lambda:InvokeFunction "
            f"--principal apigateway.amazonaws.com --source-arn \"{arn}\""
        )
    resource_part = arns[0].split(":", 5)[5].split("/", 1)[1]
    function_ref = f"!Ref {target.name}Alias" if target.qualifier else "!GetAtt MyFunction.Arn"
    cloudformation = (
        "CloudFormation: an AWS::Lambda::Permission with Action: lambda:InvokeFunction, "
        f"Principal: apigateway.amazonaws.com, FunctionName: {function_ref}"
        f"{' (the alias ARN, not the function)' if target.qualifier else ''}, "
        f"SourceArn: !Sub \"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{MyApi}}/{resource_part}\" "
        "(${MyApi} the API resource, never its logical id as text); SAM Api/HttpApi events add it for you."
    )
    return "\n".join([*commands, cloudformation])


def _statement_id(api_id: str, arn: str) -> str:
    tail = arn.split(":", 5)[5].split("/", 1)[1] if "/" in arn else "all"
    slug = re.sub(r"[^A-Za-z0-9]+", "-", tail).strip("-").lower() or "all"
    return f"apigateway-{api_id}-{slug}"[:100]
