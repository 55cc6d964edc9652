"""The call bound: at most 10 + 5 per distinct function, plus 3 per Lambda authorizer, 4 per target
group, 1 per credentials role and 1 per stage after the first, whatever the number of routes, and
whether the logs come from Logs Insights or (denied) from FilterLogEvents. Each run's own count is
compared with an independent count of the operations its clients sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.live.conftest import ACCOUNT, REGION, Route, World
from tests.live.fronts import CallCounter, load_balancer, role
from tests.live.test_logs_insights import TIMED_OUT, denied_insights


def bound(functions: int, authorizers: int = 0, target_groups: int = 0, roles: int = 0, stages: int = 1) -> int:
    return 10 + 5 * functions + 3 * authorizers + 4 * target_groups + roles + max(0, stages - 1)


def rest(world: World, functions: int, routes: int, *, logged: bool = True, stages: int = 1) -> str:
    arns = [world.function(f"fn{i}") for i in range(functions)]
    if logged:
        for i in range(functions):
            world.log(f"/aws/lambda/fn{i}", [TIMED_OUT])
    shape = [Route(m, f"/r{i}", arns[i % functions]) for i in range(routes) for m in ("GET", "POST")]
    return world.rest_api("api", shape, logging_level="INFO", stages={f"s{i}": {} for i in range(stages)})


def authorized(world: World) -> str:
    fn, auth = world.function("fn0"), world.function("auth")
    return world.rest_api("api", [Route("GET", f"/r{i}", fn, authorizer="a") for i in range(10)],
                          authorizers={"a": {"function": auth}})


def with_roles(world: World) -> str:
    fn = world.function("fn0")
    invoker = role(world, "invoker", "apigateway.amazonaws.com")
    queue = f"arn:aws:apigateway:{REGION}:sqs:path/{ACCOUNT}/q"
    return world.rest_api("api", [Route("GET", "/a", fn, credentials=invoker),
                                  Route("POST", "/q", None, integration_type="AWS", uri=queue,
                                        credentials=role(world, "writer", "apigateway.amazonaws.com"),
                                        responses=[("200", None)])])


def http(world: World, functions: int) -> str:
    arns = [world.function(f"fn{i}") for i in range(functions)]
    group = "/aws/apigateway/site"
    world.log(group, ['{"status":"502","integrationErrorMessage":"The Lambda function returned the following error"}'])
    return world.http_api("site", [Route("GET", f"/p{i}", arns[i % functions]) for i in range(12)],
                          access_log=(f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}", "$context.integrationErrorMessage"))


def alb(world: World, groups: int) -> str:
    arns = [world.function(f"fn{i}") for i in range(groups)]
    load_balancer(world, "web-alb", {f"tg{i}": [arns[i]] for i in range(groups)})
    return "web-alb"


SHAPES: dict[str, tuple[Callable[[World], str], int]] = {
    "REST, 1 function, 2 routes": (lambda w: rest(w, 1, 1), bound(1)),
    "REST, 3 functions, 40 routes": (lambda w: rest(w, 3, 20), bound(3)),
    "REST, 5 functions, no log groups yet": (lambda w: rest(w, 5, 5, logged=False), bound(5)),
    "REST, 2 functions, 3 stages": (lambda w: rest(w, 2, 4, stages=3), bound(2, stages=3)),
    "REST, authorizer": (authorized, bound(2, authorizers=1)),
    "REST, credentials roles": (with_roles, bound(1, roles=2)),
    "HTTP, 2 functions, access log": (lambda w: http(w, 2), bound(2)),
    "ALB, 1 target group": (lambda w: alb(w, 1), bound(1, target_groups=1)),
    "ALB, 3 target groups": (lambda w: alb(w, 3), bound(3, target_groups=3)),
}


@pytest.mark.parametrize("insights", [True, False], ids=["insights", "filter-log-events"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_calls_stay_within_the_bound(world: World, shape: str, insights: bool, record_property: Any) -> None:
    build, limit = SHAPES[shape]
    target = build(world)
    if not insights:
        denied_insights(world)
    counter = CallCounter(world)
    report = world.check(target)
    record_property("aws_calls", report.aws_calls)
    print(f"\n{shape} [{'insights' if insights else 'filter'}]: {report.aws_calls} AWS calls (bound {limit})")
    assert not report.partial
    assert report.aws_calls == len(counter), counter.operations
    assert report.aws_calls <= limit, counter.operations

