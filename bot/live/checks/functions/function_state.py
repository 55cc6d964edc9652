"""Function state and configuration: State, LastUpdateStatus, StateReasonCode (-> function-not-active),
a handler string that cannot be right for the runtime (-> handler-not-found), a deprecated runtime.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.live.checks.base import Check, PerTargetCheck, function_resource
from bot.live.finding import Finding
from bot.live.inventory import LambdaTarget

if TYPE_CHECKING:
    from bot.live.context import CheckContext

# Lambda's runtime deprecation dates (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
# After that date AWS no longer patches the runtime; later, creating and updating functions stops.
DEPRECATED_RUNTIMES: dict[str, date] = {
    "python2.7": date(2021, 7, 15), "python3.6": date(2022, 7, 18), "python3.7": date(2023, 12, 4),
    "python3.8": date(2024, 10, 14), "python3.9": date(2025, 12, 15),
    "nodejs": date(2016, 10, 31), "nodejs4.3": date(2020, 3, 5), "nodejs4.3-edge": date(2020, 4, 30),
    "nodejs6.10": date(2019, 8, 12), "nodejs8.10": date(2020, 3, 6), "nodejs10.x": date(2021, 7, 30),
    "nodejs12.x": date(2023, 3, 31), "nodejs14.x": date(2023, 12, 4), "nodejs16.x": date(2024, 6, 12),
    "nodejs18.x": date(2025, 9, 1),
    "java8": date(2024, 1, 8), "go1.x": date(2024, 1, 8), "provided": date(2024, 1, 8),
    "ruby2.5": date(2021, 7, 30), "ruby2.7": date(2023, 12, 7),
    "dotnetcore1.0": date(2019, 7, 30), "dotnetcore2.0": date(2019, 5, 30), "dotnetcore2.1": date(2022, 1, 5),
    "dotnetcore3.1": date(2023, 4, 3), "dotnet5.0": date(2022, 5, 10), "dotnet6": date(2024, 12, 20),
    "dotnet7": date(2024, 5, 14),
}

_IDENT = r"[A-Za-z_$][A-Za-z0-9_$]*"
_PY_HANDLER = re.compile(r"^(?:[A-Za-z0-9_.-]+/)*[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\.[A-Za-z_][A-Za-z0-9_]*$")
_NODE_HANDLER = re.compile(rf"^(?:[A-Za-z0-9_.@-]+/)*[A-Za-z0-9_@-]+\.{_IDENT}(?:\.{_IDENT})*$")
_JAVA_HANDLER = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:::[A-Za-z_$][\w$]*)?$")
_RUBY_HANDLER = re.compile(r"^(?:[\w.-]+/)*[\w-]+\.(?:[A-Z]\w*(?:::[A-Z]\w*)*(?:::|\.)?)?[a-z_]\w*[?!]?$")
_DOTNET_HANDLER = re.compile(r"^[\w.]+::[\w.+]+::\w+$|^[\w.]+$")
_SOURCE_SUFFIX = re.compile(r"\.(py|js|mjs|cjs|ts|rb)(\.|$)")


class FunctionState(PerTargetCheck):
    id = "function_state"
    title = "Function is active, its handler and runtime make sense"
    entry = "function-not-active"
    iam_actions = ("lambda:GetFunctionConfiguration",)
    needs = frozenset({"configuration"})

    def check_target(self, context: CheckContext, target: LambdaTarget) -> list[Finding]:
        configuration = context.configuration(target)
        resource = function_resource(target.label)
        findings: list[Finding] = []
        findings += _state_findings(self, resource, target, configuration)
        handler_problem = handler_problem_for(configuration)
        if handler_problem:
            findings.append(self.finding(
                "fail", resource, handler_problem, entry="handler-not-found",
                fix=_handler_fix(target, configuration),
                evidence=(f"Handler {configuration.get('Handler')}", f"Runtime {configuration.get('Runtime')}"),
            ))
        runtime = str(configuration.get("Runtime") or "")
        deprecated = DEPRECATED_RUNTIMES.get(runtime)
        if deprecated and deprecated <= context.now.date():
            findings.append(self.finding(
                "warn", resource,
                f"runtime {runtime} is deprecated since {deprecated.isoformat()}: no more security patches, "
                "and Lambda will block updates to it",
                entry=None,
                fix=f"Move to a supported runtime: aws lambda update-function-configuration --region {target.region} "
                    f"--function-name {target.name} --runtime <current version of the language> (test first)",
            ))
        if not findings:
            findings.append(self.finding(
                "pass", resource,
                f"state {configuration.get('State', 'Active')}, last update "
                f"{configuration.get('LastUpdateStatus', 'Successful')}, handler "
                f"{configuration.get('Handler', '(image)')} fits {runtime or configuration.get('PackageType', 'Zip')}",
            ))
        return findings


def _state_findings(check: Check, resource: str, target: LambdaTarget, configuration: dict[str, Any]) -> list[Finding]:
    state = str(configuration.get("State") or "Active")
    reason = configuration.get("StateReason")
    code = configuration.get("StateReasonCode")
    detail = f" ({code}: {reason})" if code or reason else ""
    findings: list[Finding] = []
    if state != "Active":
        consequence = {
            "Pending": "invocations fail with ResourceConflictException until it is Active",
            "Inactive": "it was idle long enough for Lambda to reclaim its resources; invocations fail with "
                        "ResourceNotReadyException until it is Active again",
            "Failed": "it cannot be invoked until the cause is fixed and the function updated",
        }.get(state, "it cannot be invoked")
        findings.append(check.finding(
            "fail", resource, f"{target.label} is {state}{detail}: {consequence}; API Gateway answers 500/502",
            entry="function-not-active", fix=_state_fix(target, code),
            evidence=tuple(x for x in (f"State {state}", f"StateReasonCode {code}" if code else "") if x),
        ))
    update = str(configuration.get("LastUpdateStatus") or "Successful")
    if update == "Failed":
        update_reason = configuration.get("LastUpdateStatusReason") or ""
        update_code = configuration.get("LastUpdateStatusReasonCode") or ""
        findings.append(check.finding(
            "fail", resource,
            f"the last update of {target.label} failed ({update_code}: {update_reason}); it runs the previous "
            "configuration or not at all",
            entry="function-not-active", fix=_state_fix(target, update_code),
        ))
    elif update == "InProgress":
        findings.append(check.finding(
            "warn", resource, f"{target.label} is being updated (LastUpdateStatus InProgress); requests may fail "
            "until the update ends", entry="function-not-active",
        ))
    return findings


def _state_fix(target: LambdaTarget, code: object) -> str:
    text = str(code or "")
    if "KMS" in text:
        return (f"Let the function's execution role use its KMS key (kms:Decrypt), then update the function to "
                f"re-activate it: aws lambda get-function-configuration --function-name {target.name} --query KMSKeyArn")
    if any(word in text for word in ("Eni", "Subnet", "SecurityGroup", "Vpc")):
        return ("Fix the VPC configuration (free IP addresses in the subnets, the security groups exist, the role "
                "has ec2:CreateNetworkInterface), then update the function.")
    return (f"Wait for Active (aws lambda wait function-active-v2 --function-name {target.name}), or for Inactive "
            "invoke it once; if it is Failed, read StateReason and redeploy.")


def handler_problem_for(configuration: dict[str, Any]) -> str | None:
    """Why the Handler setting cannot work for the Runtime, or None when it may."""
    if configuration.get("PackageType") == "Image":
        return None
    handler = str(configuration.get("Handler") or "")
    runtime = str(configuration.get("Runtime") or "")
    if not runtime or runtime.startswith("provided") or runtime.startswith("go"):
        return None  # custom runtimes and Go read the handler as they like
    if not handler:
        return f"no handler is set for runtime {runtime}"
    family = re.sub(r"[0-9.]+.*$", "", runtime)
    if family in ("python", "nodejs") and _SOURCE_SUFFIX.search(handler):
        module = handler.split(".")[0]
        return (f"handler '{handler}' names a file extension: the runtime reads it as module '{module}' and "
                f"function '{handler.rsplit('.', 1)[1]}', which is not what was meant (write MODULE.FUNCTION, "
                f"e.g. '{module}.handler')")
    checks = {
        "python": (_PY_HANDLER, "MODULE.FUNCTION, e.g. 'app.lambda_handler' or 'src/app.lambda_handler'"),
        "nodejs": (_NODE_HANDLER, "FILE.EXPORT, e.g. 'index.handler' or 'dist/app.handler'"),
        "java": (_JAVA_HANDLER, "package.Class::method or package.Class"),
        "ruby": (_RUBY_HANDLER, "FILE.METHOD, e.g. 'function.handler'"),
        "dotnet": (_DOTNET_HANDLER, "Assembly::Namespace.Class::Method"),
        "dotnetcore": (_DOTNET_HANDLER, "Assembly::Namespace.Class::Method"),
    }
    pattern = checks.get(family)
    if pattern and not pattern[0].match(handler):
        return f"handler '{handler}' cannot work for {runtime}: it must be {pattern[1]}"
    return None


def _handler_fix(target: LambdaTarget, configuration: dict[str, Any]) -> str:
    handler = str(configuration.get("Handler") or "")
    guess = handler
    match = _SOURCE_SUFFIX.search(handler)
    if match:
        guess = handler[: match.start()] + ".handler"
    elif "." not in handler and "::" not in handler:
        guess = f"{handler or 'index'}.handler"
    return (f"aws lambda update-function-configuration --region {target.region} --function-name {target.name} "
            f"--handler {guess}   (use the real file and function name; in SAM/CloudFormation: Handler: {guess})")
