"""`badgateway trace REQUEST_ID --api API_ID|URL`: follow one request hop by hop (authorizer,
integration, function, response) through the stage's execution and access logs and the function's
log, and say where it failed and why. Without REQUEST_ID, `--at TIME` and/or `--path PATH` find the
failing requests of that window (at most a few, newest first). Read-only. Exit 0 when the request
succeeded, 1 when it failed, 2 on usage errors or when it cannot be found.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime

from bot.commands.check import parse_since, region_value, since_value

_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9=+/_-]{5,99}")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "trace",
        help="follow one request through API Gateway, hop by hop, and say where it failed (read-only)",
        description="Follow one request (its x-amzn-RequestId or apigw-requestid) through the stage's execution "
        "and access logs and, through the integration's request id, the function's log: authorizer, "
        "integration, function, response. Without REQUEST_ID, --at and/or --path find the failing requests "
        "of that window. Exit 0 when the request succeeded, 1 when it failed, 2 on usage errors or when it "
        "cannot be found.",
    )
    parser.add_argument("request_id", metavar="REQUEST_ID", nargs="?",
                        help="the request id from the response (x-amzn-RequestId, apigw-requestid)")
    parser.add_argument("--api", required=True, metavar="API_ID|URL",
                        help="the API: its id, or an execute-api or custom domain URL (a path in it is the path)")
    parser.add_argument("--stage", help="the stage (default: every deployed stage is searched)")
    parser.add_argument("--region", type=region_value, help="AWS region (default: from the URL or AWS configuration)")
    parser.add_argument("--profile", help="AWS profile to use")
    parser.add_argument("--role-arn", help="IAM role to assume")
    parser.add_argument("--since", type=since_value, default="1h", metavar="DURATION",
                        help="how far back to search: 30m, 1h, 6h, 2d (default 1h)")
    parser.add_argument("--at", type=time_value, metavar="TIME",
                        help="when the request was made (ISO 8601, UTC unless it says otherwise): searches the "
                             "10 minutes around it")
    parser.add_argument("--path", help="without REQUEST_ID: the path (or route) whose failing requests to trace")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument("--lang", choices=("en", "it"), default="en")
    parser.set_defaults(run=run)


def time_value(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--at takes a time such as 2024-05-01T10:00 (UTC), not '{value[:40]}'") from None


def run(args: argparse.Namespace) -> int:
    from bot.errors import UsageError
    from bot.trace.render import result_json, result_markdown, result_text
    from bot.trace.runner import TraceRequest, run_trace

    if args.request_id is not None and not _REQUEST_ID.fullmatch(args.request_id):
        raise UsageError(f"'{args.request_id[:60]}' is not a request id (x-amzn-RequestId or apigw-requestid)")
    if args.request_id is None and args.at is None and args.path is None and "/" not in args.api.split("//", 1)[-1]:
        raise UsageError("give a REQUEST_ID, or --at TIME and/or --path PATH to find the failing requests")
    result = run_trace(TraceRequest(
        api=args.api, request_id=args.request_id, stage=args.stage, region=args.region, profile=args.profile,
        role_arn=args.role_arn, since=parse_since(args.since), since_label=args.since, at=args.at, path=args.path,
    ))
    if args.format == "json":
        sys.stdout.write(json.dumps(result_json(result, args.lang), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write((result_markdown if args.format == "markdown" else result_text)(result, args.lang))
    sys.stdout.flush()
    return 0 if result.succeeded else 1
