"""The origins of the distribution in front: which ones badgateway followed, and an API Gateway
origin that CloudFront is told to reach over plain HTTP (API Gateway answers on HTTPS only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.live.checks.base import ALL_PROTOCOLS, Check
from bot.live.finding import Finding

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import Inventory, Origin

_FOLLOWED = (".execute-api.", ".elb.amazonaws.com", ".lambda-url.")


class CloudFrontOrigins(Check):
    id = "cloudfront_origins"
    title = "CloudFront reaches its origins"
    entry = None
    iam_actions = ("cloudfront:GetDistribution",)
    protocols = ALL_PROTOCOLS

    def applies(self, inventory: Inventory) -> bool:
        return inventory.distribution is not None

    def run(self, context: CheckContext) -> list[Finding]:
        distribution = context.inventory.distribution
        assert distribution is not None
        return [self._origin(distribution.arn, origin) for origin in distribution.origins]

    def _origin(self, resource: str, origin: Origin) -> Finding:
        api_gateway = ".execute-api." in origin.domain
        if api_gateway and origin.protocol_policy == "http-only":
            return self.finding(
                "fail", resource,
                f"origin {origin.id} is API Gateway ({origin.domain}) with protocol policy http-only: API Gateway "
                "answers on HTTPS only, so CloudFront cannot reach it and answers 502/504",
                fix=f"Set the origin's protocol policy to https-only (origin {origin.id}, Origins tab of the "
                    "distribution; CloudFormation: CustomOriginConfig.OriginProtocolPolicy: https-only)",
            )
        if any(mark in origin.domain for mark in _FOLLOWED):
            return self.finding("pass", resource, f"origin {origin.id} ({origin.domain}{origin.path}) is checked "
                                "in this report or its own")
        return self.finding("skip", resource, f"origin {origin.id} ({origin.domain}) is not API Gateway, a load "
                            "balancer or a function URL in this account: not checked")
