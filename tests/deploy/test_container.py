"""deploy/Dockerfile, checked without a Docker engine: its instructions read and held to what the
code needs, and the install it performs (a regular, non-editable `pip install .`) done for real
into a fresh virtual environment, which must find the knowledge base."""

from __future__ import annotations

import json
import os
import re
import shutil
import site
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest

from bot.slack.hosting.healthcheck import check, health_url, main_process_argv

from .conftest import DEPLOY, ROOT

Instruction = tuple[str, str]  # (INSTRUCTION, arguments)


def instructions(path: Path = DEPLOY / "Dockerfile") -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    found: list[Instruction] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        keyword, _, args = whole.partition(" ")
        found.append((keyword.upper(), args.strip()))
    assert not pending, "a continuation line runs off the end"
    return found


def stages() -> list[list[Instruction]]:
    result: list[list[Instruction]] = []
    for instruction in instructions():
        if instruction[0] == "FROM":
            result.append([])
        if result:
            result[-1].append(instruction)
    return result


def args_of(stage: list[Instruction], keyword: str) -> list[str]:
    return [args for name, args in stage if name == keyword]


def build_args() -> dict[str, str]:
    values = {}
    for name, args in instructions():
        if name == "ARG" and "=" in args:
            key, value = args.split("=", 1)
            values[key] = value
    return values


def expand(text: str) -> str:
    return re.sub(r"\$\{(\w+)\}", lambda m: build_args().get(m.group(1), m.group(0)), text)


def allowed_by_dockerignore() -> set[str]:
    """The allowlist of .dockerignore: '*', then '!path' for each path the image may read."""
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    assert lines[0] == "*", ".dockerignore starts by excluding everything"
    return {line[1:].rstrip("/") for line in lines if line.startswith("!")}


# -- the Dockerfile, read ------------------------------------------------------------------------


def test_small_python_312_images_only():
    froms = [expand(args) for name, args in instructions() if name == "FROM"]
    assert build_args()["PYTHON_VERSION"] == "3.12"
    assert [f.split()[0] for f in froms] == ["python:3.12-slim", "python:3.12-slim"]
    assert froms[0].endswith(" AS build")
    assert not any(args.startswith("http") for name, args in instructions() if name == "ADD")


def test_run_stage_carries_the_installed_environment_only_and_runs_unprivileged():
    run = stages()[-1]
    copies = args_of(run, "COPY")
    assert copies == ["--from=build /opt/badgateway /opt/badgateway"]
    [user] = args_of(run, "USER")
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) >= 1000, "not root"
    assert any(f"--uid {uid}" in args for args in args_of(run, "RUN")), "the user exists"
    names = [name for name, _ in run]
    assert names.index("USER") < names.index("ENTRYPOINT") and names.index("USER") < names.index("HEALTHCHECK")


def test_pip_keeps_no_cache():
    env = " ".join(args for name, args in instructions() if name == "ENV")
    for name, args in instructions():
        if name == "RUN" and "pip install" in args:
            assert "--no-cache-dir" in args or "PIP_NO_CACHE_DIR=1" in env


def test_install_is_the_regular_one_from_the_files_dockerignore_lets_in():
    build = stages()[0]
    assert any("pip install --no-cache-dir ." in args for args in args_of(build, "RUN"))
    assert not any(" -e " in args or "--editable" in args for args in args_of(build, "RUN"))
    allowed = allowed_by_dockerignore()
    for args in args_of(build, "COPY"):
        *sources, _destination = args.split()
        for source in sources:
            assert source.rstrip("/") in allowed, f"{source} is excluded by .dockerignore"
            assert (ROOT / source).exists(), source
    # and pip needs nothing else: the readme of pyproject, the package, the knowledge base
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["readme"] in allowed
    assert allowed == {"pyproject.toml", pyproject["project"]["readme"], "bot", "knowledge"}


def test_entrypoint_is_serve_in_socket_mode_with_http_on_request():
    run = stages()[-1]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert json.loads(args_of(run, "ENTRYPOINT")[0]) == ["badgateway"]
    assert pyproject["project"]["scripts"]["badgateway"] == "bot.cli:main"
    assert json.loads(args_of(run, "CMD")[0]) == ["serve"]
    assert args_of(run, "STOPSIGNAL") == ["SIGTERM"]  # the graceful stop (bot/slack/hosting/shutdown.py)
    env = " ".join(args_of(run, "ENV"))
    assert "PORT=3000" in env and args_of(run, "EXPOSE") == ["3000"]
    assert "BADGATEWAY_LOG_FORMAT=json" in env and "PATH=/opt/badgateway/bin:$PATH" in env


