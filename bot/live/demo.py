"""`badgateway demo`: the whole product against a local AWS emulator, no account needed.

Starts moto's server in-process on 127.0.0.1 (a random port), seeds a small API with the usual
breakages (a missing invoke permission, a function allowed to run longer than the integration
waits, malformed proxy responses in the execution log, reserved concurrency 0), then runs the
live check and a diagnosis of the seeded log, exactly as against a real account.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

REGION = "us-east-1"
DEMO_KEY = "demo"  # moto accepts any credentials; these never leave the loopback interface

EXECUTION_LOG = [
    "(7c1e-01) Extended Request Id: Kx3fZHf2oAMFa0Q=",
    "(7c1e-01) Verifying Usage Plan for request: 7c1e-01. API Key:  API Stage: {api}/prod",
    "(7c1e-01) Starting execution for request: 7c1e-01",
    "(7c1e-01) HTTP Method: GET, Resource Path: /catalog",
    '(7c1e-01) Endpoint response body before transformations: {{"statusCode": 200, "body": {{"items": []}}}}',
    "(7c1e-01) Execution failed due to configuration error: Malformed Lambda proxy response",
    "(7c1e-01) Method completed with status: 502",
    "(9a42-02) HTTP Method: POST, Resource Path: /reports",
    "(9a42-02) Execution failed due to a timeout error",
    "(9a42-02) Method completed with status: 504",
]


@dataclass(frozen=True)
class DemoWorld:
    url: str
    api_id: str
    execution_log: str


def start_server() -> tuple[Any, str]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log on the user's terminal
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


def seed(url: str) -> DemoWorld:
    import boto3

    session = boto3.session.Session(aws_access_key_id=DEMO_KEY, aws_secret_access_key=DEMO_KEY, region_name=REGION)

    def client(service: str) -> Any:
        return session.client(service, endpoint_url=url)

    role = client("iam").create_role(RoleName="demo-lambda-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    lam = client("lambda")
    code = _zip({"app.py": "def handler(event, context):\n    return {'statusCode': 200, 'body': '{}'}\n"})

    def function(name: str, timeout: int) -> str:
        return str(lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="app.handler",
                                       Code={"ZipFile": code}, Timeout=timeout)["FunctionArn"])

    orders = function("orders-api", 10)  # no invoke permission at all
    reports = function("report-builder", 60)  # may run 60 s behind a 29 s integration
    checkout = function("checkout", 10)  # reserved concurrency 0
    catalog = function("catalog", 10)  # returns a body that is an object, not a string
    lam.put_function_concurrency(FunctionName="checkout", ReservedConcurrentExecutions=0)

    apigw = client("apigateway")
    api_id = apigw.create_rest_api(name="shop-demo", endpointConfiguration={"types": ["REGIONAL"]})["id"]
    root = apigw.get_resources(restApiId=api_id)["items"][0]["id"]
    for method, part, arn in (("GET", "orders", orders), ("POST", "reports", reports),
                              ("POST", "checkout", checkout), ("GET", "catalog", catalog)):
        resource = apigw.create_resource(restApiId=api_id, parentId=root, pathPart=part)["id"]
        apigw.put_method(restApiId=api_id, resourceId=resource, httpMethod=method, authorizationType="NONE")
        apigw.put_integration(
            restApiId=api_id, resourceId=resource, httpMethod=method, type="AWS_PROXY", integrationHttpMethod="POST",
            uri=f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}/invocations",
        )
    apigw.create_deployment(restApiId=api_id, stageName="prod")
    apigw.update_stage(restApiId=api_id, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"}])
    account = client("sts").get_caller_identity()["Account"]
    apigw.update_account(patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn",
                                           "value": f"arn:aws:iam::{account}:role/apigateway-cloudwatch"}])
    for name in ("report-builder", "checkout", "catalog"):
        lam.add_permission(FunctionName=name, StatementId="apigateway", Action="lambda:InvokeFunction",
                           Principal="apigateway.amazonaws.com",
                           SourceArn=f"arn:aws:execute-api:{REGION}:{account}:{api_id}/*/*/*")

    lines = [line.format(api=api_id) for line in EXECUTION_LOG]
    logs = client("logs")
    _log(logs, f"API-Gateway-Execution-Logs_{api_id}/prod", lines)
    for name in ("orders-api", "report-builder", "checkout", "catalog"):
        _log(logs, f"/aws/lambda/{name}", [
            "START RequestId: 5d0c2a1e-0000-4000-8000-000000000001 Version: $LATEST",
            "END RequestId: 5d0c2a1e-0000-4000-8000-000000000001",
            "REPORT RequestId: 5d0c2a1e-0000-4000-8000-000000000001 Duration: 12.31 ms Billed Duration: 13 ms "
            "Memory Size: 128 MB Max Memory Used: 41 MB",
        ])
    now = datetime.now(UTC) - timedelta(minutes=3)
    cloudwatch = client("cloudwatch")
    for namespace, metric, dimensions, value in (
        ("AWS/ApiGateway", "5XXError", {"ApiName": "shop-demo", "Stage": "prod"}, 42),
        ("AWS/ApiGateway", "Count", {"ApiName": "shop-demo", "Stage": "prod"}, 310),
        ("AWS/ApiGateway", "IntegrationLatency", {"ApiName": "shop-demo", "Stage": "prod"}, 29_004),
        ("AWS/Lambda", "Duration", {"FunctionName": "report-builder"}, 41_250),
    ):
        cloudwatch.put_metric_data(Namespace=namespace, MetricData=[{
            "MetricName": metric, "Value": value, "Timestamp": now,
            "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()]}])
    return DemoWorld(url=url, api_id=str(api_id), execution_log="\n".join(lines))


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, text)
    return buffer.getvalue()


def _log(logs: Any, group: str, lines: list[str]) -> None:
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="demo")
    start = int((datetime.now(UTC) - timedelta(minutes=5)).timestamp() * 1000)
    logs.put_log_events(logGroupName=group, logStreamName="demo",
                        logEvents=[{"timestamp": start + i, "message": line} for i, line in enumerate(lines)])


def run_demo(*, markdown: bool = False) -> str:
    """Everything the demo prints."""
    from bot.core.matching.matcher import diagnose
    from bot.live.aws import AwsClients, AwsSettings
    from bot.live.render import render_report
    from bot.live.runner import CheckRequest, run_check
    from bot.render.text import render_diagnosis

    server, url = start_server()
    try:
        world = seed(url)
        aws = AwsClients(AwsSettings(region=REGION, endpoint_url=url, access_key_id=DEMO_KEY,
                                     secret_access_key=DEMO_KEY))
        report = run_check(CheckRequest(api_id=world.api_id, region=REGION), aws=aws)
        # One request's lines, as someone would paste them: the timeout. (`make try` has just shown
        # the malformed response in full, from samples/; the check above lists it too.)
        pasted = [line for line in world.execution_log.splitlines() if line.startswith("(9a42-02)")]
        diagnosis = diagnose("\n".join(pasted), lang="en")
    finally:
        server.stop()
    rule = "## " if markdown else "== "
    out = [
        f"badgateway demo: a local AWS emulator (moto) on {url.removeprefix('http://')}, seeded with a small broken "
        "REST API. Nothing here touches a real AWS account.",
        "",
        f"{rule}1. badgateway check {world.api_id} --region {REGION}",
        "",
        render_report(report, markdown=markdown).rstrip(),
        "",
        f"{rule}2. badgateway diagnose, fed one failing request from the execution log",
        "",
        *("    " + line for line in pasted),
        "",
        render_diagnosis(diagnosis, markdown=markdown).rstrip(),
        "",
        "Against your own account (read-only; the IAM policy is deploy/iam-policy.json):",
        "    badgateway check YOUR_API_ID --region YOUR_REGION",
    ]
    return "\n".join(out) + "\n"
