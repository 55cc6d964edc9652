"""Speed and memory of diagnosis, measured (never asserted in the test suite).

    python benchmarks/run.py            # all benchmarks, results printed as a Markdown table

1. In-process diagnosis of typical pastes (the real-world corpus and the entries' examples,
   each at most 4 KB): median and p99.
2. Start-up: `badgateway diagnose` on a small log paste and on a sentence (which also loads
   rapidfuzz for the fuzzy pass) against `python -c pass`, as a user has it: installed from a
   wheel of this tree into a venv of its own (benchmarks/big_logs.py's), not the editable install
   of the development venv. Wall time and CPU time (user + system), medians of runs made side by
   side: CPU time moves less when the machine is shared.

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

from bot.core.kb.knowledge import load_knowledge  # noqa: E402
from bot.core.matching.matcher import Matcher  # noqa: E402


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


def _side_by_side(commands: dict[str, list[str]], runs: int = 30) -> dict[str, tuple[float, float]]:
    """name -> (median wall ms, median CPU ms), the commands run in turn `runs` times."""
    import resource

    def once(command: list[str]) -> tuple[float, float]:
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=USER_ENV)
        wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        return wall * 1000, cpu * 1000

    for command in commands.values():  # warm: .pyc files and the parsed copies in the cache
        once(command)
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            timings[name].append(once(command))
    return {
        name: (statistics.median(w for w, _ in pairs), statistics.median(c for _, c in pairs))
        for name, pairs in timings.items()
    }


def bench_startup() -> dict[str, tuple[float, float]]:
    from big_logs import build_venvs

    badgateway = build_venvs()["hyperscan"]
    sentence = ROOT / "benchmarks" / ".sentence.txt"
    sentence.write_text("our lambda times out after 29 seconds and api gateway returns 504\n", encoding="utf-8")
    try:
        return _side_by_side({
            "python -c pass": [str(badgateway.parent / "python"), "-c", "pass"],
            "diagnose a log paste": [str(badgateway), "diagnose", str(ROOT / "samples" / "execution-log-malformed.txt")],
            "diagnose a sentence": [str(badgateway), "diagnose", str(sentence)],
        })
    finally:
        sentence.unlink()


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    paste = bench_in_process()
    print(f"in-process diagnosis of {paste['pastes']} typical pastes (<= 4 KB): "
          f"median {paste['median_ms']:.2f} ms, p99 {paste['p99_ms']:.2f} ms (goal 1 / 3 ms)")
    start = bench_startup()
    base_wall, base_cpu = start["python -c pass"]
    for name, (wall, cpu) in start.items():
        print(f"start-up, {name}: {wall:.0f} ms wall ({wall / base_wall:.1f}x), "
              f"{cpu:.0f} ms CPU ({cpu / base_cpu:.1f}x) (goal <= 3x)")


if __name__ == "__main__":
    main()
