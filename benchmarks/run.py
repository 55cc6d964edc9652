"""Speed and memory of diagnosis, measured (never asserted in the test suite).

    python benchmarks/run.py            # all benchmarks, results printed as a Markdown table

1. In-process diagnosis of typical pastes (the real-world corpus and the entries' examples,
   each at most 4 KB): median and p99.
2. Start-up: `badgateway diagnose` on a small paste against `python -c pass`, same interpreter.
3. A 20 MB log with causes buried in it: `badgateway diagnose` against
   `grep -F -i -f PATTERNS` with the catalog's signature phrases; peak memory of diagnose.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.core.knowledge import load_knowledge  # noqa: E402
from bot.core.matcher import Matcher  # noqa: E402

# The catalog's typical texts (shared/catalog.md): what a person would grep for.
CATALOG_PHRASES = [
    "Malformed Lambda proxy response", "Method completed with status: 502", "Permission denied",
    "EACCES: permission denied", "Invalid permissions on Lambda function",
    "Execution failed due to a timeout error", "Endpoint request timed out", "Task timed out after",
    "Sandbox.Timedout", "Response payload size exceeded maximum allowed payload size",
    "Function.ResponseSizeTooLarge", "Runtime.HandlerNotFound", "is undefined or not exported",
    "Runtime.ImportModuleError", "Unable to import module", "Cannot find module", "No module named",
    "due to customer function error", "Runtime.UnhandledPromiseRejection", "TooManyRequestsException",
    "Rate Exceeded", "The function is currently in the following state", "ResourceNotReadyException",
    "KMSAccessDeniedException", "Runtime exited with error", "Runtime.ExitError",
    "Process exited before completing request", "No 'Access-Control-Allow-Origin' header is present",
    "Invalid endpoint address", "General SSLEngine problem", "PKIX path building failed",
    "There was an internal error while executing your request",
]


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
    sample = str(ROOT / "samples" / "execution-log-malformed.txt")
    badgateway = shutil.which("badgateway", path=str(Path(sys.executable).parent)) or "badgateway"
    baseline = _median_run([sys.executable, "-c", "pass"])
    diagnose = _median_run([badgateway, "diagnose", sample])
    return {"python_ms": baseline * 1000, "diagnose_ms": diagnose * 1000, "ratio": diagnose / baseline}


def make_big_log(path: Path, megabytes: int = 20) -> None:
    """A CloudWatch-style export of a busy function, with three failures buried in it."""
    rng = random.Random(7)
    lines = megabytes * 1_000_000 // 125  # about 125 bytes a line
    buried = {
        int(lines * 0.3): "Task timed out after 29.03 seconds",
        int(lines * 0.6): "[ERROR] Runtime.ImportModuleError: Unable to import module 'app': No module named 'pydantic_core._pydantic_core'",
        int(lines * 0.9): "Execution failed due to configuration error: Invalid permissions on Lambda function",
    }
    with open(path, "w", encoding="utf-8") as handle:
        size = 0
        line_number = 0
        while size < megabytes * 1_000_000:
            line_number += 1
            request = f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"
            message = buried.get(line_number) or rng.choice([
                f"INFO\tprocessed order {rng.randint(1, 10**6)} in {rng.random() * 90:.2f} ms",
                f"START RequestId: {request} Version: $LATEST",
                f"END RequestId: {request}",
                f"REPORT RequestId: {request}\tDuration: {rng.random() * 900:.2f} ms\tBilled Duration: 901 ms\tMemory Size: 512 MB\tMax Memory Used: 98 MB",
                f"WARN\tslow query on table orders ({rng.randint(100, 900)} ms)",
            ])
            line = f"2024-11-04T09:{line_number // 60000 % 60:02d}:{line_number // 1000 % 60:02d}.{line_number % 1000:03d}Z\t{request}\t{message}\n"
            handle.write(line)
            size += len(line)


def bench_big_log() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "big.log"
        patterns = Path(folder) / "patterns.txt"
        make_big_log(log)
        patterns.write_text("\n".join(CATALOG_PHRASES) + "\n", encoding="utf-8")
        badgateway = shutil.which("badgateway", path=str(Path(sys.executable).parent)) or "badgateway"
        grep = _median_run(["grep", "-F", "-i", "-f", str(patterns), str(log)], runs=5)
        diagnose = _median_run([badgateway, "diagnose", "--format", "json", str(log)], runs=5)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = subprocess.run([badgateway, "diagnose", "--format", "json", str(log)],
                                capture_output=True, text=True, check=False)
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        import json

        found = [m["id"] for m in json.loads(result.stdout)["matches"]]
        return {
            "size_mb": log.stat().st_size / 1e6,
            "grep_ms": grep * 1000,
            "diagnose_ms": diagnose * 1000,
            "ratio": diagnose / grep,
            "peak_mb": max(peak_kb, before) / 1024,
            "found": ", ".join(found),
        }


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    paste = bench_in_process()
    print(f"in-process diagnosis of {paste['pastes']} typical pastes (<= 4 KB): "
          f"median {paste['median_ms']:.2f} ms, p99 {paste['p99_ms']:.2f} ms (goal 2 / 10 ms)")
    start = bench_startup()
    print(f"start-up: python -c pass {start['python_ms']:.0f} ms, badgateway diagnose "
          f"{start['diagnose_ms']:.0f} ms: {start['ratio']:.1f}x (goal <= 4x)")
    big = bench_big_log()
    print(f"{big['size_mb']:.0f} MB log: grep -F -i -f {big['grep_ms']:.0f} ms, badgateway diagnose "
          f"{big['diagnose_ms']:.0f} ms: {big['ratio']:.1f}x (goal <= 8x); peak memory "
          f"{big['peak_mb']:.0f} MB (goal < 200 MB); found: {big['found']}")


if __name__ == "__main__":
    main()
