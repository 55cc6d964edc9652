"""Speed and memory of diagnosis, measured (never asserted in the test suite).

    python benchmarks/run.py            # all benchmarks, results printed as a Markdown table

1. In-process diagnosis of typical pastes (the real-world corpus and the entries' examples,
   each at most 4 KB): median and p99.
2. Start-up: `badgateway diagnose` on a small paste against `python -c pass`, as a user has it:
   installed from a wheel of this tree into a venv of its own (benchmarks/big_logs.py's), not the
   editable install of the development venv.

Big logs (20 MB to 2 GB) are measured by benchmarks/big_logs.py.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.core.knowledge import load_knowledge  # noqa: E402
from bot.core.matcher import Matcher  # noqa: E402


def typical_pastes() -> list[str]:
    corpus = yaml.safe_load((ROOT / "tests" / "corpus" / "real_world.yaml").read_text(encoding="utf-8"))
    texts = [item["text"] for item in corpus]
    for entry in load_knowledge().entries:
        texts.extend(entry.examples_match)
    return [t for t in texts if len(t.encode()) <= 4096]


def bench_in_process() -> dict[str, float]:
    matcher = Matcher(load_knowledge())
    pastes = typical_pastes()
    for text in pastes:  # warm caches the way a long-running bot has them
        matcher.diagnose(text)
    timings = []
    for _ in range(20):
        for text in pastes:
            start = time.perf_counter()
            matcher.diagnose(text)
            timings.append(time.perf_counter() - start)
    timings.sort()
    return {
        "pastes": len(pastes),
        "median_ms": statistics.median(timings) * 1000,
        "p99_ms": timings[int(len(timings) * 0.99)] * 1000,
    }


# As users run it: Python caches compiled modules (.pyc). Some sandboxes set
# PYTHONDONTWRITEBYTECODE, which makes every start recompile every module; not measured here.
USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _median_run(command: list[str], runs: int = 30) -> float:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=USER_ENV)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=USER_ENV)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def bench_startup() -> dict[str, float]:
    from big_logs import build_venvs

    sample = str(ROOT / "samples" / "execution-log-malformed.txt")
    badgateway = build_venvs()["hyperscan"]
    baseline = _median_run([str(badgateway.parent / "python"), "-c", "pass"])
    diagnose = _median_run([str(badgateway), "diagnose", sample])
    return {"python_ms": baseline * 1000, "diagnose_ms": diagnose * 1000, "ratio": diagnose / baseline}


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    paste = bench_in_process()
    print(f"in-process diagnosis of {paste['pastes']} typical pastes (<= 4 KB): "
          f"median {paste['median_ms']:.2f} ms, p99 {paste['p99_ms']:.2f} ms (goal 2 / 10 ms)")
    start = bench_startup()
    print(f"start-up: python -c pass {start['python_ms']:.0f} ms, badgateway diagnose "
          f"{start['diagnose_ms']:.0f} ms: {start['ratio']:.1f}x (goal <= 4x)")


if __name__ == "__main__":
    main()
