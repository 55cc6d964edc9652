"""`badgateway demo`: see the live check and the diagnosis at work, without an AWS account."""

from __future__ import annotations

import argparse
import sys

from bot.errors import BadGatewayError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the live check and a diagnosis against a local AWS emulator (no account needed)",
        description="Start a local AWS emulator (moto) on 127.0.0.1, seed it with a small broken API, and run "
        "`badgateway check` and `badgateway diagnose` against it. Needs the 'demo' extra: "
        "pip install 'badgateway[demo]'.",
    )
    parser.add_argument("--format", choices=("text", "markdown"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        import moto.server  # noqa: F401
    except ImportError:
        raise BadGatewayError(
            "the demo needs the AWS emulator moto: pip install 'badgateway[demo]' (or pip install 'moto[apigateway,apigatewayv2,awslambda,cloudwatch,logs,sts]>=5' flask flask-cors)"
        ) from None
    from bot.live.demo import run_demo

    sys.stdout.write(run_demo(markdown=args.format == "markdown"))
    return 0
