"""From what the user gave (a Target) to what to check (Jobs): each Job loads one Inventory.

Most targets are one job. A custom domain without a path, with several base path mappings, is one
job per mapping; a CloudFront distribution is one job per origin badgateway can follow (API
Gateway, a load balancer, a function URL), the first one carrying the distribution's Lambda@Edge
functions, or a job of its own when no origin can be followed. `--all` is one job per API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.errors import BadGatewayError, UsageError
from bot.live.aws import AwsCallError, AwsClients
from bot.live.inventory import Distribution, Inventory, find_api, load_inventory, narrowed
from bot.live.inventory.alb import (
    find_load_balancer,
    find_target_group,
    load_from_load_balancer,
    load_from_target_group,
)
from bot.live.inventory.apigateway import load_found_api
from bot.live.inventory.edge import (
    distribution_inventory,
    find_function_by_url,
    function_url_config,
    function_url_inventory,
    load_distribution,
)
from bot.live.inventory.model import LambdaTarget
from bot.live.targets import API_ID, DISTRIBUTION_ID, Target, is_elb_name, parse_target

Loader = Callable[[AwsClients], Inventory]
MAX_LOAD_BALANCER_PAGES = 5  # 400 load balancers a page: a DNS name is looked up among 2,000 at most


@dataclass(frozen=True)
class Job:
    label: str  # what is checked, in words: "a1b2c3d4e5 (stage prod) from api.example.com/v1"
    load: Loader  # called with clients for `region`
    region: str | None = None  # None: the region of the run


def resolve(aws: AwsClients, target: Target, *, stage: str | None = None) -> list[Job]:
    """The jobs for `target`; BadGatewayError when it names nothing in the account and region."""
    kind = target.kind
    if kind == "api":
        if target.path is None and stage is None:
            return [Job(target.value, api_or_name(target))]
        return [_api_job(target.value, stage, target.path, target.label)]
    if kind == "domain":
        return _domain_jobs(aws, target, stage)
    if kind == "name" and target.value.isalnum() and target.value.islower():
        return [Job(target.value, api_or_name(target))]  # an API id of another length (emulators), or a name
    if kind in ("load-balancer", "target-group", "name"):
        try:
            return _by_name(aws, target, api_tried=False)
        except BadGatewayError as not_a_name:
            if kind != "name" or not DISTRIBUTION_ID.fullmatch(target.value):
                raise
            try:  # a distribution id of letters only (rare, random): tried after the names
                return _distribution_jobs(aws, target.value)
            except BadGatewayError:
                raise not_a_name from None
    if kind == "alb-dns":
        return [Job(target.value, _load_balancer_at(target.value))]
    if kind == "distribution":
        try:
            return _distribution_jobs(aws, target.value)
        except BadGatewayError:
            if not is_elb_name(target.value):
                raise
            return _by_name(aws, target, api_tried=False)  # an upper-case load balancer name, then
    if kind == "function-url":
        return [Job(f"function URL {target.value}", _function_url_at(target.value))]
    function = _function(target.value)
    return [Job(function.label, lambda a: function_url_inventory(a, function, function_url_config(a, function)))]


# ------------------------------------------------------------------------------------- APIs
def _api_job(api_id: str, stage: str | None, path: str | None, label: str) -> Job:
    def load(aws: AwsClients) -> Inventory:
        if path is None:
            return load_inventory(aws, api_id, stage)
        inventory = load_inventory(aws, api_id, None)
        chosen, rest = stage_and_route(inventory, stage, path)
        return narrowed(inventory, chosen, rest)

    where = f" (stage {stage})" if stage else ""
    return Job(f"{api_id}{where}" if label == api_id else f"{api_id}{where} from {label}", load)


def api_or_name(target: Target) -> Loader:
    """An API id, or else a load balancer or target group with a 10-character name."""

    def load(aws: AwsClients) -> Inventory:
        found = find_api(aws, target.value)
        if found is not None:
            return load_found_api(aws, found, None)
        [job] = _by_name(aws, target, api_tried=True)
        return job.load(aws)

    return load


def stage_and_route(inventory: Inventory, stage: str | None, path: str) -> tuple[str, str]:
    """The stage an execute-api URL path names, and the rest of it (the route's path).

    `/prod/orders/42`: stage prod if there is one, else the `$default` stage serves `/prod/orders/42`.
    """
    segments = [part for part in path.split("/") if part]
    names = inventory.stage_names
    if stage is not None:
        if segments and segments[0] == stage:
            segments = segments[1:]
        if stage not in names:
            raise UsageError(f"stage '{stage}' not found on API '{inventory.api.id}' (stages: {', '.join(names) or 'none'})")
        return stage, "/" + "/".join(segments)
    if segments and segments[0] in names:
        return segments[0], "/" + "/".join(segments[1:])
    if "$default" in names:
        return "$default", "/" + "/".join(segments)
    known = ", ".join(names) or "none"
    first = segments[0] if segments else "(none)"
    raise UsageError(f"the URL names stage '{first}', which API '{inventory.api.id}' does not have "
                     f"(stages: {known}); API Gateway answers 403/404 for it, not a 5XX")


def _domain_jobs(aws: AwsClients, target: Target, stage: str | None) -> list[Job]:
    mappings = custom_domain_mappings(aws, target.value)
    path = target.path or "/"
    segments = [part for part in path.split("/") if part]
    chosen: list[tuple[str, str, str, str]] = []  # api, stage, key, path below the key
    if not segments:  # the whole domain: every mapping
        chosen = [(api_id, mapped_stage, key, "/") for api_id, mapped_stage, key in mappings]
    best = -1
    for api_id, mapped_stage, key in (mappings if segments else []):
        key_parts = [part for part in key.split("/") if part]
        if segments[: len(key_parts)] != key_parts:
            continue
        rest = "/" + "/".join(segments[len(key_parts):])
        if len(key_parts) > best:
            best, chosen = len(key_parts), [(api_id, mapped_stage, key, rest)]
        elif len(key_parts) == best:
            chosen.append((api_id, mapped_stage, key, rest))
    if not chosen:
        keys = ", ".join(f"/{key}" for _, _, key in mappings) or "none"
        raise BadGatewayError(f"no base path mapping of {target.value} matches {path} (mappings: {keys}); "
                              "API Gateway answers 403 for it, not a 5XX")
    whole_domain = target.path in (None, "/") and len(chosen) > 1
    jobs = []
    for api_id, mapped_stage, key, rest in chosen:
        where = f"{target.value}/{key}".rstrip("/")
        route = None if whole_domain or target.path is None else rest
        jobs.append(_mapped_job(api_id, stage or mapped_stage, route, f"{api_id} (stage {mapped_stage}) from {where}"))
    return jobs


def _mapped_job(api_id: str, stage: str, route: str | None, label: str) -> Job:
    def load(aws: AwsClients) -> Inventory:
        inventory = load_inventory(aws, api_id, stage)
        return narrowed(inventory, stage, route) if route is not None else inventory

    return Job(label, load)


def custom_domain_mappings(aws: AwsClients, domain: str) -> list[tuple[str, str, str]]:
    """(api id, stage, mapping key) of every API mapping of a custom domain name (REST or HTTP APIs)."""
    try:
        items = aws.call("apigatewayv2", "GetApiMappings", DomainName=domain).get("Items", [])
        found = [(str(i["ApiId"]), str(i.get("Stage", "")), str(i.get("ApiMappingKey") or "")) for i in items]
    except AwsCallError as exc:
        if not exc.not_found:
            raise BadGatewayError(f"cannot read custom domain name {domain} in {aws.region}: {exc.describe()}") from None
        found = []
    if found:
        return found
    try:
        items = aws.call("apigateway", "GetBasePathMappings", domainName=domain, limit=500).get("items", [])
    except AwsCallError as exc:
        if exc.not_found:
            raise BadGatewayError(f"{domain} is not an API Gateway custom domain name in {aws.region} "
                                  "(wrong --region, or not API Gateway?)") from None
        raise BadGatewayError(f"cannot read custom domain name {domain} in {aws.region}: {exc.describe()}") from None
    return [(str(i["restApiId"]), str(i.get("stage", "")), "" if i.get("basePath") in (None, "(none)") else
             str(i["basePath"])) for i in items]


# ------------------------------------------------------------------------ load balancers
def _by_name(aws: AwsClients, target: Target, *, api_tried: bool) -> list[Job]:
    value = target.value
    if target.kind != "target-group":
        body = find_load_balancer(aws, value)
        if body is not None:
            return [Job(str(body.get("LoadBalancerName", value)), lambda a: load_from_load_balancer(a, body))]
    if target.kind != "load-balancer":
        group = find_target_group(aws, value)
        if group is not None:
            return [Job(str(group.get("TargetGroupName", value)), lambda a: load_from_target_group(a, group))]
    what = "REST API, HTTP API, load balancer or target group" if api_tried or API_ID.fullmatch(value) \
        else "load balancer or target group"
    raise BadGatewayError(f"'{value}' not found in region {aws.region}: no {what} has this name or id there "
                          "(wrong --region or --profile?)")


def _load_balancer_by_dns(aws: AwsClients, dns: str) -> dict[str, Any]:
    marker: str | None = None
    for _ in range(MAX_LOAD_BALANCER_PAGES):
        try:
            page = aws.call("elbv2", "DescribeLoadBalancers", PageSize=400, **({"Marker": marker} if marker else {}))
        except AwsCallError as exc:
            raise BadGatewayError(f"cannot list the load balancers in {aws.region}: {exc.describe()}") from None
        for body in page.get("LoadBalancers", []):
            if str(body.get("DNSName", "")).lower() == dns.lower():
                return dict(body)
        marker = page.get("NextMarker")
        if not marker:
            break
    raise BadGatewayError(f"no load balancer in {aws.region} has the DNS name {dns}")


# ------------------------------------------------------------------------------ CloudFront
def _distribution_jobs(aws: AwsClients, distribution_id: str) -> list[Job]:
    distribution = load_distribution(aws, distribution_id)
    jobs: list[Job] = []
    for origin in distribution.origins:
        try:
            target = parse_target(origin.domain)
        except UsageError:
            continue  # S3, a custom origin of someone else's: nothing badgateway can read
        label = f"origin {origin.id} of {distribution.id}"
        if target.kind == "api":
            stage = next((part for part in origin.path.split("/") if part), None)
            job = _api_job(target.value, stage, None, label)
            jobs.append(replace(job, region=target.region))
        elif target.kind == "alb-dns":
            jobs.append(Job(f"{target.value} ({label})", _load_balancer_at(target.value), target.region))
        elif target.kind == "function-url":
            jobs.append(Job(f"{target.value} ({label})", _function_url_at(target.value), target.region))
    if not jobs:
        return [Job(f"CloudFront distribution {distribution.id}", lambda a: distribution_inventory(a, distribution))]
    first = jobs[0]
    jobs[0] = replace(first, label=f"{first.label}, behind CloudFront {distribution.id}",
                      load=_with_distribution(first.load, distribution))
    return jobs


def _load_balancer_at(dns: str) -> Loader:
    return lambda aws: load_from_load_balancer(aws, _load_balancer_by_dns(aws, dns))


def _function_url_at(host: str) -> Loader:
    def load(aws: AwsClients) -> Inventory:
        function, config = find_function_by_url(aws, host)
        return function_url_inventory(aws, function, config)

    return load


def _with_distribution(load: Loader, distribution: Distribution) -> Loader:
    return lambda aws: replace(load(aws), distribution=distribution)


def _function(arn: str) -> LambdaTarget:
    from bot.live.inventory import parse_function_arn

    function, problem = parse_function_arn(arn)
    if function is None:
        raise UsageError(problem or f"'{arn}' is not a Lambda function ARN")
    return function
