"""The knowledge base: valid, complete, and every entry's own examples rank as they say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.kb.catalog import CATALOG_IDS, FAMILY_IDS, TABLE_IDS
from bot.core.kb.index import render_index
from bot.core.kb.knowledge import entry_files, load_knowledge
from bot.core.kb.validate import (
    backtracking_risk,
    code_without_comments,
    has_comments,
    sample_syntax_error,
    validate_knowledge,
)

from .conftest import ROOT, SHARED

KNOWLEDGE = ROOT / "knowledge"
ENTRIES = load_knowledge(KNOWLEDGE).entries


def test_kb_validate_finds_no_problem():
    problems, count = validate_knowledge(KNOWLEDGE)
    assert problems == []
    assert count == len(entry_files(KNOWLEDGE))


def test_every_catalog_id_has_an_entry_named_after_it():
    ids = {entry.id for entry in ENTRIES}
    assert set(CATALOG_IDS) <= ids
    for entry_id in CATALOG_IDS:
        assert (KNOWLEDGE / f"{entry_id}.yaml").is_file()


CATALOG_COPY = ROOT / "tests" / "catalog-ids.txt"  # the contract's ids, for clones without shared/


def shared_catalog() -> Path | None:
    """shared/catalog.md beside the checkout (where CI has it) or beside a folder above it."""
    for folder in (SHARED.parent, *SHARED.parent.parents):
        if (folder / "shared" / "catalog.md").is_file():
            return folder / "shared" / "catalog.md"
    return None


def test_catalog_ids_equal_the_shared_contract():
    """bot/core/kb/catalog.py against the repository's copy of the contract's ids, always; and the copy
    against both parts of shared/catalog.md (its table, and the list of ids the family issue adds)
    wherever it is at hand (CI always has it)."""
    copy = tuple(CATALOG_COPY.read_text(encoding="utf-8").split())
    assert copy == CATALOG_IDS == TABLE_IDS + FAMILY_IDS
    shared = shared_catalog()
    if shared is not None:
        table_part, _, family_part = shared.read_text(encoding="utf-8").partition("## Ids the family issue adds")
        table = re.findall(r"^\| ([a-z0-9-]+) \|", table_part, flags=re.MULTILINE)
        family = re.findall(r"^- `([a-z0-9-]+)`:", family_part, flags=re.MULTILINE)
        assert family, f"{shared} lost its list of ids the family issue adds"
        assert tuple(c for c in table if c != "id") == TABLE_IDS, (
            f"{shared} changed: update {CATALOG_COPY.name} and bot/core/kb/catalog.py")
        assert tuple(family) == FAMILY_IDS, (
            f"{shared} changed: update {CATALOG_COPY.name} and bot/core/kb/catalog.py")


@pytest.mark.parametrize(
    "entry_id,number,text",
    [(e.id, n, t) for e in ENTRIES for n, t in enumerate(e.examples_match, start=1)],
    ids=lambda v: str(v)[:40] if not isinstance(v, int) else str(v),
)
def test_positive_example_ranks_its_entry_first(matcher, entry_id, number, text):
    diagnosis = matcher.diagnose(text)
    ranked = [m.id for m in diagnosis.matches]
    assert ranked and ranked[0] == entry_id, f"example {number} of {entry_id} ranked {ranked}"


@pytest.mark.parametrize(
    "entry_id,number,text",
    [(e.id, n, t) for e in ENTRIES for n, t in enumerate(e.examples_no_match, start=1)],
    ids=lambda v: str(v)[:40] if not isinstance(v, int) else str(v),
)
def test_near_miss_does_not_rank_its_entry_first(matcher, entry_id, number, text):
    diagnosis = matcher.diagnose(text)
    assert not diagnosis.matches or diagnosis.matches[0].id != entry_id


def test_every_entry_has_enough_examples_and_both_languages():
    for entry in ENTRIES:
        assert len(entry.examples_match) >= 15, entry.id  # issue 9: prose, logs and mixed, in both languages
        assert len(entry.examples_no_match) >= 1, entry.id
        for lang in ("en", "it"):
            assert entry.title[lang] and entry.summary[lang], entry.id
            assert len(entry.fix[lang]) == len(entry.fix["en"]) >= 1, entry.id


def test_client_status_follows_what_aws_really_does():
    """facts.md: a missing invoke permission is 500 on REST, a function error is 502, a REST timeout 504."""
    status = {e.id: {a.integration: a.client_status for a in e.applies_to} for e in ENTRIES}
    assert status["missing-invoke-permission"]["rest"] == 500
    assert status["integration-timeout"]["rest"] == 504
    for entry_id in ("unhandled-function-error", "malformed-proxy-response", "function-timeout",
                     "import-module-error", "handler-not-found", "runtime-exit"):
        assert status[entry_id]["rest"] == 502, entry_id


def test_client_status_of_the_family_entries_follows_the_recorded_facts():
    """An authorizer failure, a credentials role, a mapping or a non-POST Lambda call is a 500, not a 502;
    CloudFront answers 502 for a Lambda@Edge validation error and 503 for an execution error."""
    statuses = {e.id: {(a.integration, a.client_status) for a in e.applies_to} for e in ENTRIES}
    for entry_id in ("lambda-authorizer-error", "integration-role-error", "mapping-template-error",
                     "proxy-integration-method"):
        assert ("rest", 500) in statuses[entry_id], entry_id
        assert not any(status == 502 for _, status in statuses[entry_id]), entry_id
    assert {("cloudfront", 502), ("cloudfront", 503)} <= statuses["lambda-edge-error"]
    assert {("function-url", 502), ("function-url", 413)} <= statuses["function-url-error"]


def test_generated_index_is_up_to_date():
    current = (KNOWLEDGE / "README.md").read_text(encoding="utf-8")
    assert current == render_index(), "knowledge/README.md is stale: run `badgateway kb index`"


def test_backtracking_detector_flags_nested_repeats_and_passes_safe_ones():
    assert backtracking_risk(r"(a+)+$")
    assert backtracking_risk(r"(\w*\s?)*x")
    assert backtracking_risk(r"task timed out after \d+(?:\.\d+)? seconds") is None
    assert backtracking_risk(r"(?:error|exception){1,3}") is None


def test_sample_syntax_checks_catch_broken_code():
    assert sample_syntax_error("python", "def f(:\n  pass") is not None
    assert sample_syntax_error("python", "import json\nprint(json.dumps({}))") is None
    assert sample_syntax_error("json", "{not json}") is not None
    assert sample_syntax_error("yaml", "Resources:\n  X: !Ref Y\n") is None
    assert sample_syntax_error("yaml", "a: [unclosed") is not None
    assert sample_syntax_error("hcl", 'resource "x" "y" {') is not None


def test_comment_detection_ignores_markers_inside_strings():
    assert has_comments("javascript", 'const u = "https://x"; // the endpoint')
    assert not has_comments("javascript", 'const u = "https://x";')
    assert not has_comments("shell", "echo $# ${#name} 'a # b'")
    assert has_comments("shell", "ls   # list")
    assert code_without_comments("python", "x = 1  # one\n\n# note\ny = '#2'") == ["x = 1", "y = '#2'"]


def test_italian_sample_code_follows_the_reader(knowledge):
    with_italian = [s for e in knowledge.entries for s in e.samples if s.code_it]
    assert with_italian
    for sample in with_italian:
        assert sample.code_in("it") == sample.code_it
        assert sample.code_in("en") == sample.code
        assert code_without_comments(sample.language, sample.code) == code_without_comments(
            sample.language, sample.code_it
        )
    for entry in knowledge.entries:
        for sample in entry.samples:
            if has_comments(sample.language, sample.code):
                assert sample.code_it, f"{entry.id}: a sample with comments has no Italian variant"


def test_validate_reports_an_italian_variant_that_changes_the_code(tmp_path):
    copy_knowledge(tmp_path)
    file = tmp_path / "malformed-proxy-response.yaml"
    text = file.read_text(encoding="utf-8")
    italian_python = text.index("# una stringa, mai un dict")
    changed = text[:italian_python] + text[italian_python:].replace('"isBase64Encoded": False', '"isBase64Encoded": 1', 1)
    italian_node = changed.index("    code_it: |\n      const respond")
    changed = changed[:italian_node] + changed[italian_node:].replace("({", "((", 1)
    file.write_text(changed, encoding="utf-8")
    problems = "\n".join(validate_knowledge(tmp_path)[0])
    assert "sample 2 (python): code_it must be the same code as code" in problems
    assert "sample 1 (javascript): code_it must be the same code as code" in problems


def test_validate_asks_for_an_italian_variant_of_commented_code(tmp_path):
    copy_knowledge(tmp_path)
    file = tmp_path / "handler-not-found.yaml"
    lines = file.read_text(encoding="utf-8").split("\n")
    start = lines.index("    code_it: |")
    end = next(n for n in range(start + 1, len(lines)) if not lines[n].startswith("      ") and lines[n])
    file.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")
    problems = "\n".join(validate_knowledge(tmp_path)[0])
    assert "sample 1 (javascript): the code has comments, so it needs code_it" in problems


def copy_knowledge(target: Path) -> None:
    """The entries and their schema, copied into `target` to be broken on purpose."""
    for file in map(Path, entry_files(KNOWLEDGE)):
        (target / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    (target / "schema.json").write_text((KNOWLEDGE / "schema.json").read_text(), encoding="utf-8")


def test_validate_reports_a_broken_entry(tmp_path):
    copy_knowledge(tmp_path)
    broken = (tmp_path / "function-timeout.yaml").read_text(encoding="utf-8")
    broken = broken.replace("id: function-timeout", "id: function-timeout-x", 1)
    (tmp_path / "function-timeout.yaml").write_text(broken, encoding="utf-8")
    (tmp_path / "extra.yaml").write_text("id: extra\ntitle: {en: x}\n", encoding="utf-8")
    problems, _ = validate_knowledge(tmp_path)
    text = "\n".join(problems)
    assert "must equal the file name" in text
    assert "catalog id 'function-timeout' has no entry" in text
    assert "extra.yaml" in text


def test_samples_are_shown_with_comments_in_the_readers_language(knowledge, matcher):
    import json

    from bot.render.entry import render_entry
    from bot.render.text import render_diagnosis
    from bot.slack.rendering import blocks

    entry = knowledge.get("malformed-proxy-response")
    assert "// una stringa, mai un oggetto" in render_entry(entry, "it", markdown=True)
    assert "// a string, never an object" in render_entry(entry, "en")
    slack_it = json.dumps(blocks.render_entry(entry, "it").blocks, ensure_ascii=False)
    assert "una stringa, mai un oggetto" in slack_it and "never an object" not in slack_it
    paste = "Execution failed due to configuration error: Malformed Lambda proxy response"
    assert "una stringa, mai un" in render_diagnosis(matcher.diagnose(paste, lang="it"))
    assert "never an object" in render_diagnosis(matcher.diagnose(paste, lang="en"))

NONE_FILE = KNOWLEDGE / "examples" / "none.yaml"
REQUIRED_NONE_SHARE = 0.95


def test_texts_with_no_known_cause_get_no_match(matcher, capsys):
    """knowledge/examples/none.yaml: 5XX look-alikes (deploy errors, 4XX by design, client timeouts...)."""
    import yaml

    items = yaml.safe_load(NONE_FILE.read_text(encoding="utf-8"))["examples"]
    assert len(items) >= 45
    matched = []
    for number, item in enumerate(items, start=1):
        diagnosis = matcher.diagnose(item["text"])
        if diagnosis.matches:
            matched.append(f"{number}: {diagnosis.matches[0].id} {diagnosis.matches[0].score} for {item['why'][:70]}")
    share = 1 - len(matched) / len(items)
    with capsys.disabled():
        print(f"\nno known cause: {share:.1%} ({len(items) - len(matched)}/{len(items)})")
        for line in matched:
            print(f"  matched: {line}")
    assert share >= REQUIRED_NONE_SHARE, "\n".join(matched)


def test_validate_checks_the_none_file(tmp_path):
    copy_knowledge(tmp_path)
    examples = tmp_path / "examples"
    examples.mkdir()
    schema = (NONE_FILE.parent / "none.schema.json").read_text(encoding="utf-8")
    (examples / "none.schema.json").write_text(schema, encoding="utf-8")
    (examples / "none.yaml").write_text(
        "examples:\n"
        "  - {source: written, text: 'HTTP/2 403'}\n"
        "  - {source: 'http://insecure', why: x, text: y}\n"
        "  - {source: written, why: a, text: same}\n"
        "  - {source: written, why: b, text: same}\n",
        encoding="utf-8",
    )
    problems, count = validate_knowledge(tmp_path)
    text = "\n".join(problems)
    assert count == len(entry_files(KNOWLEDGE))
    assert "examples/none.yaml: examples/0: 'why' is a required property" in text
    assert "examples/none.yaml: examples/1/source" in text
    assert "appears twice" in text
    (examples / "none.yaml").write_text("examples: [unclosed", encoding="utf-8")
    problems, _ = validate_knowledge(tmp_path)
    assert any("none.yaml" in p and "not valid YAML" in p for p in problems)


def test_validate_refuses_a_diagnosis_for_an_uninformative_text():
    """A bare "502" or "Internal server error" names no cause: a model that names one fails
    kb validate (and so `--tune`, which asks the same of every candidate setting)."""
    from bot.core.kb.validate import UNINFORMATIVE, example_problems
    from bot.core.matching.matcher import Matcher

    knowledge = load_knowledge()
    matcher = Matcher(knowledge)
    assert example_problems(knowledge, matcher.diagnose) == []

    def always_timeout(text):
        diagnosis = matcher.diagnose("Task timed out after 3.00 seconds")
        return diagnosis if text in UNINFORMATIVE else matcher.diagnose(text)

    problems = example_problems(knowledge, always_timeout)
    assert len(problems) == len(UNINFORMATIVE)
    assert all(problem.startswith("an uninformative text ranks function-timeout first") for problem in problems)
