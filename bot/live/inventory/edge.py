"""Reading a CloudFront distribution (one call): its origins and the Lambda@Edge functions of
its cache behaviors, and a Lambda function URL (one call, or a bounded search from the URL)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.errors import BadGatewayError
from bot.live.aws import AwsCallError, AwsClients
from bot.live.finding import ApiInfo
from bot.live.inventory.apigateway import parse_function_arn
from bot.live.inventory.model import (
    Distribution,
    EdgeFunction,
    FunctionUrl,
    Inventory,
    LambdaTarget,
    Origin,
)

MAX_URL_SEARCH = 200  # functions looked at, at most, to find which one a function URL belongs to
_URL_SEARCH_WORKERS = 8
_NAME_OF_ARN = re.compile(r":function:([A-Za-z0-9_-]+)")


# -------------------------------------------------------------------------------- CloudFront
def load_distribution(aws: AwsClients, distribution_id: str) -> Distribution:
    try:
        answer = aws.call("cloudfront", "GetDistribution", in_region="us-east-1", Id=distribution_id)
    except AwsCallError as exc:
        if exc.not_found:
            raise BadGatewayError(f"CloudFront distribution '{distribution_id}' not found in this account") from None
        raise BadGatewayError(f"cannot read CloudFront distribution '{distribution_id}': {exc.describe()}") from None
    body = answer.get("Distribution") or {}
    config = body.get("DistributionConfig") or {}
    origins = tuple(
        Origin(
            id=str(item.get("Id", "")), domain=str(item.get("DomainName", "")), path=str(item.get("OriginPath") or ""),
            protocol_policy=(item.get("CustomOriginConfig") or {}).get("OriginProtocolPolicy"),
        )
        for item in _items(config.get("Origins"))
    )
    behaviors = [("*", config.get("DefaultCacheBehavior") or {})]
    behaviors += [(str(b.get("PathPattern", "")), b) for b in _items(config.get("CacheBehaviors"))]
    edge: list[EdgeFunction] = []
    associations = 0
    for pattern, behavior in behaviors:
        associations += len(_items(behavior.get("FunctionAssociations")))
        for item in _items(behavior.get("LambdaFunctionAssociations")):
            arn = str(item.get("LambdaFunctionARN", ""))
            edge.append(EdgeFunction(
                arn=arn, event_type=str(item.get("EventType", "")), behavior=pattern,
                include_body=bool(item.get("IncludeBody", False)), target=parse_function_arn(arn)[0],
            ))
    return Distribution(
        id=str(body.get("Id", distribution_id)), arn=str(body.get("ARN", "")), domain=str(body.get("DomainName", "")),
        origins=origins, edge_functions=tuple(edge), function_associations=associations,
    )


def _items(container: Any) -> list[dict[str, Any]]:
    if not isinstance(container, dict):
        return []
    return [item for item in container.get("Items") or [] if isinstance(item, dict)]


def distribution_inventory(aws: AwsClients, distribution: Distribution) -> Inventory:
    """A distribution checked on its own (no origin badgateway can follow)."""
    info = ApiInfo(id=distribution.id, name=distribution.domain, protocol="CloudFront")
    return Inventory(api=info, region=aws.region, account=aws.account_id(), endpoint_types=(), routes=(), stages=(),
                     bindings=(), distribution=distribution)


# ----------------------------------------------------------------------------- function URLs
def function_url_config(aws: AwsClients, target: LambdaTarget) -> dict[str, Any] | None:
    params: dict[str, Any] = {"FunctionName": target.arn}
    if target.qualifier:
        params["Qualifier"] = target.qualifier
    try:
        return aws.call("lambda", "GetFunctionUrlConfig", in_region=target.region, **params)
    except AwsCallError as exc:
        if exc.not_found:
            return None
        raise BadGatewayError(f"cannot read the function URL of {target.label}: {exc.describe()}") from None


def function_url_inventory(aws: AwsClients, target: LambdaTarget, config: dict[str, Any] | None) -> Inventory:
    urls: tuple[FunctionUrl, ...] = ()
    if config:
        urls = (FunctionUrl(
            target=target, url=str(config.get("FunctionUrl", "")), auth_type=str(config.get("AuthType", "")),
            invoke_mode=str(config.get("InvokeMode") or "BUFFERED"), created=config.get("CreationTime"),
        ),)
    info = ApiInfo(id=target.qualified_arn, name=target.label, protocol="FunctionURL")
    notes = () if urls else (f"{target.label} has no function URL; its configuration is checked all the same",)
    return Inventory(api=info, region=aws.region, account=aws.account_id(), endpoint_types=(), routes=(), stages=(),
                     bindings=(), function_urls=urls, notes=notes)


def find_function_by_url(aws: AwsClients, host: str) -> tuple[LambdaTarget, dict[str, Any]]:
    """Which function a function URL host belongs to. Lambda has no lookup by URL, so the account's
    functions are listed and each one's URL configuration read, at most MAX_URL_SEARCH of them."""
    names: list[str] = []
    marker: str | None = None
    try:
        while len(names) < MAX_URL_SEARCH:
            page = aws.call("lambda", "ListFunctions", MaxItems=50, **({"Marker": marker} if marker else {}))
            names += [str(item["FunctionArn"]) for item in page.get("Functions", [])]
            marker = page.get("NextMarker")
            if not marker:
                break
    except AwsCallError as exc:
        raise BadGatewayError(f"cannot list the functions to find {host}: {exc.describe()}") from None
    account = aws.account_id()

    def url_of(arn: str) -> tuple[LambdaTarget, dict[str, Any]] | None:
        target = parse_function_arn(arn)[0] or LambdaTarget(_name(arn), aws.region, account)
        try:
            config = aws.call("lambda", "GetFunctionUrlConfig", FunctionName=arn)
        except AwsCallError:
            return None
        return (target, config) if host in str(config.get("FunctionUrl", "")) else None

    with ThreadPoolExecutor(max_workers=_URL_SEARCH_WORKERS) as pool:
        for found in pool.map(url_of, names[:MAX_URL_SEARCH]):
            if found:
                return found
    more = f" (only the first {MAX_URL_SEARCH} functions were searched)" if marker else ""
    raise BadGatewayError(f"no function in {aws.region} has the function URL {host}{more}; "
                          "pass the function's ARN instead")


def _name(arn: str) -> str:
    match = _NAME_OF_ARN.search(arn)
    return match.group(1) if match else arn
