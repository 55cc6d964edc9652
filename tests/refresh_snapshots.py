"""Rewrite tests/snapshots/*.json from the current matcher: run it, then review the diff.

    python tests/refresh_snapshots.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.kb.knowledge import load_knowledge
from bot.core.matching.matcher import Matcher
from tests.test_corpus import SNAPSHOT_FILE, corpus_snapshot

if __name__ == "__main__":
    matcher = Matcher(load_knowledge())
    SNAPSHOT_FILE.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT_FILE.write_text(
        json.dumps(corpus_snapshot(matcher), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {SNAPSHOT_FILE}")
