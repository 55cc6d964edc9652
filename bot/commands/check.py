"""`badgateway check TARGET | --all`: read what answers 5XX in front of Lambda, live, and say why.

TARGET is what people have: an API id, an execute-api URL, a custom domain (URL), a load balancer
or target group (ARN, name or DNS name), a CloudFront distribution id, a function URL or a
function ARN. Read-only unless --invoke. Exit 0 when nothing fails, 1 when a check fails, 2 on
usage errors and when the target cannot be found or read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import timedelta

_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_REGION = re.compile(r"[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
# The registry's ids (bot.live.checks.REGISTRY; a test keeps them equal), listed here so that
# `--help` does not import the checks.
CHECK_IDS = ("invoke_permission", "authorizers", "alb_permission", "timeouts", "function_state", "concurrency",
             "function_url", "integration_setup", "service_integrations", "target_health", "alb_responses",
             "alb_access_logs", "lambda_edge", "cloudfront_origins", "logging", "recent_logs", "metrics", "invoke",
             "package")
MAX_SINCE = timedelta(days=14)  # CloudWatch Logs filter over weeks is slow and rarely what is meant


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check a live API, load balancer, distribution or function URL and its Lambda functions (read-only)",
        description="Check what answers 5XX in front of AWS Lambda (a REST or HTTP API, an Application Load "
        "Balancer or target group, a CloudFront distribution, a function URL) and the functions behind it, "
        "read-only unless --invoke. Exit 0 when nothing fails, 1 when a check fails, 2 on usage errors or "
        "when the target cannot be found or read.",
    )
    parser.add_argument("api_id", metavar="TARGET", nargs="?",
                        help="an API id (a1b2c3d4e5), an execute-api or custom domain URL, a load balancer or "
                             "target group (ARN, name or DNS name), a CloudFront distribution id, a function URL "
                             "or function ARN")
    parser.add_argument("--all", action="store_true", dest="all_apis",
                        help="check every REST and HTTP API of the account (in each --region), summary first")
    parser.add_argument("--stage", help="check this stage only (default: every deployed stage)")
    parser.add_argument("--region", action="append", type=region_value,
                        help="AWS region (default: from the AWS configuration); repeat it with --all")
    parser.add_argument("--profile", help="AWS profile to use")
    parser.add_argument("--role-arn", help="IAM role to assume for the check (e.g. one per account)")
    parser.add_argument("--since", type=since_value, default="1h", metavar="DURATION",
                        help="how far back to read logs and metrics: 30m, 1h, 6h, 2d (default 1h)")
    parser.add_argument("--invoke", action="store_true",
                        help="also test-invoke each Lambda method (REST APIs; this RUNS your functions)")
    parser.add_argument("--inspect-package", action="store_true",
                        help="also download each deployment package and check file modes and the handler")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument("--budget", type=budget_value, default=25.0, metavar="SECONDS",
                        help="total time budget; partial results when it runs out (default 25)")
    parser.add_argument("--checks", type=check_list, default=None, metavar="ID,ID",
                        help=f"run only these checks: {', '.join(CHECK_IDS)}")
    parser.add_argument("--verbose", action="store_true", help="list every passing finding")
    parser.set_defaults(run=run)


def region_value(value: str) -> str:
    if not _REGION.fullmatch(value.strip()):
        raise argparse.ArgumentTypeError(f"--region takes a region name such as eu-west-1, not '{value[:40]}'")
    return value.strip()


def since_value(value: str) -> str:
    match = _DURATION.match(value.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"--since takes a duration such as 30m, 1h or 2d, not '{value}'")
    if parse_since(value) > MAX_SINCE:
        raise argparse.ArgumentTypeError("--since is at most 14d")
    return value.strip().lower()


def parse_since(value: str) -> timedelta:
    match = _DURATION.match(value.strip().lower())
    assert match
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def budget_value(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--budget takes seconds, not '{value}'") from None
    if not 1 <= seconds <= 600:
        raise argparse.ArgumentTypeError("--budget is between 1 and 600 seconds")
    return seconds


def check_list(value: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    if not names:
        raise argparse.ArgumentTypeError("--checks needs at least one check id")
    return names


def _stderr_progress():  # type: ignore[no-untyped-def]
    import threading

    lock = threading.Lock()  # checks report from worker threads: one whole line at a time

    def say(message: str) -> None:
        with lock:
            print(message, file=sys.stderr, flush=True)

    return say


def run(args: argparse.Namespace) -> int:
    from bot.errors import UsageError
    from bot.live.runner import CheckRequest

    regions = tuple(args.region or (None,))
    if args.all_apis == bool(args.api_id):
        raise UsageError("give one TARGET to check, or --all (not both)")
    if len(regions) > 1 and not args.all_apis:
        raise UsageError("--region is given once per check; repeat it only with --all")
    if args.all_apis and args.stage:
        raise UsageError("--stage names one API's stage; it does not go with --all")
    request = CheckRequest(
        api_id=args.api_id or "",
        stage=args.stage,
        region=regions[0],
        profile=args.profile,
        role_arn=args.role_arn,
        since=parse_since(args.since),
        since_label=args.since,
        invoke=args.invoke,
        inspect_package=args.inspect_package,
        budget=args.budget,
        checks=args.checks,
    )
    show_progress = args.format != "json" and sys.stderr is not None and sys.stderr.isatty()
    progress = _stderr_progress() if show_progress else None
    if progress:
        progress(f"checking {args.api_id or 'every API'}...")
    if args.all_apis:
        from bot.live.batch import run_all_apis

        return _print_batch(run_all_apis(request, regions, progress), args)
    from bot.live.batch import run_targets

    batch = run_targets(request, progress)
    if len(batch.outcomes) > 1:
        return _print_batch(batch, args)
    [report] = batch.reports
    from bot.live.render import render_report

    text = render_report(report, markdown=args.format == "markdown", verbose=args.verbose)
    return _print(report.to_json(), text, args, failed=report.failed)


def _print_batch(batch, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from bot.live.render import render_batch

    text = render_batch(batch, markdown=args.format == "markdown", verbose=args.verbose)
    return _print(batch.to_json(), text, args, failed=batch.failed)


def _print(document: dict, text: str, args: argparse.Namespace, *, failed: bool) -> int:  # type: ignore[type-arg]
    sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n" if args.format == "json" else text)
    sys.stdout.flush()
    return 1 if failed else 0
