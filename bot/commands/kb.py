"""`badgateway kb list|show|validate|index|build`: browse and maintain the knowledge base."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("kb", help="list, show, validate and index the knowledge base")
    commands = parser.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True,
                                     parser_class=type(parser))
    listing = commands.add_parser("list", help="one line per entry")
    listing.add_argument("--lang", choices=("en", "it"), default="en")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(run=run_list)

    show = commands.add_parser("show", help="one entry in full")
    show.add_argument("entry_id", metavar="ID")
    show.add_argument("--lang", choices=("en", "it"), default="en")
    show.add_argument("--format", choices=("text", "markdown"), default="text")
    show.set_defaults(run=run_show)

    validate = commands.add_parser(
        "validate", help="schema, unique ids, languages, regexes, examples and code samples"
    )
    validate.add_argument("--dir", default=None, help="knowledge folder (default: the bundled one)")
    validate.set_defaults(run=run_validate)

    index = commands.add_parser("index", help="write knowledge/README.md from the entries")
    index.add_argument("--check", action="store_true",
                       help="exit 1 if knowledge/README.md is stale instead of writing it")
    index.set_defaults(run=run_index)

    build = commands.add_parser(
        "build", help="train the prose layer from the entries' examples (knowledge/prose/model.json)"
    )
    build.add_argument("--check", action="store_true",
                       help="exit 1 if the model is stale instead of writing it")
    build.set_defaults(run=run_build)


def run_list(args: argparse.Namespace) -> int:
    import json

    from bot.core.kb.knowledge import load_knowledge
    from bot.core.kb.messages import client_statuses

    knowledge = load_knowledge()
    if args.format == "json":
        rows = [{"id": e.id, "title": e.title[args.lang]} for e in knowledge.entries]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    width = max(len(e.id) for e in knowledge.entries)
    for entry in knowledge.entries:
        print(f"{entry.id:<{width}}  {entry.title[args.lang]}  ({client_statuses(entry, args.lang)})")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from bot.core.kb.knowledge import load_knowledge
    from bot.render.entry import render_entry

    entry = load_knowledge().get(args.entry_id)
    sys.stdout.write(render_entry(entry, args.lang, markdown=args.format == "markdown"))
    return 0


def run_validate(args: argparse.Namespace) -> int:
    from bot.core.kb.validate import validate_knowledge

    if args.dir:
        _check_knowledge_dir(args.dir)
    problems, count = validate_knowledge(args.dir)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {count} entries", file=sys.stderr)
        return 1
    print(f"ok: {count} entries valid")
    return 0


def _check_knowledge_dir(directory: str) -> None:
    """A folder with the entries and their schema.json, or a UsageError saying what is wrong."""
    import json
    from pathlib import Path

    from bot.errors import UsageError

    path = Path(directory)
    if not path.is_dir():
        raise UsageError(f"kb validate --dir: {directory} is not a folder")
    schema = path / "schema.json"
    if not schema.is_file():
        raise UsageError(f"kb validate --dir: {directory} has no schema.json; point --dir at a knowledge "
                         "folder (entries and their schema.json, like the repository's knowledge/)")
    try:
        json.loads(schema.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"kb validate --dir: {schema} is not readable JSON ({type(exc).__name__})") from None


def run_index(args: argparse.Namespace) -> int:
    from bot.core.kb.index import index_path, render_index

    path = index_path()
    fresh = render_index()
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if args.check:
        if current != fresh:
            print(f"{path} is stale: run `badgateway kb index`", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    if current != fresh:
        path.write_text(fresh, encoding="utf-8")
        print(f"wrote {path}")
    else:
        print(f"{path} is up to date")
    return 0


def run_build(args: argparse.Namespace) -> int:
    if args.check:
        from bot.core.prose.build import model_is_current

        current, path = model_is_current()
        if not current:
            print(f"{path} is stale: run `badgateway kb build`", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    from bot.core.prose.build import build_artefact, serialise

    artefact, path = build_artefact()
    summary = ", ".join(f"{count} {kind}" for kind, count in artefact["trained_on"]["documents"].items())
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(serialise(artefact))
    print(f"wrote {path}: {len(artefact['features'])} features from {summary}")
    return 0
