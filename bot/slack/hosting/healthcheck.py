"""The container's HEALTHCHECK: `python -m bot.slack.hosting.healthcheck`, exit 0 when healthy.

It looks at how the container's main process was started (/proc/1/cmdline). `serve --http`:
GET http://127.0.0.1:PORT/healthz must answer 200 (503 while stopping). Socket Mode opens no
port: a process that is still running is healthy (it exits, and the container stops, when it
cannot go on).
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence

TIMEOUT = 2.0


def health_url(argv: Sequence[str], env: Mapping[str, str]) -> str | None:
    """The /healthz URL of `badgateway serve --http ...` started with `argv`; None for Socket Mode."""
    if "serve" not in argv or "--http" not in argv:
        return None
    port = env.get("PORT") or "3000"
    for index, arg in enumerate(argv):
        if arg == "--port" and index + 1 < len(argv):
            port = argv[index + 1]
        elif arg.startswith("--port="):
            port = arg.split("=", 1)[1]
    return f"http://127.0.0.1:{port}/healthz"


def check(url: str | None) -> tuple[bool, str]:
    if url is None:
        return True, "socket mode: running"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=TIMEOUT) as response:
            return response.status == 200, f"{url}: {response.status}"
    except urllib.error.HTTPError as exc:
        return False, f"{url}: {exc.code}"
    except OSError as exc:
        return False, f"{url}: {exc}"


def main_process_argv(path: str = "/proc/1/cmdline") -> list[str]:
    try:
        with open(path, "rb") as handle:
            return [part.decode("utf-8", "replace") for part in handle.read().split(b"\0") if part]
    except OSError:
        return []


def main() -> int:
    healthy, why = check(health_url(main_process_argv(), os.environ))
    print(why, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())