def test_healthcheck_runs_our_module():
    [healthcheck] = args_of(stages()[-1], "HEALTHCHECK")
    options, _, command = healthcheck.partition(" CMD ")
    assert json.loads(command) == ["python", "-m", "bot.slack.hosting.healthcheck"]
    assert "--timeout=" in options and "--interval=" in options
    import importlib.util

    assert importlib.util.find_spec("bot.slack.hosting.healthcheck") is not None


# -- the health check --------------------------------------------------------------------------


@pytest.mark.parametrize("argv, env, expected", [
    (["/opt/badgateway/bin/python", "/opt/badgateway/bin/badgateway", "serve"], {}, None),
    (["python", "badgateway", "serve", "--http"], {}, "http://127.0.0.1:3000/healthz"),
    (["python", "badgateway", "serve", "--http"], {"PORT": "8080"}, "http://127.0.0.1:8080/healthz"),
    (["python", "badgateway", "serve", "--http", "--port", "9000"], {"PORT": "8080"}, "http://127.0.0.1:9000/healthz"),
    (["python", "badgateway", "serve", "--port=9001", "--http"], {}, "http://127.0.0.1:9001/healthz"),
])
def test_health_url_follows_how_the_bot_was_started(argv, env, expected):
    assert health_url(argv, env) == expected


def test_health_check_asks_the_running_server(tmp_path):
    from bot.slack.hosting.http_server import make_server

    server = make_server(None, "127.0.0.1", 0)  # /healthz needs no app
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        url = health_url(["badgateway", "serve", "--http", "--port", str(server.server_address[1])], {})
        assert check(url) == (True, f"{url}: 200")
        server.stopping = True  # a replica on its way out is taken out of the load balancer
        assert check(url)[0] is False
    finally:
        server.shutdown()
        server.server_close()
    assert check(url)[0] is False  # nobody listening
    cmdline = tmp_path / "cmdline"
    cmdline.write_bytes(b"/opt/badgateway/bin/python\0/opt/badgateway/bin/badgateway\0serve\0--http\0")
    assert main_process_argv(str(cmdline))[2:] == ["serve", "--http"]


# -- the install, done -------------------------------------------------------------------------


def test_non_editable_install_finds_the_knowledge_base(tmp_path):
    """What the build stage does, without Docker: `pip install .` (a wheel, data-files and all)
    into a fresh environment, then the knowledge base from <prefix>/share/badgateway/knowledge."""
    project = tmp_path / "context"
    project.mkdir()
    for name in allowed_by_dockerignore():
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, project / name)
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels),
                            str(project)], capture_output=True, text=True, timeout=600)
    if built.returncode != 0 and ("Could not find a version" in built.stderr or "No matching distribution" in built.stderr):
        pytest.skip("the package index is not reachable for setuptools (build isolation)")
    assert built.returncode == 0, built.stderr
    [wheel] = wheels.glob("badgateway-*.whl")

    fresh = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True, timeout=120)
    python = fresh / "bin" / "python"
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                                "--no-deps", str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    # The dependencies (already installed for the tests) come after the fresh environment's own.
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "zz_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")

    env = {key: value for key, value in os.environ.items() if not key.startswith(("BADGATEWAY_", "PYTHON"))}
    env["HOME"] = str(tmp_path)
    probe = subprocess.run([str(python), "-c", "import bot, bot.core.kb.knowledge as k; "
                            "print(bot.__file__); print(k.knowledge_dir()); print(len(k.load_knowledge().entries))"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert probe.returncode == 0, probe.stderr
    module, knowledge, count = probe.stdout.split()
    assert module.startswith(str(fresh)), "imported from the fresh install, not the source tree"
    assert knowledge == str(fresh / "share" / "badgateway" / "knowledge")
    from bot.core.kb.knowledge import load_knowledge

    assert int(count) == len(load_knowledge(ROOT / "knowledge").entries)
    sample = ROOT / "samples" / "execution-log-malformed.txt"
    diagnosed = subprocess.run([str(fresh / "bin" / "badgateway"), "diagnose", "--format", "json", str(sample)],
                               capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert diagnosed.returncode == 0, diagnosed.stderr
    assert "malformed-proxy-response" in diagnosed.stdout
