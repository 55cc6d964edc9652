"""`badgateway lint PATH...`: the live checks' rules on SAM, CloudFormation, CDK and Terraform
before deploy. Exit 0 when no error, 1 when errors were found, 2 on unreadable or unsupported input.
Nothing of bot.lint is imported until the command runs."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "lint",
        help="check SAM, CloudFormation, CDK and Terraform for what makes API Gateway answer 5XX, before deploy",
        description="Read SAM and CloudFormation templates (YAML or JSON), CDK cdk.out folders, Serverless "
        "Framework .serverless folders and Terraform plans (terraform show -json), and check them with the live "
        "checks' rules. Exit 0 when no error, 1 when errors were found, 2 on unreadable or unsupported input.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="templates, plans, or folders to search")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    parser.add_argument("--severity", choices=("error", "warning"), default="warning",
                        help="report errors only, or errors and warnings (default)")
    parser.add_argument("--ignore-other-files", action="store_true",
                        help="skip named files that are not templates or plans instead of failing (for pre-commit)")
    parser.add_argument("--no-sam-translator", action="store_true",
                        help="expand SAM with badgateway's own rules even when aws-sam-translator is installed")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from bot.lint.engine import lint_paths

    report = lint_paths(args.paths, minimum=args.severity, use_translator=not args.no_sam_translator,
                        other_files_are_errors=not args.ignore_other_files)
    if args.format == "json":
        from bot.lint.render import render_json

        output = render_json(report)
    elif args.format == "sarif":
        from bot.lint.sarif import render_sarif

        output = render_sarif(report)
    else:
        from bot.lint.render import render_text

        output = render_text(report)
    for note in report.notes:
        print(f"badgateway: note: {note}", file=sys.stderr)
    sys.stdout.write(output)
    sys.stdout.flush()
    return 1 if report.failed else 0
