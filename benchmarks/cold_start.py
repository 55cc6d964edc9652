"""Cold start of the Lambda entry point, measured (never asserted in the test suite).

    python benchmarks/cold_start.py [--runs N] [--json]

Each run is a fresh Python process, as a new Lambda container is: the time to import
`bot.slack.hosting.lambda_entry` (Lambda's init phase), then the first request (reading the Slack
credentials, building the app, which calls auth.test, verifying the signature, invoking the
function again for the work, and the ack), then a second request (a warm container). Slack wants
the ack within 3 seconds of sending the request: on a cold start, init plus the first request.

Everything is local: the stand-in Slack Web API of tests/slack, a stand-in Lambda Invoke endpoint
that answers 202, and moto's server for SSM. The network is loopback, so the numbers are the
code's own cost; on Lambda add the round trips to Slack (auth.test), SSM and Lambda (Invoke),
and scale the CPU time by the function's share of a vCPU (1 vCPU at 1769 MB).

Also reported: whether boto3 was loaded before the ack, and the AWS clients created. With the
credentials in the environment nothing of boto3 loads; from SSM, boto3 and one `ssm` client.
Bytecode is compiled before the measured runs, as the Lambda bundle ships it (deploy/lambda/Makefile).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:badgateway"
REGION = "eu-west-1"


# -- the child: one cold container ------------------------------------------------------------


def child() -> None:
    import importlib.abc
    import importlib.machinery

    clients: list[str] = []

    class WatchBoto3(importlib.abc.MetaPathFinder):
        """Records every boto3 client created, without importing boto3 before the code does."""

        def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
            if name != "boto3":
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return spec
            load = spec.loader.exec_module

            def exec_module(module: Any) -> None:
                load(module)
                import boto3.session

                create = boto3.session.Session.client

                def client(self: Any, *args: Any, **kwargs: Any) -> Any:
                    clients.append(str(args[0] if args else kwargs.get("service_name")))
                    return create(self, *args, **kwargs)

                boto3.session.Session.client = client  # type: ignore[method-assign]

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, WatchBoto3())
    spec = json.load(sys.stdin)
    from types import SimpleNamespace

    context = SimpleNamespace(function_name="badgateway", invoked_function_arn=FUNCTION_ARN, aws_request_id="r1")
    started = time.perf_counter()
    import bot.slack.hosting.lambda_entry as entry

    imported = time.perf_counter()
    first = entry.handler(spec["events"][0], context)
    acked = time.perf_counter()
    loaded = sorted(m for m in ("boto3", "botocore") if m in sys.modules)
    clients_before_ack = list(clients)
    second = entry.handler(spec["events"][1], context)
    warm = time.perf_counter()
    print(json.dumps({
        "import_ms": (imported - started) * 1000, "first_ms": (acked - imported) * 1000,
        "warm_ms": (warm - acked) * 1000, "status": [first["statusCode"], second["statusCode"]],
        "loaded_before_ack": loaded, "clients_before_ack": clients_before_ack,
    }))


# -- the parent: stand-ins, scenarios, the table ---------------------------------------------------


class StandInLambda:
    """POST .../invocations: 202, recorded; the work itself is not run (only the ack is measured)."""

    def __init__(self) -> None:
        self.invocations = 0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stand_in.invocations += 1
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def signed_events(count: int) -> list[dict[str, Any]]:
    from tests.slack.conftest import DM, TIMEOUT_LOG, event_body, message_event, new_event_id
    from tests.slack.test_lambda import function_url_event

    events = []
    for _ in range(count):
        body = json.dumps(event_body(message_event(TIMEOUT_LOG, channel=DM, channel_type="im"), new_event_id()))
        events.append(function_url_event(body.encode(), "application/json"))
    return events


def run_child(env: dict[str, str]) -> dict[str, Any]:
    spec = {"events": signed_events(2)}
    result = subprocess.run([sys.executable, __file__, "--child"], input=json.dumps(spec), capture_output=True,
                            text=True, env=env, cwd=ROOT, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"the measured process failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def scenarios(fake_slack: Any, lam: StandInLambda, moto_url: str) -> dict[str, dict[str, str]]:
    from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET

    base = {
        "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(ROOT),
        "SLACK_API_URL": fake_slack.api_url, "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
        "AWS_ENDPOINT_URL_LAMBDA": lam.url, "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "BADGATEWAY_LOG_FORMAT": "json", "BADGATEWAY_LOG_LEVEL": "WARNING",
        "BADGATEWAY_KNOWLEDGE_DIR": str(ROOT / "knowledge"),
    }
    return {
        "credentials in the environment": {**base, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET},
        "credentials in SSM (moto)": {**base, "AWS_ENDPOINT_URL_SSM": moto_url,
                                      "SLACK_BOT_TOKEN_PARAMETER": "/badgateway/slack-bot-token",
                                      "SLACK_SIGNING_SECRET_PARAMETER": "/badgateway/slack-signing-secret"},
    }


def put_parameters(moto_url: str) -> None:
    import boto3

    from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET

    ssm = boto3.client("ssm", endpoint_url=moto_url, region_name=REGION, aws_access_key_id="testing",
                       aws_secret_access_key="testing")
    ssm.put_parameter(Name="/badgateway/slack-bot-token", Value=BOT_TOKEN, Type="SecureString", Overwrite=True)
    ssm.put_parameter(Name="/badgateway/slack-signing-secret", Value=SIGNING_SECRET, Type="SecureString",
                      Overwrite=True)


def measure(runs: int) -> dict[str, list[dict[str, Any]]]:
    import logging

    from moto.server import ThreadedMotoServer

    from tests.slack.conftest import FakeSlack

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    moto_url = f"http://{host}:{port}"
    fake_slack, lam = FakeSlack(), StandInLambda()
    try:
        put_parameters(moto_url)
        results: dict[str, list[dict[str, Any]]] = {}
        for name, env in scenarios(fake_slack, lam, moto_url).items():
            run_child(env)  # compiles the bytecode, as the bundle ships it
            results[name] = [run_child(env) for _ in range(runs)]
        return results
    finally:
        fake_slack.close()
        lam.close()
        moto.stop()


def table(results: dict[str, list[dict[str, Any]]]) -> str:
    def cell(values: list[float]) -> str:
        return f"{statistics.median(values):.0f} (max {max(values):.0f})"

    lines = [
        "| scenario | runs | import, ms | first request to ack, ms | import + first request, ms "
        "| warm request, ms | boto3 loaded before the ack | AWS clients before the ack |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, runs in results.items():
        loaded = {", ".join(r["loaded_before_ack"]) or "no" for r in runs}
        clients = {", ".join(r["clients_before_ack"]) or "none" for r in runs}
        lines.append(
            f"| {name} | {len(runs)} | {cell([r['import_ms'] for r in runs])} | {cell([r['first_ms'] for r in runs])} "
            f"| {cell([r['import_ms'] + r['first_ms'] for r in runs])} | {cell([r['warm_ms'] for r in runs])} "
            f"| {' / '.join(sorted(loaded))} | {' / '.join(sorted(clients))} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="the raw measurements, as JSON")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    sys.path.insert(0, str(ROOT))
    results = measure(args.runs)
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, loopback stand-ins\n")
        print(table(results))


if __name__ == "__main__":
    main()
