"""`badgateway trace --format markdown`: the same report as text, for a ticket or a pull request:
a heading, the hops as a numbered list, log lines as code spans that no backtick breaks, and
nothing from AWS that formats itself; in English and Italian."""

from __future__ import annotations

import re

import pytest

from bot.trace.render import code, md
from tests.live.conftest import run_bot
from tests.trace.conftest import REQUEST, make_shop
from tests.trace.test_invocation import PRINTS, TRACEBACK, seed_crash

TICKED = "parsed `orderId` from *the* path <b>"


@pytest.mark.parametrize("lang, heading, hop, verdict", [
    ("en", "### Hop by hop", "3. ✗ **function**: failed · `unhandled-function-error`",
     "**Verdict: unhandled-function-error, at the function hop: "),
    ("it", "### Passaggio per passaggio", "3. ✗ **funzione**: non riuscito · `unhandled-function-error`",
     "**Esito: unhandled-function-error, nel passaggio funzione: "),
], ids=["en", "it"])
def test_markdown_in_both_languages(world, lang: str, heading: str, hop: str, verdict: str) -> None:
    shop = make_shop(world, execution_logging=False)
    seed_crash(shop, *PRINTS, TICKED, TRACEBACK)
    done = run_bot("trace", REQUEST, "--api", shop.api, "--format", "markdown", "--lang", lang)
    assert done.returncode == 1, done.stderr  # the exit codes of text
    out = done.stdout.splitlines()
    assert out[0].startswith("## ") and REQUEST in out[0] and out[2] == heading
    numbered = [line for line in out if re.match(r"\d\. ", line)]
    assert [line[:2] for line in numbered] == ["1.", "2.", "3.", "4."] and hop in numbered
    assert any(line.startswith(verdict) and line.endswith("**") for line in out)
    for printed in PRINTS:
        assert f"     - `{printed}`" in out  # the function's own lines, as code spans
    assert f"     - ``{TICKED}``" in out  # a longer fence for a line with backticks
    assert "     - `[ERROR] KeyError: 'orderId'`" in out and '     - `Traceback (most recent call last):`' in out


def test_values_from_aws_do_not_format() -> None:
    assert md("path=/*/*/logging <b>x</b> [link](y) a_b") == r"path=/\*/\*/logging \<b\>x\</b\> \[link\](y) a\_b"
    assert code("plain") == "`plain`"
    assert code("a ``b`` c") == "```a ``b`` c```"
    assert code("`edge`") == "`` `edge` ``"


def test_a_search_in_markdown_says_what_it_found(world) -> None:
    from tests.trace.test_command import seed_permission_failure

    shop = make_shop(world)
    seed_permission_failure(shop, REQUEST)
    done = run_bot("trace", "--api", shop.api, "--path", "/orders", "--format", "markdown")
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("1 failing request(s) on /orders in the last 1h, newest first:")
    assert "\n## Request " in done.stdout and "· `missing-invoke-permission`" in done.stdout
