"""Speed of `badgateway check` on a big API, measured (never asserted in the test suite).

    python benchmarks/live_checks.py [--routes 200] [--functions 20] [--latency-ms 50]

An in-process AWS emulator (moto) on 127.0.0.1 holds a REST API with ROUTES methods spread over
FUNCTIONS functions; every AWS call the check makes is delayed by LATENCY ms (a botocore
before-send hook that sleeps), roughly a call to a nearby region. The target: the whole check in
under 3 s, and at most 10 + 5 AWS calls per distinct function whatever the number of routes.
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REGION = "us-east-1"
TARGET_SECONDS = 3.0


def seed(url: str, routes: int, functions: int) -> str:
    import boto3

    session = boto3.session.Session(aws_access_key_id="bench", aws_secret_access_key="bench", region_name=REGION)
    iam, lam, apigw = (session.client(s, endpoint_url=url) for s in ("iam", "lambda", "apigateway"))
    role = iam.create_role(RoleName="bench", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return {'statusCode': 200}\n")
    arns = [
        lam.create_function(FunctionName=f"fn-{i:02d}", Runtime="python3.12", Role=role, Handler="app.handler",
                            Code={"ZipFile": buffer.getvalue()}, Timeout=10)["FunctionArn"]
        for i in range(functions)
    ]
    api_id = apigw.create_rest_api(name="bench", endpointConfiguration={"types": ["REGIONAL"]})["id"]
    root = apigw.get_resources(restApiId=api_id)["items"][0]["id"]
    methods = ("GET", "POST")
    for index in range(routes):
        if index % len(methods) == 0:
            resource = apigw.create_resource(restApiId=api_id, parentId=root, pathPart=f"r{index // 2}")["id"]
        method = methods[index % len(methods)]
        apigw.put_method(restApiId=api_id, resourceId=resource, httpMethod=method, authorizationType="NONE")
        apigw.put_integration(
            restApiId=api_id, resourceId=resource, httpMethod=method, type="AWS_PROXY", integrationHttpMethod="POST",
            uri=f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arns[index % functions]}/invocations",
        )
    apigw.create_deployment(restApiId=api_id, stageName="prod")
    for i in range(0, functions, 2):  # half the functions let API Gateway in
        lam.add_permission(FunctionName=f"fn-{i:02d}", StatementId="apigw", Action="lambda:InvokeFunction",
                           Principal="apigateway.amazonaws.com",
                           SourceArn=f"arn:aws:execute-api:{REGION}:123456789012:{api_id}/*/*/*")
    return str(api_id)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--routes", type=int, default=200)
    parser.add_argument("--functions", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args()

    from moto.server import ThreadedMotoServer

    from bot.live.aws import AwsClients, AwsSettings
    from bot.live.runner import CheckRequest, run_check

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    try:
        seeding = time.perf_counter()
        api_id = seed(url, args.routes, args.functions)
        print(f"seeded {args.routes} routes over {args.functions} functions in {time.perf_counter() - seeding:.1f} s")

        sent = {"requests": 0}

        def network(request: Any, **_: Any) -> None:
            sent["requests"] += 1
            time.sleep(args.latency_ms / 1000)  # the round trip to AWS

        aws = AwsClients(AwsSettings(region=REGION, endpoint_url=url, access_key_id="bench",
                                     secret_access_key="bench", hooks=(("before-send", network),)))
        started = time.perf_counter()
        report = run_check(CheckRequest(api_id=api_id, region=REGION), aws=aws)
        elapsed = time.perf_counter() - started
    finally:
        server.stop()

    bound = 10 + 5 * args.functions
    counts = report.counts()
    print()
    print("| what | value |")
    print("|---|---|")
    print(f"| routes / distinct functions | {args.routes} / {args.functions} |")
    print(f"| added latency per AWS call | {args.latency_ms:.0f} ms |")
    print(f"| AWS calls (operations) | {report.aws_calls} (bound 10 + 5 x {args.functions} = {bound}) |")
    print(f"| HTTP requests sent (incl. retries) | {sent['requests']} |")
    print(f"| wall time of the check | {elapsed:.2f} s (target < {TARGET_SECONDS:.0f} s) |")
    print(f"| findings | {', '.join(f'{n} {s}' for s, n in counts.items() if n)} |")
    print(f"| partial | {report.partial} |")
    slowest = sorted(report.timings.items(), key=lambda item: -item[1])[:3]
    print(f"| slowest checks | {', '.join(f'{c} {s:.2f} s' for c, s in slowest)} |")
    ok = elapsed < TARGET_SECONDS and report.aws_calls <= bound and not report.partial
    print()
    print("OK" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
