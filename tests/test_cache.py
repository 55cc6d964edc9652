"""The parsed copies in the user's cache (bot.core.kb.cache): never stale, never fatal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.kb import cache
from bot.core.kb.knowledge import load_knowledge
from bot.core.prose.model import MODEL_FILE, ProseModel, _load, packed

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "badgateway"


def test_a_copy_is_only_returned_for_its_own_key(cache_home):
    cache.write("probe", [["a.yaml", 10, 1]], {"x": [1, 2.5, "y"]})
    assert cache.read("probe", [["a.yaml", 10, 1]]) == {"x": [1, 2.5, "y"]}
    assert cache.read("probe", [["a.yaml", 11, 1]]) is None  # the file changed size
    assert cache.read("other", [["a.yaml", 10, 1]]) is None


def test_a_damaged_or_foreign_copy_is_ignored(cache_home):
    cache.write("probe", 1, {"x": 1})
    path = Path(cache.cache_path("probe"))
    for damage in (b"", b"\x00garbage", path.read_bytes()[:7], json.dumps({"key": 1}).encode()):
        path.write_bytes(damage)
        assert cache.read("probe", 1) is None


def test_a_copy_damaged_anywhere_is_never_read_as_other_data(cache_home):
    """A flipped byte (a disk, a copy cut short) must not turn into different texts or weights."""
    value = {"documents": [{"id": "x", "text": "y" * 300, "weights": [[1, 0.25]] * 50}]}
    cache.write("probe", 1, value)
    path = Path(cache.cache_path("probe"))
    good = path.read_bytes()
    for position in range(0, len(good), max(1, len(good) // 97)):
        damaged = bytearray(good)
        damaged[position] ^= 0x5A
        path.write_bytes(bytes(damaged))
        assert cache.read("probe", 1) is None, position
    path.write_bytes(good)
    assert cache.read("probe", 1) == value


def test_a_read_only_cache_folder_stores_nothing_and_says_nothing(tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    cache.write("probe", 1, {"x": 1})  # no exception
    assert cache.read("probe", 1) is None


def test_the_packed_model_scores_exactly_as_the_json_artefact(cache_home):
    artefact = json.loads((ROOT / "knowledge" / MODEL_FILE).read_text(encoding="utf-8"))
    plain, compact = ProseModel(artefact), ProseModel(packed(artefact))
    texts = [
        "the lambda uses the full 29 seconds and API Gateway returns a 504",
        "la funzione va in timeout dopo 3 secondi",
        "Execution failed due to configuration error: Invalid permissions on Lambda function",
        "CORS error in the browser, status 502",
    ]
    for text in texts:
        assert compact.verdict(text) == plain.verdict(text)


def test_the_model_is_read_from_its_copy_once_made(cache_home):
    """The second start maps the rows and the feature table from the copy, and scores the texts
    of every entry exactly as the JSON artefact does."""
    from bot.core.prose.table import FeatureTable

    model_file = ROOT / "knowledge" / MODEL_FILE
    status = model_file.stat()
    _load.cache_clear()
    first = _load(str(model_file), status.st_size, status.st_mtime_ns)
    assert list(cache_home.glob("prose-*.marshal")) and list(cache_home.glob("prose-*-rows-*.blob"))
    _load.cache_clear()
    again = _load(str(model_file), status.st_size, status.st_mtime_ns)
    assert first is not None and again is not None
    assert isinstance(again._index, FeatureTable) and not isinstance(first._index, FeatureTable)
    assert list(again._index) == list(first._index) and again._index.get("no such feature") is None
    texts = [text for entry in load_knowledge(ROOT / "knowledge").entries for text in entry.examples_match]
    assert all(again.verdict(text) == first.verdict(text) for text in texts)
    _load.cache_clear()


@pytest.mark.parametrize("damage", ["truncated", "other key", "bytes flipped in the header"])
def test_a_damaged_rows_blob_is_made_again(cache_home, damage):
    model_file = ROOT / "knowledge" / MODEL_FILE
    status = model_file.stat()
    _load.cache_clear()
    first = _load(str(model_file), status.st_size, status.st_mtime_ns)
    blob = next(cache_home.glob("prose-*-rows-*.blob"))
    data = blob.read_bytes()
    if damage == "truncated":
        blob.write_bytes(data[: len(data) // 2])
    elif damage == "other key":
        blob.write_bytes(data[:4] + bytes(16) + data[20:])
    else:
        blob.write_bytes(b"XXXX" + data[4:])
    _load.cache_clear()
    again = _load(str(model_file), status.st_size, status.st_mtime_ns)
    assert again is not None and again.verdict("api gateway 504 after 29 s") == first.verdict("api gateway 504 after 29 s")
    assert blob.read_bytes() == data  # made again whole
    _load.cache_clear()


def test_the_feature_table_finds_every_name_and_only_those():
    from bot.core.prose.table import FeatureTable, build

    names = [f"w:{n}" for n in range(3000)] + ["ch:タイム", "ch:超时", "w:perché", "pair:a b", ""]
    data, layout = build(names)
    found = FeatureTable(memoryview(data), layout)
    assert [found.get(name) for name in names] == list(range(len(names)))
    assert list(found) == names and len(found) == len(names)
    assert found.get("w:3000") is None and found.get("ch:タイ") is None and found.get("x", -1) == -1
    with pytest.raises(ValueError):
        FeatureTable(memoryview(data)[:-4], layout)


def test_diagnose_leaves_no_collector_paused_for_code_calling_main(tmp_path):
    """The program pauses the collector while it loads; a caller of main(argv) keeps its own."""
    probe = (
        "import gc, sys; from bot.cli import main; "
        "main(['diagnose', 'samples/execution-log-malformed.txt']); "
        "print('enabled' if gc.isenabled() else 'paused', file=sys.stderr)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)
    assert done.stderr.strip().endswith("enabled"), done.stderr


def test_writing_a_copy_removes_what_old_versions_left(tmp_path, monkeypatch):
    import os
    import time

    from bot.core.kb import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "badgateway"
    folder.mkdir()
    month_ago = time.time() - 40 * 86400
    for name in ("kb-cache-0034b7dfbcec5a4b.json", "kb-18e7c2dc-py311.marshal", "grep-old.ere"):
        (folder / name).write_bytes(b"old")
        os.utime(folder / name, (month_ago, month_ago))
    (folder / "prose-1-recent-cpython-311.marshal").write_bytes(b"recent")
    (folder / "kb-x.marshal.123.456.tmp").write_bytes(b"interrupted")
    os.utime(folder / "kb-x.marshal.123.456.tmp", (time.time() - 7200, time.time() - 7200))
    (folder / "a-folder").mkdir()
    cache.write("kb-new", ["key"], {"value": 1})
    assert sorted(p.name for p in folder.iterdir()) == [
        "a-folder", f"kb-new-{cache._VERSION}.marshal", "prose-1-recent-cpython-311.marshal"]
    assert cache.read("kb-new", ["key"]) == {"value": 1}
