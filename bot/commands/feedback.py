"""`badgateway feedback export`: the Slack feedback verdicts as candidate corpus items, for review.

Reads the verdicts the bot kept in its state table (deploy/template.yaml's `StateTableName`
output; BADGATEWAY_STATE_TABLE) and writes those whose author shared the message's text
(redacted when it was kept) as items of tests/corpus/real_world.yaml: name, source, cause,
established_by, kind, language, text. The rest are counted on stderr. Exit 2 when the table
cannot be read (one line: no credentials, no such table, access denied).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

HEADER = """\
# Candidate corpus items from badgateway's Slack feedback (`badgateway feedback export`).
# Each text was shared by the person who wrote it, secrets redacted. Review before adding to
# tests/corpus/real_world.yaml: check the redaction, trim the text, set `cause` to what the
# thread established (null: no known cause), and rewrite `established_by` to say how.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("feedback", help="the Slack bot's feedback verdicts (export them for review)")
    commands = parser.add_subparsers(dest="feedback_command", metavar="FEEDBACK_COMMAND", required=True,
                                     parser_class=type(parser))
    export = commands.add_parser(
        "export", help="write the verdicts with a shared text as candidate corpus items (YAML)",
        description="Write the 👍/👎 verdicts whose author shared the (redacted) text, in the shape of "
        "tests/corpus/real_world.yaml, for review. Exit 2 when the state table cannot be read.")
    export.add_argument("--table", default=None,
                        help="the bot's DynamoDB state table (default: $BADGATEWAY_STATE_TABLE)")
    export.add_argument("--region", default=None, help="its region (default: the AWS configuration's)")
    export.add_argument("--profile", default=None, help="the AWS profile to read it with")
    export.add_argument("--output", "-o", default="-", help="the file to write (default: standard output)")
    export.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from bot.errors import UsageError
    from bot.slack.handling.feedback import corpus_items
    from bot.slack.state.bot_state import BotState
    from bot.slack.state.dynamodb import DynamoStore
    from bot.slack.state.store import StateError

    table = args.table or os.environ.get("BADGATEWAY_STATE_TABLE", "").strip()
    if not table:
        raise UsageError("no state table: give --table NAME (the stack's StateTableName output) "
                         "or set BADGATEWAY_STATE_TABLE")
    try:
        verdicts = BotState(DynamoStore(table, client=_client(args.profile, args.region))).verdicts()
    except StateError as exc:
        raise UsageError(f"cannot read the feedback: {exc}{_hint(str(exc))}") from None
    items = corpus_items(verdicts)
    text = HEADER + (_dump(items) if items else "[]\n")
    if args.output == "-":
        sys.stdout.write(text)
    else:
        try:
            with open(args.output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    without = len(verdicts) - len(items)
    print(f"badgateway: {len(items)} item(s) with a shared text; {without} other verdict(s) left out "
          "(no text shared, or an older verdict of the same person on the same answer)", file=sys.stderr)
    return 0


def _client(profile: str | None, region: str | None) -> Any:
    import boto3
    import botocore.exceptions
    from botocore.config import Config

    from bot.errors import UsageError

    try:
        session = boto3.Session(profile_name=profile, region_name=region)
        return session.client("dynamodb", config=Config(connect_timeout=5, read_timeout=10,
                                                        retries={"mode": "standard", "max_attempts": 3}))
    except botocore.exceptions.ProfileNotFound:
        raise UsageError(f"AWS profile '{profile}' not found") from None
    except botocore.exceptions.NoRegionError:
        raise UsageError("no AWS region: give --region or set AWS_REGION") from None


def _hint(message: str) -> str:
    if "NoCredentialsError" in message:
        return " (no AWS credentials: set a profile or the AWS_* variables)"
    if "ResourceNotFoundException" in message:
        return " (no such table in this region: see the stack's StateTableName output)"
    if "AccessDenied" in message:
        return " (needs dynamodb:Query on the table)"
    return ""


def _dump(items: list[dict[str, Any]]) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    blocks = [yaml.dump([item], Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100) for item in items]
    return "\n".join(blocks)
