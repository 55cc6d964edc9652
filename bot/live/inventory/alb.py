"""Reading an Application Load Balancer, or one target group, with Lambda targets.

From a load balancer: its target groups (one call lists those its listener rules forward to),
and for each Lambda target group the registered functions with their health (one call each).
From a target group: the same, and the load balancers forwarding to it (for access logging).
Target groups of instances or IP addresses are left out, and the report says so.
"""

from __future__ import annotations

from typing import Any

from bot.errors import BadGatewayError
from bot.live.aws import AwsCallError, AwsClients
from bot.live.finding import ApiInfo
from bot.live.inventory.apigateway import parse_function_arn
from bot.live.inventory.model import Inventory, LoadBalancer, TargetGroup, TargetHealth


def find_load_balancer(aws: AwsClients, name_or_arn: str) -> dict[str, Any] | None:
    return _describe_one(aws, "DescribeLoadBalancers", "LoadBalancerArns", "LoadBalancers", name_or_arn)


def find_target_group(aws: AwsClients, name_or_arn: str) -> dict[str, Any] | None:
    return _describe_one(aws, "DescribeTargetGroups", "TargetGroupArns", "TargetGroups", name_or_arn)


def _describe_one(aws: AwsClients, operation: str, arns: str, items: str, name_or_arn: str) -> dict[str, Any] | None:
    key = arns if name_or_arn.startswith("arn:") else "Names"
    params: dict[str, Any] = {key: [name_or_arn]}
    try:
        if operation == "DescribeLoadBalancers":
            found = aws.call("elbv2", "DescribeLoadBalancers", **params).get(items, [])
        else:
            found = aws.call("elbv2", "DescribeTargetGroups", **params).get(items, [])
    except AwsCallError as exc:
        if exc.not_found or exc.code == "ValidationError":
            return None
        raise _unreadable(aws, name_or_arn, exc) from None
    return found[0] if found else None


def load_from_load_balancer(aws: AwsClients, body: dict[str, Any]) -> Inventory:
    balancer = _load_balancer(body)
    if body.get("Type", "application") != "application":
        raise BadGatewayError(f"'{balancer.name}' is a {body.get('Type')} load balancer; badgateway checks "
                              "Application Load Balancers with Lambda targets")
    try:
        groups = aws.call("elbv2", "DescribeTargetGroups", LoadBalancerArn=balancer.arn).get("TargetGroups", [])
    except AwsCallError as exc:
        raise _unreadable(aws, balancer.name, exc) from None
    info = ApiInfo(id=balancer.arn, name=balancer.name, protocol="ALB")
    return _inventory(aws, info, (balancer,), groups)


def load_from_target_group(aws: AwsClients, body: dict[str, Any]) -> Inventory:
    arns = list(body.get("LoadBalancerArns") or [])
    balancers: tuple[LoadBalancer, ...] = ()
    if arns:
        try:
            found = aws.call("elbv2", "DescribeLoadBalancers", LoadBalancerArns=arns).get("LoadBalancers", [])
        except AwsCallError as exc:
            raise _unreadable(aws, str(body.get("TargetGroupName")), exc) from None
        balancers = tuple(_load_balancer(item) for item in found)
    info = ApiInfo(id=str(body["TargetGroupArn"]), name=str(body.get("TargetGroupName", "")), protocol="ALB")
    return _inventory(aws, info, balancers, [body])


def _inventory(aws: AwsClients, info: ApiInfo, balancers: tuple[LoadBalancer, ...],
               groups: list[dict[str, Any]]) -> Inventory:
    lambda_groups = [group for group in groups if group.get("TargetType") == "lambda"]
    others = len(groups) - len(lambda_groups)
    target_groups = tuple(_target_group(aws, group) for group in lambda_groups)
    notes = (f"{others} target group(s) of instances or IP addresses left out: badgateway checks Lambda targets",) \
        if others else ()
    return Inventory(
        api=info, region=aws.region, account=aws.account_id(), endpoint_types=(), routes=(), stages=(),
        bindings=(), load_balancers=balancers, target_groups=target_groups, notes=notes,
    )


def _target_group(aws: AwsClients, body: dict[str, Any]) -> TargetGroup:
    arn = str(body["TargetGroupArn"])
    try:
        descriptions = aws.call("elbv2", "DescribeTargetHealth", TargetGroupArn=arn).get("TargetHealthDescriptions", [])
    except AwsCallError as exc:
        raise _unreadable(aws, str(body.get("TargetGroupName")), exc) from None
    health = tuple(
        TargetHealth(
            target=str(item.get("Target", {}).get("Id", "")),
            state=str(item.get("TargetHealth", {}).get("State", "")),
            reason=item.get("TargetHealth", {}).get("Reason"),
            description=item.get("TargetHealth", {}).get("Description"),
        )
        for item in descriptions
    )
    targets = tuple(t for t in (parse_function_arn(h.target)[0] for h in health) if t is not None)
    return TargetGroup(
        arn=arn, name=str(body.get("TargetGroupName", "")), load_balancers=tuple(body.get("LoadBalancerArns") or ()),
        health_check_enabled=bool(body.get("HealthCheckEnabled", False)), targets=targets, health=health,
    )


def _load_balancer(body: dict[str, Any]) -> LoadBalancer:
    return LoadBalancer(
        arn=str(body["LoadBalancerArn"]), name=str(body.get("LoadBalancerName", "")),
        dns_name=str(body.get("DNSName", "")), state=str((body.get("State") or {}).get("Code", "")),
    )


def metric_dimension(arn: str) -> str:
    """The CloudWatch dimension value of a load balancer or target group ARN: app/NAME/ID, targetgroup/NAME/ID."""
    resource = arn.split(":", 5)[-1]
    return resource.split("loadbalancer/", 1)[1] if resource.startswith("loadbalancer/") else resource


def _unreadable(aws: AwsClients, name: str, exc: AwsCallError) -> BadGatewayError:
    return BadGatewayError(f"cannot read load balancer or target group '{name}' in region {aws.region}: "
                           f"{exc.describe()}")
