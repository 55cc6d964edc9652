"""Building the front doors beside API Gateway in moto (and the stand-in): IAM roles with trust
policies, load balancers with Lambda target groups, custom domain names, function URLs, CloudFront
distributions with Lambda@Edge functions; and an independent count of the AWS calls a run makes."""

from __future__ import annotations

import json
import threading
from typing import Any

from tests.live.conftest import ACCOUNT, REGION, World, zip_of

_CLOUDFRONT_CONFIG_DEFAULTS = {"ViewerProtocolPolicy": "allow-all", "MinTTL": 0,
                               "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}}


def role(world: World, name: str, *trusted: str) -> str:
    document = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": list(trusted)}, "Action": "sts:AssumeRole"}]}
    return str(world.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(document))["Role"]["Arn"])


# ------------------------------------------------------------------------------ load balancers
def subnets(world: World) -> list[str]:
    ec2 = world.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    return [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
            for i, zone in ((1, "a"), (2, "b"))]


def load_balancer(world: World, name: str, groups: dict[str, list[str]], *, multi_value: bool = False,
                  access_logs: bool = False, allow: bool = True, health_checks: bool = False) -> dict[str, Any]:
    """An ALB forwarding to one Lambda target group per entry (group name -> function ARNs).
    allow: add the elasticloadbalancing.amazonaws.com permission to each function first."""
    elb = world.client("elbv2")
    balancer = elb.create_load_balancer(Name=name, Subnets=subnets(world))["LoadBalancers"][0]
    arns: dict[str, str] = {}
    for group, functions in groups.items():
        target_group = elb.create_target_group(Name=group, TargetType="lambda",
                                               HealthCheckEnabled=health_checks)["TargetGroups"][0]
        arns[group] = target_group["TargetGroupArn"]
        for function in functions:
            if allow:
                world.client("lambda").add_permission(
                    FunctionName=function, StatementId=f"elb-{group}", Action="lambda:InvokeFunction",
                    Principal="elasticloadbalancing.amazonaws.com", SourceArn=target_group["TargetGroupArn"])
        if functions:
            elb.register_targets(TargetGroupArn=target_group["TargetGroupArn"], Targets=[{"Id": f} for f in functions])
        if multi_value:
            elb.modify_target_group_attributes(TargetGroupArn=target_group["TargetGroupArn"], Attributes=[
                {"Key": "lambda.multi_value_headers.enabled", "Value": "true"}])
        elb.create_listener(LoadBalancerArn=balancer["LoadBalancerArn"], Protocol="HTTP", Port=80 + len(arns),
                            DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group["TargetGroupArn"]}])
    if access_logs:
        elb.modify_load_balancer_attributes(LoadBalancerArn=balancer["LoadBalancerArn"], Attributes=[
            {"Key": "access_logs.s3.enabled", "Value": "true"}, {"Key": "access_logs.s3.bucket", "Value": "alb-logs"}])
    return {"arn": balancer["LoadBalancerArn"], "dns": balancer["DNSName"], "groups": arns}


# -------------------------------------------------------------------------------- fronts
def custom_domain(world: World, domain: str, mappings: list[tuple[str, str, str]], *, http: bool = False) -> None:
    """mappings: (api id, stage, base path or "")."""
    if http:
        v2 = world.client("apigatewayv2")
        v2.create_domain_name(DomainName=domain)
        for api, stage, key in mappings:
            v2.create_api_mapping(DomainName=domain, ApiId=api, Stage=stage, ApiMappingKey=key)
        return
    apigw = world.client("apigateway")
    apigw.create_domain_name(domainName=domain, regionalCertificateArn=f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/x",
                             endpointConfiguration={"types": ["REGIONAL"]})
    for api, stage, key in mappings:
        apigw.create_base_path_mapping(domainName=domain, restApiId=api, stage=stage, **({"basePath": key} if key else {}))


def function_url(world: World, function: str, *, auth: str = "NONE", public: bool = True) -> str:
    lam = world.client("lambda")
    url = str(lam.create_function_url_config(FunctionName=function, AuthType=auth)["FunctionUrl"])
    if public:
        lam.add_permission(FunctionName=function, StatementId="url", Action="lambda:InvokeFunctionUrl", Principal="*",
                           FunctionUrlAuthType="NONE")
        lam.add_permission(FunctionName=function, StatementId="url-invoke", Action="lambda:InvokeFunction",
                           Principal="*", InvokedViaFunctionUrl=True)
    return url


def edge_function(world: World, name: str, role_arn: str, *, region: str = "us-east-1", timeout: int = 5) -> str:
    """A published version, as Lambda@Edge needs: its qualified ARN."""
    lam = world.client("lambda", region)
    lam.create_function(FunctionName=name, Runtime="nodejs20.x", Role=role_arn, Handler="index.handler",
                        Code={"ZipFile": zip_of({"index.js": "exports.handler = async (e) => e.Records[0].cf.request;"})},
                        Timeout=timeout)
    return str(lam.publish_version(FunctionName=name)["FunctionArn"])


def distribution(world: World, origin_domain: str, *, origin_path: str = "", protocol: str = "https-only",
                 edge: list[tuple[str, str]] | None = None) -> str:
    """A distribution with one custom origin; edge: (function version ARN, event type) on the default behavior."""
    associations = [{"LambdaFunctionARN": arn, "EventType": event, "IncludeBody": False} for arn, event in edge or []]
    config = {
        "CallerReference": origin_domain, "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "api", "DomainName": origin_domain, "OriginPath": origin_path,
            "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": protocol}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "api", **_CLOUDFRONT_CONFIG_DEFAULTS,
                                 "LambdaFunctionAssociations": {"Quantity": len(associations), "Items": associations}},
    }
    return str(world.client("cloudfront").create_distribution(DistributionConfig=config)["Distribution"]["Id"])


# ------------------------------------------------------------------------------ call counts
class CallCounter:
    """Counts every AWS operation the checks' clients make (botocore's before-call event, one per
    operation, retries not counted), independently of the runner's own count."""

    def __init__(self, world: World) -> None:
        self.operations: list[str] = []
        self._lock = threading.Lock()
        world.hooks.append(("before-call", self._seen))

    def _seen(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.operations.append(f"{model.service_model.service_name}.{model.name}")

    def __len__(self) -> int:
        return len(self.operations)

    def clear(self) -> None:
        with self._lock:
            self.operations.clear()
