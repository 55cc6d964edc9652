"""What people have when they ask why something answers 502, read into a typed Target. Pure.

- an API id (`a1b2c3d4e5`), or an execute-api URL `https://ID.execute-api.REGION.amazonaws.com/STAGE/path`;
- a custom domain name or URL (`api.example.com/v1/orders`): its base path mappings name the API;
- a load balancer or target group: ARN or name, or the load balancer's DNS name;
- a CloudFront distribution id (`E2QWRUHAPOMQZL`);
- a function URL (`https://ID.lambda-url.REGION.on.aws/`), or a function ARN.

Slack wraps links as `<https://...|label>`; that is unwrapped here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from bot.errors import UsageError

MAX_TARGET = 2048
Kind = Literal["api", "domain", "load-balancer", "target-group", "name", "alb-dns", "distribution",
               "function-url", "function"]

API_ID = re.compile(r"[a-z0-9]{10}")
DISTRIBUTION_ID = re.compile(r"[A-Z0-9]{12,16}")  # E2QWRUHAPOMQZL; letters and digits both (is_distribution_id)
_ELB_NAME = re.compile(r"[A-Za-z0-9-]{1,32}")
_LABEL = re.compile(r"[A-Za-z0-9-]{1,63}")
_REGION = r"[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}"
_EXECUTE_API = re.compile(rf"(?P<id>[a-z0-9]{{1,32}})\.execute-api\.(?P<region>{_REGION})\.amazonaws\.com(?:\.cn)?")
_FUNCTION_URL = re.compile(rf"[a-z0-9]{{16,64}}\.lambda-url\.(?P<region>{_REGION})\.on\.aws")
_ALB_DNS = re.compile(rf"[A-Za-z0-9-]{{1,64}}\.(?P<region>{_REGION})\.elb\.amazonaws\.com(?:\.cn)?")
_ELB_ARN = re.compile(
    rf"arn:aws[a-z-]*:elasticloadbalancing:(?P<region>{_REGION}):\d{{12}}:(?P<kind>loadbalancer/app|targetgroup)/"
    r"[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}"
)
_FUNCTION_ARN = re.compile(rf"arn:aws[a-z-]*:lambda:(?P<region>{_REGION}):\d{{12}}:function:[A-Za-z0-9_-]{{1,64}}"
                           r"(?::[A-Za-z0-9_$-]{1,128})?")


@dataclass(frozen=True)
class Target:
    kind: Kind
    value: str  # the API id, host, ARN, name or distribution id
    region: str | None = None  # what the target itself says (a URL, an ARN)
    path: str | None = None  # the URL's path, for an API: "/prod/orders/42"; None without a URL
    text: str = ""  # as given, for messages

    @property
    def label(self) -> str:
        return self.text or self.value


def parse_target(text: str) -> Target:
    """UsageError when `text` is none of the shapes above."""
    given = unwrap(text)
    if not given:
        raise UsageError("say what to check: an API id, an execute-api or custom domain URL, a load balancer or "
                         "target group (ARN or name), a CloudFront distribution id or a function URL")
    if len(given) > MAX_TARGET or any(c.isspace() or ord(c) < 32 for c in given):
        raise UsageError(f"'{given[:60]}' is not something badgateway can check")
    if given.startswith("arn:"):
        return _arn(given)
    if API_ID.fullmatch(given):
        return Target("api", given, text=given)
    if is_distribution_id(given):
        return Target("distribution", given, text=given)
    if "." in given or "/" in given or "://" in given:
        return _url(given)
    if is_elb_name(given):
        return Target("name", given, text=given)
    raise UsageError(f"'{given[:60]}' is not an API id, URL, load balancer, target group or distribution id")


def unwrap(text: str) -> str:
    """`<https://x|label>` (Slack's link markup) -> `https://x`; surrounding quotes and space dropped."""
    value = (text or "").strip().strip("'\"")
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].split("|", 1)[0]
    return value.strip()


def _arn(text: str) -> Target:
    elb = _ELB_ARN.fullmatch(text)
    if elb:
        kind: Kind = "load-balancer" if elb.group("kind") == "loadbalancer/app" else "target-group"
        return Target(kind, text, region=elb.group("region"), text=text)
    function = _FUNCTION_ARN.fullmatch(text)
    if function:
        return Target("function", text, region=function.group("region"), text=text)
    raise UsageError(f"'{text[:80]}' is not an Application Load Balancer, target group or Lambda function ARN")


def _url(text: str) -> Target:
    parts = urlsplit(text if "://" in text else f"https://{text}")
    if parts.scheme not in ("http", "https"):
        raise UsageError(f"'{text[:60]}' is not an http(s) URL")
    host = (parts.hostname or "").lower()
    path = unquote(parts.path or "/")
    api = _EXECUTE_API.fullmatch(host)
    if api:
        return Target("api", api.group("id"), region=api.group("region"), path=path, text=text)
    url = _FUNCTION_URL.fullmatch(host)
    if url:
        return Target("function-url", host, region=url.group("region"), path=path, text=text)
    alb = _ALB_DNS.fullmatch(host)
    if alb:
        return Target("alb-dns", host, region=alb.group("region"), path=path, text=text)
    if host.endswith(".cloudfront.net"):
        raise UsageError(f"{host} is a CloudFront domain: give the distribution id instead (E...), as the "
                         "CloudFront console lists it")
    if not is_host(host):
        raise UsageError(f"'{text[:60]}' is not a URL or host name badgateway can check")
    return Target("domain", host, path=path, text=text)


def is_elb_name(text: str) -> bool:
    """A load balancer or target group name: 1-32 letters, digits and hyphens, no hyphen at either end."""
    return bool(_ELB_NAME.fullmatch(text)) and not text.startswith("-") and not text.endswith("-") \
        and not text.lower().startswith("internal-")


def is_host(host: str) -> bool:
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not labels[-1].isalpha() or len(labels[-1]) < 2:
        return False
    return all(_LABEL.fullmatch(label) and label[0] != "-" and label[-1] != "-" for label in labels)


def is_distribution_id(text: str) -> bool:
    return bool(DISTRIBUTION_ID.fullmatch(text)) and not text.isdigit() and not text.isalpha()
