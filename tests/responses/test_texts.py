"""The validator's texts (knowledge/texts/responses/): every id the code uses is there in
English and Italian with the same {names}, every text there is used, and the files are read the
way `diagnose` needs them read (once, without yaml while the cached copy is fresh)."""

from __future__ import annotations

import ast
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.core.kb import cache
from bot.core.responses import RUNTIMES, validate_response
from bot.core.responses.texts import both, fill, placeholders
from tests.responses.cases import ROOT

TEXTS = ROOT / "knowledge" / "texts" / "responses"
# The code that asks for texts: the validator package and the command's report.
CODE = [
    *sorted((ROOT / "bot" / "core" / "responses").rglob("*.py")),
    ROOT / "bot" / "commands" / "validate_response.py",
]
TEXT_CALLS = {"both", "one"}  # text id first; variant= picks one text under the id
SAMPLE_CALLS = {"code"}  # sample name first: samples.<name>.<runtime>
FILES = sorted(TEXTS.glob("*.yaml"))
DOCUMENT = {
    section: value
    for file in FILES
    for section, value in yaml.safe_load(file.read_text(encoding="utf-8")).items()
}


def _node(path: str) -> object:
    node: object = DOCUMENT
    for part in path.split("."):
        assert isinstance(node, dict) and part in node, f"no text '{path}' in {TEXTS}"
        node = node[part]
    return node


def _is_text(node: object) -> bool:
    return (
        isinstance(node, dict)
        and set(node) == {"en", "it"}
        and all(isinstance(v, str) for v in node.values())
    )


def _leaves(node: object, path: str = "") -> dict[str, object]:
    """Every text in the file by its full id (a sample written once counts as one text)."""
    if _is_text(node) or isinstance(node, str):
        return {path: node}
    assert isinstance(node, dict), f"{path}: neither a text nor a group of texts"
    found: dict[str, object] = {}
    for key, child in node.items():
        found.update(_leaves(child, f"{path}.{key}" if path else str(key)))
    return found


def _calls() -> list[tuple[str, int, str, str, bool, set[str]]]:
    """(file, line, function, id, has variant=, keyword names) for every text the code asks for."""
    calls = []
    for file in CODE:
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in TEXT_CALLS | SAMPLE_CALLS or not node.args:
                continue
            where = f"{file.relative_to(ROOT)}:{node.lineno}"
            first = node.args[0]
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                f"{where}: {name}() needs a literal id, so that this test can see every text in use"
            )
            keywords = {k.arg for k in node.keywords}
            assert None not in keywords, f"{where}: no **values, so the {{names}} can be checked"
            calls.append(
                (
                    where,
                    node.lineno,
                    name,
                    first.value,
                    "variant" in keywords,
                    keywords - {"variant"},
                )
            )
    return calls


CALLS = _calls()


def test_the_code_asks_for_texts():
    assert len(CALLS) > 60  # the scan sees the calls (a refactor that hides them fails here)


@pytest.mark.parametrize(
    ("where", "line", "function", "text_id", "has_variant", "keywords"),
    CALLS,
    ids=[c[0] for c in CALLS],
)
def test_every_text_the_code_uses_is_in_both_languages(
    where, line, function, text_id, has_variant, keywords
):
    if function in SAMPLE_CALLS:
        samples = _node(f"samples.{text_id}")
        assert isinstance(samples, dict) and set(samples) == set(RUNTIMES), (
            f"{where}: a sample for every runtime"
        )
        for runtime, sample in samples.items():
            assert isinstance(sample, str) or _is_text(sample), f"samples.{text_id}.{runtime}"
            for written in [sample] if isinstance(sample, str) else sample.values():
                assert placeholders(written) <= {"header"}, f"samples.{text_id}.{runtime}"
        return
    node = _node(text_id)
    texts = node.values() if has_variant else [node]
    assert has_variant or _is_text(node), f"{where}: '{text_id}' is a group; pick one with variant="
    for text in texts:
        assert _is_text(text), f"{where}: every text under '{text_id}' needs en and it"
        assert placeholders(text["en"]) == placeholders(text["it"]), (
            f"{text_id}: same {{names}} in both languages"
        )
        assert placeholders(text["en"]) == keywords, (
            f"{where}: {text_id} fills {sorted(placeholders(text['en']))}"
        )


def test_every_text_in_the_file_is_used():
    used: set[str] = set()
    for _, _, function, text_id, has_variant, _ in CALLS:
        if function in SAMPLE_CALLS:
            used |= set(_leaves(_node(f"samples.{text_id}"), f"samples.{text_id}"))
        elif has_variant:
            used |= set(_leaves(_node(text_id), text_id))
        else:
            used.add(text_id)
    unused = sorted(set(_leaves(DOCUMENT)) - used)
    assert unused == [], f"texts no code uses: {unused}"


def test_the_shipped_texts_are_the_ones_the_tests_read():
    from bot.core.responses.texts import texts, texts_folder

    assert Path(texts_folder()) == TEXTS and len(FILES) > 1
    assert texts() == DOCUMENT
    # A section lives in one file only, so merging the files loses nothing.
    assert sum(len(yaml.safe_load(f.read_text(encoding="utf-8"))) for f in FILES) == len(DOCUMENT)


