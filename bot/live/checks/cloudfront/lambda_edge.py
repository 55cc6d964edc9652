"""Lambda@Edge functions of the distribution in front: a numbered version of a function in
us-east-1 that exists and is active, an execution role lambda.amazonaws.com and
edgelambda.amazonaws.com may both assume, and the Lambda@Edge limits (5 s and 128 MB for viewer
events, 30 s for origin events) -> lambda-edge-error. CloudFront answers 503 when the function is
invalid, lacks permissions or is throttled, 502 when it returns something CloudFront cannot use."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.live.aws import AwsCallError
from bot.live.checks.base import ALL_PROTOCOLS, Check
from bot.live.checks.shared import trust_fix, untrusting
from bot.live.finding import Finding

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import EdgeFunction, Inventory

EDGE_REGION = "us-east-1"
EDGE_PRINCIPALS = ("lambda.amazonaws.com", "edgelambda.amazonaws.com")
TIMEOUT_LIMIT_S = {"viewer": 5, "origin": 30}
VIEWER_MEMORY_MB = 128
_VERSION = re.compile(r"\d{1,10}")


class LambdaEdge(Check):
    id = "lambda_edge"
    title = "Lambda@Edge functions: version, region, role, limits"
    entry = "lambda-edge-error"
    iam_actions = ("cloudfront:GetDistribution", "lambda:GetFunctionConfiguration", "iam:GetRole")
    needs = frozenset({"roles"})
    protocols = ALL_PROTOCOLS

    def applies(self, inventory: Inventory) -> bool:
        return inventory.distribution is not None

    def run(self, context: CheckContext) -> list[Finding]:
        distribution = context.inventory.distribution
        assert distribution is not None
        if not distribution.edge_functions:
            more = (f"; {distribution.function_associations} CloudFront Functions association(s) are not checked"
                    if distribution.function_associations else "")
            return [self.finding("pass", distribution.arn, f"distribution {distribution.id} runs no Lambda@Edge "
                                 f"function{more}")]
        findings: list[Finding] = []
        for edge in distribution.edge_functions:
            findings += self.guarded(edge.arn, lambda e=edge: self._check(context, e))
        return findings

    def _check(self, context: CheckContext, edge: EdgeFunction) -> list[Finding]:
        where = f"{edge.event_type} on {edge.behavior}"
        target = edge.target
        if target is None:
            return [self.finding("fail", edge.arn, f"the {where} association names '{edge.arn}', not a Lambda "
                                 "function version: CloudFront answers 503")]
        problems: list[str] = []
        if target.region != EDGE_REGION:
            problems.append(f"the function is in {target.region}; Lambda@Edge functions must be in {EDGE_REGION}")
        if not target.qualifier or not _VERSION.fullmatch(target.qualifier):
            problems.append(f"it names {target.qualifier or '$LATEST'}, not a numbered version (aliases and $LATEST "
                            "are not allowed)")
        if problems:
            return [self.finding("fail", edge.arn, f"the {where} association cannot work: {'; '.join(problems)}",
                                 fix="aws lambda publish-version --region us-east-1 --function-name "
                                     f"{target.name}, then associate that version's ARN with the cache behavior")]
        try:
            configuration = context.configuration(target)
        except AwsCallError as exc:
            if not exc.not_found:
                raise
            return [self.finding("fail", edge.arn, f"{target.label} ({where}) does not exist any more: CloudFront "
                                 "answers 503 ('the Lambda function associated with the CloudFront distribution is "
                                 "invalid or doesn't have the required permissions')")]
        findings = self._configuration(edge, configuration, where)
        role = str(configuration.get("Role") or "")
        if role:
            findings += self._role(context, edge, role, where)
        if not findings:
            findings.append(self.finding(
                "pass", edge.arn,
                f"{target.label} ({where}): active, {configuration.get('Timeout')} s, {configuration.get('MemorySize')} "
                f"MB, role {role.rsplit('/', 1)[-1]} trusted by Lambda@Edge; its logs are in the regions where it ran "
                f"(/aws/lambda/us-east-1.{target.name})",
            ))
        return findings

    def _configuration(self, edge: EdgeFunction, configuration: dict[str, object], where: str) -> list[Finding]:
        findings: list[Finding] = []
        state = str(configuration.get("State") or "Active")
        if state != "Active":
            findings.append(self.finding("fail", edge.arn, f"{edge.arn} ({where}) is {state}: CloudFront answers 503 "
                                         "until it is Active", entry="function-not-active"))
        kind = "viewer" if edge.event_type.startswith("viewer") else "origin"
        timeout = int(str(configuration.get("Timeout") or 3))
        if timeout > TIMEOUT_LIMIT_S[kind]:
            findings.append(self.finding("fail", edge.arn, f"{edge.arn} ({where}) has a {timeout} s timeout; {kind} "
                                         f"events allow {TIMEOUT_LIMIT_S[kind]} s"))
        memory = int(str(configuration.get("MemorySize") or 128))
        if kind == "viewer" and memory > VIEWER_MEMORY_MB:
            findings.append(self.finding("fail", edge.arn, f"{edge.arn} ({where}) has {memory} MB; viewer events "
                                         f"allow {VIEWER_MEMORY_MB} MB"))
        vpc = configuration.get("VpcConfig")
        if isinstance(vpc, dict) and vpc.get("SubnetIds"):
            findings.append(self.finding("fail", edge.arn, f"{edge.arn} ({where}) is attached to a VPC, which "
                                         "Lambda@Edge does not support"))
        return findings

    def _role(self, context: CheckContext, edge: EdgeFunction, role: str, where: str) -> list[Finding]:
        missing = untrusting(context, role, EDGE_PRINCIPALS)
        if missing is None:
            return [self.finding("fail", edge.arn, f"the execution role {role} of {edge.arn} ({where}) does not exist: "
                                 "CloudFront answers 503")]
        if missing:
            return [self.finding(
                "fail", edge.arn,
                f"the execution role {role} of {edge.arn} ({where}) does not trust {', '.join(missing)}: CloudFront "
                "answers 503 ('the Lambda function associated with the CloudFront distribution is invalid or doesn't "
                "have the required permissions')",
                fix=trust_fix(role, EDGE_PRINCIPALS),
            )]
        return []
