"""Big logs: `badgateway diagnose` against grep, at 20 MB, 200 MB and 2 GB (never asserted in tests).

    python benchmarks/big_logs.py                    # 20 MB, 200 MB and 2 GB
    python benchmarks/big_logs.py --sizes 20,200     # sizes in MB

As a user runs it: badgateway is installed from a wheel of this tree into venvs of its own (a
normal install, not an editable one): one as `pip install` leaves it (Hyperscan comes with it),
one without the hyperscan package (the grep fallback). The reference is
`grep -F -i -f PHRASES LOG` with the catalog's phrases, writing its lines to a file (GNU grep
stops at its first match when it writes to /dev/null). The logs are made on the fly in a
temporary folder (benchmarks/day_of_logs.py: REST execution-log requests and Lambda lines, three
causes buried at 30%, 60% and 90%) and removed afterwards. Runs are interleaved (grep, then each
diagnose, then again), and each ratio is the median of the ratios of runs made side by side.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from day_of_logs import EXPECTED, write_big_log  # noqa: E402

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


VENVS = Path(tempfile.gettempdir()) / "badgateway-bench-venvs"
# As users run it: Python caches compiled modules; the hyperscan database is cached on disk.
USER_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}


def build_venvs() -> dict[str, Path]:
    """{'hyperscan': badgateway, 'grep fallback': badgateway} from a wheel of this tree."""
    wheels = VENVS / "wheel"
    shutil.rmtree(wheels, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, stdout=subprocess.DEVNULL)
    wheel = next(wheels.glob("badgateway-*.whl"))
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    commands = {}
    for name, without_hyperscan in (("hyperscan", False), ("grep fallback", True)):
        venv = VENVS / name.replace(" ", "-")
        stamp = venv / "wheel.sha256"
        if not stamp.exists() or stamp.read_text() != digest:
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
            subprocess.run([*pip, "--force-reinstall", str(wheel)], check=True, stdout=subprocess.DEVNULL)
            if without_hyperscan:
                subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "uninstall", "--quiet", "-y", "hyperscan"],
                               check=True)
            stamp.write_text(digest)
        commands[name] = venv / "bin" / "badgateway"
    return commands


def _env(command: list[str]) -> dict[str, str]:
    # Each install has its cache folder, as a user's one install has (the knowledge base's
    # parsed cache is one file per cache folder: two installs sharing one would take turns).
    if not command[0].endswith("badgateway"):
        return USER_ENV
    return {**USER_ENV, "XDG_CACHE_HOME": str(Path(command[0]).parents[1] / "cache")}


def timed(command: list[str], out_path: Path) -> float:
    """Seconds of one run writing its output to a file."""
    with open(out_path, "wb") as out:
        start = time.perf_counter()
        subprocess.run(command, stdout=out, stderr=subprocess.DEVNULL, env=_env(command), check=False)
        return time.perf_counter() - start


# Runs argv[1:] and prints its peak memory (MB). A small parent of its own: Linux keeps a forked
# child's peak across exec, so a big parent would inflate the figure.
_PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
         "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")


def peak_mb(command: list[str]) -> float:
    done = subprocess.run([sys.executable, "-c", _PEAK, *command], capture_output=True, text=True,
                          env=_env(command), check=True)
    return float(done.stdout)


def bench_size(megabytes: int, commands: dict[str, Path], folder: Path, runs: int) -> dict:
    log = folder / f"{megabytes}mb.log"
    write_big_log(str(log), megabytes)
    phrases = folder / "phrases.txt"
    phrases.write_text("\n".join(CATALOG_PHRASES) + "\n", encoding="utf-8")
    grep = ["grep", "-F", "-i", "-f", str(phrases), str(log)]
    out = folder / "out.txt"
    for badgateway in commands.values():  # warm: page cache, .pyc files, hyperscan database
        timed([str(badgateway), "diagnose", "--format", "json", str(log)], out)
    timed(grep, out)
    times: dict[str, list[float]] = {"grep": [], **{name: [] for name in commands}}
    peaks: dict[str, float] = {}
    found: dict[str, list[str]] = {}
    for _ in range(runs):
        times["grep"].append(timed(grep, out))
        for name, badgateway in commands.items():
            times[name].append(timed([str(badgateway), "diagnose", "--format", "json", str(log)], out))
            found[name] = [m["id"] for m in json.loads(out.read_text())["matches"]]
    for name, badgateway in commands.items():
        peaks[name] = peak_mb([str(badgateway), "diagnose", "--format", "json", str(log)])
    log.unlink()
    return {
        "size_mb": megabytes,
        "grep": times["grep"],
        "engines": {
            name: {
                "seconds": times[name],
                "ratio": statistics.median(d / g for d, g in zip(times[name], times["grep"], strict=True)),
                "peak_mb": peaks[name],
                "all_found": all(entry in found[name] for entry in EXPECTED),
                "found": found[name],
            }
            for name in commands
        },
    }


def _range(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{low:.2f} s" if round(low, 2) == round(high, 2) else f"{low:.2f}-{high:.2f} s"


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="20,200,2000", help="log sizes in MB (default 20,200,2000)")
    parser.add_argument("--runs", type=int, default=0, help="runs per size (default 5, 3 at 1 GB and more)")
    args = parser.parse_args()
    commands = build_venvs()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{subprocess.run(['grep', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}")
    print(f"load average before: {_load()} (the machine may be shared: ratios of runs side by side)")
    print("| size | grep -F -i -f phrases > file | diagnose (hyperscan) | ratio | peak memory | causes found "
          "| diagnose (grep fallback) | ratio | peak memory | causes found |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="badgateway-bench-") as folder:
        for megabytes in (int(size) for size in args.sizes.split(",")):
            runs = args.runs or (3 if megabytes >= 1000 else 5)
            result = bench_size(megabytes, commands, Path(folder), runs)
            cells = [f"{megabytes} MB" if megabytes < 1000 else f"{megabytes / 1000:g} GB", _range(result["grep"])]
            for name in commands:
                engine = result["engines"][name]
                cells += [_range(engine["seconds"]), f"{engine['ratio']:.2f}x", f"{engine['peak_mb']:.0f} MB",
                          "all 3" if engine["all_found"] else "MISSING: " + ", ".join(sorted(set(EXPECTED) - set(engine["found"])))]
            print("| " + " | ".join(cells) + " |", flush=True)
            print(f"(load average after {cells[0]}: {_load()})", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
