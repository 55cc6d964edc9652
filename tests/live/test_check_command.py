"""`badgateway check` as a user runs it: exit codes, the JSON contract, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.live.conftest import ACCOUNT, REGION, Route, World, known_entries, run_bot

ROOT = Path(__file__).resolve().parents[2]
STATUSES = {"fail", "warn", "pass", "error", "skip"}
CATALOG_IDS = known_entries()


def broken_api(world: World) -> str:
    fn = world.function("orders", timeout=60)
    return world.rest_api("shop", [Route("GET", "/orders", fn)])


def healthy_api(world: World) -> str:
    fn = world.function("orders", timeout=10)
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.allow("orders", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/*/GET/orders")
    return api


def test_json_is_exactly_one_object_with_the_contract(world: World) -> None:
    api = broken_api(world)
    result = run_bot("check", api, "--format", "json")
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert result.stdout.count("\n") == 1
    assert document["api"] == {"id": api, "name": "shop", "protocol": "REST"}
    assert document["findings"]
    for finding in document["findings"]:
        assert {"check", "status", "entry", "resource", "message"} <= set(finding)
        assert finding["status"] in STATUSES
        assert finding["entry"] is None or finding["entry"] in CATALOG_IDS
        assert isinstance(finding["check"], str) and isinstance(finding["resource"], str)
        assert isinstance(finding["message"], str) and finding["message"]
    assert any(f["status"] == "fail" and f["entry"] == "missing-invoke-permission" for f in document["findings"])


def test_exit_zero_when_nothing_fails(world: World) -> None:
    api = healthy_api(world)
    result = run_bot("check", api, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [f for f in json.loads(result.stdout)["findings"] if f["status"] == "fail"]


def test_text_and_markdown(world: World) -> None:
    api = broken_api(world)
    text = run_bot("check", api)
    assert text.returncode == 1
    assert "Failing (" in text.stdout and "aws lambda add-permission" in text.stdout
    assert text.stderr == ""  # no progress when stderr is not a terminal
    markdown = run_bot("check", api, "--format", "markdown", "--checks", "invoke_permission")
    assert markdown.returncode == 1
    assert markdown.stdout.startswith("## badgateway check") and "```" in markdown.stdout


def test_unknown_api_exits_2_in_one_line(world: World) -> None:
    result = run_bot("check", "abcdef1234", "--region", REGION)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "abcdef1234" in lines[0] and REGION in lines[0]
    assert "Traceback" not in result.stderr


def test_no_credentials_exits_2_in_one_line(world: World) -> None:
    result = run_bot("check", "abcdef1234", drop=("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "credentials" in lines[0]


def test_unknown_profile_exits_2(world: World) -> None:
    result = run_bot("check", "abcdef1234", "--profile", "nope")
    assert result.returncode == 2 and "profile 'nope'" in result.stderr


@pytest.mark.parametrize("arguments", [
    ["--since", "yesterday"], ["--since", "30d"], ["--budget", "0"], ["--checks", "nope"],
    ["--checks", "invoke"], ["--format", "yaml"],
])
def test_usage_errors_exit_2(world: World, arguments: list[str]) -> None:
    result = run_bot("check", "abcdef1234", *arguments)
    assert result.returncode == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_ids_in_help_match_the_registry() -> None:
    from bot.commands.check import CHECK_IDS
    from bot.live.checks import REGISTRY

    assert tuple(REGISTRY) == CHECK_IDS


def test_aws_region_alone_is_enough(world: World) -> None:
    api = healthy_api(world)
    result = run_bot("check", api, "--format", "json", drop=("AWS_DEFAULT_REGION",), env={"AWS_REGION": REGION})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["region"] == REGION


def test_no_region_at_all_names_both_settings(world: World) -> None:
    result = run_bot("check", "abcdef1234", drop=("AWS_DEFAULT_REGION", "AWS_REGION"))
    assert result.returncode == 2
    assert "AWS_REGION" in result.stderr and "AWS_DEFAULT_REGION" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_all_lists_every_api_with_a_summary_table_first(world: World) -> None:
    broken = broken_api(world)
    fn = world.function("web", timeout=5)
    http = world.http_api("site", [Route("GET", "/", fn)])
    world.allow("web", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{http}/*/*")
    world.client("apigatewayv2").create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    result = run_bot("check", "--all", "--region", REGION)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("badgateway check: 2 checked, 1 failing, 1 not checked")
    table = lines[1:5]
    assert table[0].split()[:3] == ["verdict", "target", "region"]
    assert any(row.startswith("FAIL") and broken in row and "missing-invoke-permission" in row for row in table)
    assert any(http in row for row in table) and any("WEBSOCKET" in row for row in table)
    document = json.loads(run_bot("check", "--all", "--format", "json").stdout)
    by_id = {row.get("api", {}).get("id"): row for row in document["summary"]}
    assert by_id[broken]["failed"] is True and by_id[http]["api"]["protocol"] == "HTTP"
    assert len(document["reports"]) == 2
    for report in document["reports"]:  # each API within its own per-function call bound
        functions = len({f["resource"] for f in report["findings"] if f["resource"].startswith("function ")})
        assert report["aws_calls"] <= 10 + 5 * functions


@pytest.mark.parametrize("arguments", [
    [], ["--all", "abcdef1234"], ["abcdef1234", "--region", "us-east-1", "--region", "eu-west-1"],
    ["--all", "--stage", "prod"], ["abcdef1234", "--region", "not a region"], ["two words"],
])
def test_target_usage_errors_exit_2(world: World, arguments: list[str]) -> None:
    result = run_bot("check", *arguments)
    assert result.returncode == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
