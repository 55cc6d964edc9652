"""/502 <url> and /502 <alb-name> work like /502 API-ID: parsed here, checked end to end against
the demo's broken API (and a load balancer added to its moto server)."""

from __future__ import annotations

import json

import pytest

from bot.slack.handling.slash import parse_slash

from .conftest import WAIT
from .test_live_command import allowed_bot, command  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def broken_api():
    """The demo's broken API, as in test_live_command, on a fresh emulator: moto's backends live in
    the process, so what an earlier module seeded is cleared first."""
    import urllib.request

    from bot.live.demo import seed, start_server

    server, url = start_server()
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).read()
    yield seed(url)
    server.stop()


@pytest.mark.parametrize("text, target", [
    ("https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/orders",
     "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/orders"),
    ("<https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod|a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod>",
     "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod"),
    ("<https://api.example.com/v1>", "https://api.example.com/v1"),
    ("web-alb", "web-alb"),
    ("a1b2c3d4e5", "a1b2c3d4e5"),
])
def test_urls_and_load_balancer_names_are_live_checks(text: str, target: str) -> None:
    request = parse_slash(text)
    assert request.kind == "live" and request.api_id == target


def test_url_end_to_end(allowed_bot, aws_env):  # noqa: F811
    url = f"https://{aws_env.api_id}.execute-api.us-east-1.amazonaws.com/prod/orders"
    ack, _ = command(allowed_bot, f"<{url}|{url[8:]}>")
    assert "checking" in ack
    [posted] = allowed_bot.fake.wait_for("chat.postMessage", timeout=WAIT + 30)
    text = json.dumps(posted.params["blocks"], ensure_ascii=False)
    assert "missing-invoke-permission" in text and "orders-api" in text
    assert "checkout" not in text  # the URL names one route: its function only


def test_alb_name_end_to_end(allowed_bot, aws_env):  # noqa: F811
    import boto3

    def client(service: str):  # the demo's own moto server
        return boto3.client(service, region_name="us-east-1", endpoint_url=aws_env.url)

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.1.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"]
               for i, z in ((1, "a"), (2, "b"))]
    elb = client("elbv2")
    balancer = elb.create_load_balancer(Name="shop-alb", Subnets=subnets)["LoadBalancers"][0]
    group = elb.create_target_group(Name="shop-tg", TargetType="lambda")["TargetGroups"][0]
    function = client("lambda").get_function(FunctionName="catalog")["Configuration"]["FunctionArn"]
    elb.register_targets(TargetGroupArn=group["TargetGroupArn"], Targets=[{"Id": function}])
    elb.create_listener(LoadBalancerArn=balancer["LoadBalancerArn"], Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}])
    ack, _ = command(allowed_bot, "shop-alb")
    assert "checking" in ack
    [posted] = allowed_bot.fake.wait_for("chat.postMessage", timeout=WAIT + 30)
    text = json.dumps(posted.params["blocks"], ensure_ascii=False)
    assert "missing-invoke-permission" in text and "elasticloadbalancing.amazonaws.com" in text
