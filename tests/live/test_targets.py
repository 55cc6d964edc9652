"""What people paste as the thing to check, read into a Target (pure)."""

from __future__ import annotations

import contextlib
import time

import pytest

from bot.errors import UsageError
from bot.live.targets import parse_target

ARN_TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-tg/0123456789abcdef"
ARN_LB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web-alb/0123456789abcdef"


@pytest.mark.parametrize("text, kind, value, region, path", [
    ("a1b2c3d4e5", "api", "a1b2c3d4e5", None, None),
    ("https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/orders/42?x=1", "api", "a1b2c3d4e5",
     "eu-west-1", "/prod/orders/42"),
    ("<https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod|a1b2c3d4e5.execute-api...>", "api", "a1b2c3d4e5",
     "eu-west-1", "/prod"),
    ("a1b2c3d4e5.execute-api.us-east-1.amazonaws.com", "api", "a1b2c3d4e5", "us-east-1", "/"),
    ("api.example.com/v1/orders", "domain", "api.example.com", None, "/v1/orders"),
    ("https://API.Example.com", "domain", "api.example.com", None, "/"),
    ("web-alb", "name", "web-alb", None, None),
    (ARN_TG, "target-group", ARN_TG, "eu-west-1", None),
    (ARN_LB, "load-balancer", ARN_LB, "eu-west-1", None),
    ("internal-web-alb-1234.eu-west-1.elb.amazonaws.com", "alb-dns", "internal-web-alb-1234.eu-west-1.elb.amazonaws.com",
     "eu-west-1", "/"),
    ("E2QWRUHAPOMQZL", "distribution", "E2QWRUHAPOMQZL", None, None),
    ("https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/", "function-url",
     "abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws", "eu-west-1", "/"),
    ("arn:aws:lambda:eu-west-1:123456789012:function:orders:live", "function",
     "arn:aws:lambda:eu-west-1:123456789012:function:orders:live", "eu-west-1", None),
])
def test_shapes(text: str, kind: str, value: str, region: str | None, path: str | None) -> None:
    target = parse_target(text)
    assert (target.kind, target.value, target.region, target.path) == (kind, value, region, path)


@pytest.mark.parametrize("text", [
    "", "   ", "two words", "-starts-with-hyphen", "ftp://example.com/x", "d1234.cloudfront.net",
    "arn:aws:s3:::bucket", "name_with_underscore", "x" * 3000, "a\x00b", "https://[::1]/",
])
def test_bad_input_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse_target(text)


def test_long_hostile_input_is_fast() -> None:
    for text in ("a." * 1000, "a-" * 1000 + ".com", "1" * 2047, ("x" * 60 + ".") * 30):
        started = time.monotonic()
        with contextlib.suppress(UsageError):
            parse_target(text)
        assert time.monotonic() - started < 0.5