def test_a_section_in_two_files_is_refused(tmp_path):
    from bot.core.kb.knowledge import KnowledgeError
    from bot.core.responses.texts import texts

    shutil.copytree(TEXTS, tmp_path / "responses")
    (tmp_path / "responses" / "zz-again.yaml").write_text("kind:\n  null: {en: a, it: b}\n")
    with pytest.raises(KnowledgeError, match="section 'kind' is also in"):
        texts(str(tmp_path / "responses"))


ITALIAN = [text["it"] for text in _leaves(DOCUMENT).values() if isinstance(text, dict)]


@pytest.mark.parametrize(
    "wrong", ["Gateway API", "HTTP API", "REST API", "body stringa", "la HTTP"]
)
def test_italian_names_things_as_aws_italian_documentation_does(wrong):
    assert not [text for text in ITALIAN if wrong in text]


def test_values_are_filled_in_once_and_never_read_for_names():
    # A user's header named "{status}" stays as written: values are not templates.
    assert (
        fill("Header `{name}` is {kind}", "en", {"name": "{kind}", "kind": "a number"})
        == "Header `{kind}` is a number"
    )
    assert (
        fill("{gateway} answers", "it", {"gateway": {"en": "API Gateway", "it": "API Gateway"}})
        == "API Gateway answers"
    )
    message = (
        validate_response({"statusCode": 200, "headers": {"{status}": True}}, "rest")
        .problems[0]
        .message
    )
    assert "`{status}`" in message["en"] and "`{status}`" in message["it"]


def test_a_missing_text_is_a_programming_error_naming_it():
    with pytest.raises(KeyError, match="no-such-text"):
        both("verdict.no-such-text")


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


PROBE = (
    "import sys; from bot.core.responses import validate_response; "
    "v = validate_response({'statusCode': 200, 'body': {'a': 1}}, 'rest'); "
    "print(v.problems[0].message['it']); print('yaml' in sys.modules)"
)


def test_texts_are_read_from_a_cached_copy_without_yaml(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    env.pop("BADGATEWAY_KNOWLEDGE_DIR", None)
    cold = _run(PROBE, env)
    assert cold.returncode == 0, cold.stderr
    assert cold.stdout.split("\n")[:2] == [
        both(
            "fields.body-not-string",
            kind={"en": "an object", "it": "un oggetto"},
            gateway={"en": "API Gateway", "it": "API Gateway"},
            status=502,
            log=" (`Malformed Lambda proxy response`)",
        )["it"],
        "True",
    ]
    [cached] = (tmp_path / "cache" / "badgateway").glob("kb-*.marshal")  # the texts' folder only
    documents = marshal.loads(cached.read_bytes()[len(cache.FORMAT) + 8 :])["value"]  # after the header
    assert documents == [yaml.safe_load(f.read_text(encoding="utf-8")) for f in FILES]
    warm = _run(PROBE, env)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.split("\n")[1] == "False", "yaml imported although the cached copy is fresh"


def test_each_knowledge_folder_has_its_own_cached_copy(tmp_path):
    """Two checkouts sharing a HOME: editing one's texts neither shows in nor evicts the other's."""
    other = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge" / "texts", other / "texts")
    edited = (
        (other / "texts" / "responses" / "fields.yaml")
        .read_text(encoding="utf-8")
        .replace("richiede un valore di tipo stringa", "vuole una stringa (copia modificata)")
    )
    (other / "texts" / "responses" / "fields.yaml").write_text(edited, encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    env.pop("BADGATEWAY_KNOWLEDGE_DIR", None)
    source_tree = _run(PROBE, env)
    copied = _run(PROBE, {**env, "BADGATEWAY_KNOWLEDGE_DIR": str(other)})
    again = _run(PROBE, env)
    assert "copia modificata" in copied.stdout and "copia modificata" not in source_tree.stdout
    # The source tree's copy survived the other folder's: read again without yaml.
    assert again.stdout.split("\n")[:2] == [source_tree.stdout.split("\n")[0], "False"]
    assert len(list((tmp_path / "cache" / "badgateway").glob("kb-*.marshal"))) == 2


def test_missing_texts_are_one_clear_line_not_a_traceback(tmp_path):
    shutil.copytree(
        ROOT / "knowledge", tmp_path / "knowledge", ignore=shutil.ignore_patterns("texts")
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BADGATEWAY_KNOWLEDGE_DIR": str(tmp_path / "knowledge"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "validate-response", "--integration", "rest"],
        input='{"body": {}}',
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "texts/responses" in result.stderr and "no texts" in result.stderr


def test_every_integration_kind_has_its_rules_module():
    """The rules of a kind are imported on first use: every kind the validator accepts has one."""
    from bot.core.responses.model import INTEGRATIONS
    from bot.core.responses.rules import INTEGRATION_KINDS, rules_for

    assert set(INTEGRATION_KINDS) == set(INTEGRATIONS)
    assert all(callable(rules_for(kind)) for kind in INTEGRATIONS)
