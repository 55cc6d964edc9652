"""Redaction: every secret shape, wherever it sits in a paste or a log, is gone from every output.

Table-driven: SHAPES (each a text holding a secret, and the secret) x PLACEMENTS (beside the 502
line, on its own line, inside a JSON log export with escaped quotes, inside a quoted Lambda
response, cut at the evidence window's edge) x every output: `diagnose` text, markdown and JSON,
the Slack reply's blocks and plain text, and the live check's findings (text, markdown, JSON,
Slack). Then each rule on a megabyte of its worst case, under a generous bound.
"""

from __future__ import annotations

import json
import random
import re
import string
import time

import pytest

from bot.core.matching.matcher import EVIDENCE_WIDTH, diagnose
from bot.core.redact import redact
from bot.core.secret_rules import RULES

_random = random.Random(502)


def token(length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    """A random-looking value: no real secret is in this file."""
    return "".join(_random.choice(alphabet) for _ in range(length))


HEX = "0123456789abcdef"
B64 = string.ascii_letters + string.digits + "/+"
AWS_SECRET = "Kx9mP2vQ7rT4wY8zB3nL6jH1fD5sA0gE/cR+uI2o"
JWT = f"eyJhbGciOiJIUzI1NiJ9.eyJ{token(40)}.{token(43, string.ascii_letters + string.digits + '_-')}"
PGP_BODY = "\n".join(token(64, B64) for _ in range(4))
RSA_BODY = "\n".join(token(64, B64) for _ in range(4))


def shape(name: str, text: str, secret: str) -> tuple[str, str, str]:
    assert secret in text, name
    return name, text, secret


_XOXB = f"xoxb-{token(12, string.digits)}-{token(13, string.digits)}-{token(24)}"
_XOXP = f"xoxp-{token(12, string.digits)}-{token(12, string.digits)}-{token(32, HEX)}"
_XAPP = f"xapp-1-A{token(10, string.digits)}-{token(13, string.digits)}-{token(64, HEX)}"
_GHP, _GHO, _PAT = f"ghp_{token(36)}", f"gho_{token(36)}", f"github_pat_{token(22)}_{token(59)}"
_SESSION = "IQoJb3JpZ2luX2VjE" + token(300, B64)
_RK, _TELEGRAM, _ACCOUNT_KEY = f"rk_live_{token(24)}", f"{token(9, string.digits)}:AA{token(33)}", token(86, B64) + "=="

SHAPES = [
    shape("aws-key-id", "access key AKIAQ3EGRHL5XN7ZK2PA used", "AKIAQ3EGRHL5XN7ZK2PA"),
    shape("aws-temporary-key-id", "AccessKeyId=ASIAY34FZKBOKMUTVV7A", "ASIAY34FZKBOKMUTVV7A"),
    shape("credentials-csv", f"alice,,AKIAQ3EGRHL5XN7ZK2PB,{AWS_SECRET},https://signin.aws.amazon.com/console",
          AWS_SECRET),
    shape("aws-secret-env", f"AWS_SECRET_ACCESS_KEY={AWS_SECRET}", AWS_SECRET),
    shape("aws-secret-json", f'{{"SecretAccessKey": "{AWS_SECRET}"}}', AWS_SECRET),
    shape("aws-session-token", f"aws_session_token = {_SESSION}", _SESSION),
    shape("aws-security-token-header", f"x-amz-security-token: {_SESSION}", _SESSION),
    shape("slack-bot-token", f"SLACK_BOT_TOKEN={_XOXB}", _XOXB),
    shape("slack-user-token", f"token {_XOXP} expired", _XOXP),
    shape("slack-app-token", f"SLACK_APP_TOKEN={_XAPP}", _XAPP),
    shape("slack-webhook", f"posting to https://hooks.slack.com/services/T0{token(8)}/B0{token(8)}/{token(24)}",
          ""),  # filled in below
    shape("jwt", f"id token {JWT}", JWT),
    shape("bearer", f"Authorization: Bearer {token(48, HEX)}x", ""),
    shape("basic", "Authorization: Basic YWxpY2U6czNjcjN0LXBhc3N3b3Jk", "YWxpY2U6czNjcjN0LXBhc3N3b3Jk"),
    shape("github-classic", f"GITHUB_TOKEN={_GHP}", _GHP),
    shape("github-oauth", f"oauth {_GHO}", _GHO),
    shape("github-fine-grained", f"using {_PAT} for the clone", _PAT),
    shape("gitlab", f"CI_TOKEN glpat-{token(20)}", ""),
    shape("stripe-secret", f"stripe.api_key = 'sk_live_{token(24)}'", ""),
    shape("stripe-restricted", f"key {_RK} refused", _RK),
    shape("stripe-webhook", f"signing secret whsec_{token(32)}", ""),
    shape("google-api-key", f"maps?key=AIza{token(35, string.ascii_letters + string.digits + '_-')}", ""),
    shape("google-oauth", f"ya29.{token(60, string.ascii_letters + string.digits + '_-')}", ""),
    shape("openai-project", f"OPENAI_API_KEY=sk-proj-{token(48)}", ""),
    shape("anthropic", f"x-key sk-ant-api03-{token(93)}AA", ""),
    shape("sendgrid", f"SG.{token(22)}.{token(43)}", ""),
    shape("twilio", f"twilio SK{token(32, HEX)}", ""),
    shape("mailchimp", f"mc {token(32, HEX)}-us12", ""),
    shape("npm", f"//registry.npmjs.org/:_authToken=npm_{token(36)}", ""),
    shape("pypi", f"password: pypi-AgEIcHlwaS5vcmc{token(60)}", ""),
    shape("shopify", f"shpat_{token(32, HEX)}", ""),
    shape("digitalocean", f"dop_v1_{token(64, HEX)}", ""),
    shape("vault", f"VAULT_TOKEN=hvs.{token(90)}", ""),
    shape("huggingface", f"hf_{token(34, string.ascii_letters)}", ""),
    shape("telegram", f"bot {_TELEGRAM} sent", _TELEGRAM),
    shape("postgres-url", "connect postgres://app:Hunt3r2-pw9@db.internal:5432/orders failed",
          "Hunt3r2-pw9"),
    shape("redis-empty-user", "redis://:s3cr3tP4ssw0rdX@cache.internal:6379/0", "s3cr3tP4ssw0rdX"),
    shape("mongodb-at-in-password", "mongodb+srv://svc:p4ss@w0rdQ9@cluster0.example.net/db", "p4ss@w0rdQ9"),
    shape("cookie", "Cookie: session=9f8e7d6c5b4a39281706; theme=dark", "9f8e7d6c5b4a39281706"),
    shape("set-cookie", "Set-Cookie: sid=Zq8Xw7Vv6Uu5Tt4Ss3; HttpOnly; Secure", "Zq8Xw7Vv6Uu5Tt4Ss3"),
    shape("cookie-in-gateway-headers", "Method request headers: {Cookie=sess=Ab12Cd34Ef56Gh78, Host=x.example}",
          "Ab12Cd34Ef56Gh78"),
    shape("pwd", "Server=db;Database=orders;User Id=app;pwd=Tr0ub4dor3x;", "Tr0ub4dor3x"),
    shape("password-env", "DB_PASSWORD=correct-horse-battery9", "correct-horse-battery9"),
    shape("star-secret-env", "JWT_SECRET=q7Zp2Lm9Xv4Rb8Ns", "q7Zp2Lm9Xv4Rb8Ns"),
    shape("client-secret-json", '{"client_secret": "Gq3vT9wLp2ZxR7mK"}', "Gq3vT9wLp2ZxR7mK"),
    shape("api-key-header", "x-api-key: Jk4LmN8pQr2StUv6WxYz0AbCdEf", "Jk4LmN8pQr2StUv6WxYz0AbCdEf"),
    shape("api-gateway-key-in-map", "Method request headers: {x-api-key=Pq9Rs8Tu7Vw6Xy5Za4Bc3De2, Accept=*/*}",
          "Pq9Rs8Tu7Vw6Xy5Za4Bc3De2"),
    shape("api-key-param", "apiKey=Zz9Yy8Xx7Ww6Vv5Uu4", "Zz9Yy8Xx7Ww6Vv5Uu4"),
    shape("azure-account-key", f"DefaultEndpointsProtocol=https;AccountName=x;AccountKey={_ACCOUNT_KEY};",
          _ACCOUNT_KEY),
    shape("azure-sas", f"https://x.blob.core.windows.net/c?sv=2021-08-06&sig={token(43, B64)}%3D", ""),
    shape("pgp-private-key", f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n{PGP_BODY}\n-----END PGP PRIVATE KEY BLOCK-----",
          PGP_BODY.splitlines()[1]),
    shape("rsa-private-key", f"-----BEGIN RSA PRIVATE KEY-----\n{RSA_BODY}\n-----END RSA PRIVATE KEY-----",
          RSA_BODY.splitlines()[0]),
    shape("private-key-in-json", '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQ' + "Xa9" * 30
          + '\\n-----END PRIVATE KEY-----\\n"', "MIIEvQ" + "Xa9" * 30),
]


def _secret_of(name: str, text: str, secret: str) -> str:
    """Where the table leaves the secret empty, it is the text's last word's value."""
    if secret:
        return secret
    last = text.split()[-1]
    return re.split(r"[=:/]", last.rstrip("'\""))[-1].strip("'\"") or last


SHAPES = [(name, text, _secret_of(name, text, secret)) for name, text, secret in SHAPES]
assert len(SHAPES) >= 40

REQUEST = "(0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d)"
STAMP = "Thu Mar 14 09:20:05 UTC 2024"
MESSAGE = "Execution failed due to configuration error: Malformed Lambda proxy response"
FAILURE = f"{STAMP} : {REQUEST} {MESSAGE}"
COMPLETED = f"{STAMP} : {REQUEST} Method completed with status: 502"


def same_line(text: str, secret: str) -> str:
    return f"{FAILURE} {text}\n{COMPLETED}"


def own_line(text: str, secret: str) -> str:
    return f"{FAILURE}\n{text}\n{COMPLETED}"


def json_export(text: str, secret: str) -> str:
    """A JSON log export: one object per line, the message a JSON string (its quotes escaped)."""
    return "\n".join(json.dumps({"timestamp": 1710408005000, "message": message})
                     for message in (f"{FAILURE} {text}", COMPLETED))


def quoted_response(text: str, secret: str) -> str:
    """The function's error, quoted by the execution log: the validator explains it (`details`)."""
    body = json.dumps({"errorMessage": f"connect failed: {text}", "errorType": "Error", "trace": []})
    return (f"{STAMP} : {REQUEST} Endpoint response body before transformations: {body}\n"
            f"{FAILURE}\n{COMPLETED}")


def window_edge(text: str, secret: str) -> str:
    """The evidence window (EVIDENCE_WIDTH characters around the signature) starts in the secret."""
    if "\n" in text:  # a block spans lines: its first line is what the window can cut
        text = text.split("\n", 1)[0] + " " + secret
    head = f"{STAMP} : {REQUEST} "
    filler = 40
    for _ in range(3):  # the window's start moves with the filler: one correction puts it in place
        line = f"{head}{text} {'x' * filler} {MESSAGE} {'y' * EVIDENCE_WIDTH}"
        start = _window_start(line, len(head))
        target = line.index(secret) + len(secret) // 2
        if line.index(secret) < start < line.index(secret) + len(secret):
            return f"{line}\n{COMPLETED}"
        filler += target - start
    raise AssertionError(f"the window could not be put inside the secret ({start} != {target})")


def _window_start(line: str, head: int) -> int:
    """Where the matcher's window starts in `line`, found with everything before MESSAGE blanked."""
    cut = line.index(MESSAGE)
    blank = line[:head] + re.sub(r"[^ ]", "z", line[head:cut]) + line[cut:]
    [evidence] = [e.line for m in diagnose(blank).matches for e in m.evidence if "Malformed" in e.line]
    assert evidence.startswith("…"), "the test line must be long enough to be cut"
    return cut - (evidence.index(MESSAGE[:30]) - 1)  # "…" opens the evidence


PLACEMENTS = {"same-line": same_line, "own-line": own_line, "json-export": json_export,
              "quoted-response": quoted_response, "window-edge": window_edge}


def fragments(secret: str, size: int = 10) -> list[str]:
    size = min(size, len(secret))
    return [secret[i : i + size] for i in range(len(secret) - size + 1)]


def assert_no_leak(outputs: dict[str, str], secret: str) -> None:
    for output_name, output in outputs.items():
        for piece in fragments(secret):
            assert piece not in output, f"{output_name} shows {piece!r} of the secret"


def diagnosis_outputs(diagnosis) -> dict[str, str]:
    from bot.render.text import render_diagnosis as render_text
    from bot.slack.rendering.blocks import render_diagnosis as render_blocks
    from bot.slack.rendering.blocks import render_other_causes, render_plain

    data = diagnosis.to_json()
    blocks = render_blocks(diagnosis, key="k")
    others = render_other_causes(diagnosis)
    return {
        "text": render_text(diagnosis),
        "markdown": render_text(diagnosis, markdown=True),
        "json": json.dumps(data, ensure_ascii=False),
        "json (decoded)": _strings(data),
        "slack blocks": json.dumps([blocks.text, blocks.blocks, others.blocks], ensure_ascii=False),
        "slack blocks (decoded)": _strings([blocks.text, blocks.blocks, others.blocks]),
        "slack plain": render_plain(diagnosis),
    }


def findings_outputs(log_lines: list[str]) -> dict[str, str]:
    """The recent_logs check's findings for a log group holding these lines, in every format."""
    from bot.live.checks.evidence.recent_logs import RecentLogs
    from bot.live.context import CheckContext, LogRead
    from bot.live.finding import ApiInfo, CheckReport
    from bot.live.render import render_report
    from bot.slack.rendering.live_blocks import render_check_report

    context = CheckContext(aws=None, inventory=None)  # type: ignore[arg-type] (reading no AWS here)
    log = LogRead("/aws/lambda/orders", exists=True, messages=tuple(log_lines), more=False)
    findings = RecentLogs()._read(context, log, "function orders")
    report = CheckReport(ApiInfo("a1b2c3d4e5", "shop", "REST"), ("prod",), "eu-west-1", tuple(findings), 0.5)
    slack = render_check_report(report)
    return {
        "check text": render_report(report, verbose=True),
        "check markdown": render_report(report, markdown=True, verbose=True),
        "check json": json.dumps(report.to_json(), ensure_ascii=False),
        "check json (decoded)": _strings(report.to_json()),
        "check slack": json.dumps([slack.text, slack.blocks], ensure_ascii=False),
        "check slack (decoded)": _strings([slack.text, slack.blocks]),
    }


def _strings(value) -> str:
    if isinstance(value, dict):
        return "\n".join(_strings(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return "\n".join(_strings(v) for v in value)
    return str(value)


CASES = [pytest.param(text, secret, place, id=f"{name}-{place}")
         for name, text, secret in SHAPES for place in PLACEMENTS]


@pytest.mark.parametrize("text, secret, place", CASES)
def test_no_output_shows_the_secret(text, secret, place):
    paste = PLACEMENTS[place](text, secret)
    assert any(piece in paste for piece in fragments(secret))  # the secret is really in the paste
    diagnosis = diagnose(paste)
    assert diagnosis.found, "the 502 must be recognised, or nothing is shown to leak"
    outputs = diagnosis_outputs(diagnosis)
    outputs.update(findings_outputs(paste.splitlines()))
    assert_no_leak(outputs, secret)


@pytest.mark.parametrize("name, text, secret", SHAPES, ids=[s[0] for s in SHAPES])
def test_unrecognised_log_lines_quoted_by_the_check_are_redacted(name, text, secret):
    """A log group with failures of no known cause: the finding quotes its last lines."""
    lines = ["2024-03-14T09:20:05.000Z ERROR something odd happened", f"2024-03-14T09:20:06.000Z ERROR {text}"]
    assert_no_leak(findings_outputs(lines), secret)


@pytest.mark.parametrize("name, text, secret", SHAPES, ids=[s[0] for s in SHAPES])
def test_each_shape_is_redacted_and_redaction_is_idempotent(name, text, secret):
    once = redact(text)
    assert secret not in once and "[REDACTED" in once
    assert redact(once) == once


@pytest.mark.parametrize("text", [
    "Execution failed due to configuration error: Malformed Lambda proxy response",
    "Task timed out after 3.00 seconds",
    "User: arn:aws:sts::123456789012:assumed-role/badgateway/x is not authorized to perform: "
    "secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack",
    "HTTP Basic Authentication failed for the request",
    "RequestId: 5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9 Duration: 3000.00 ms Billed Duration: 3000 ms",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 deployed",  # a git SHA is no AWS secret
    "CodeSha256: 0Xx9LmvZ7C+a1zBq1pT0z7Kx3aS2Vw1qJk8oGm4sYcE=",
    "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/orders?page=2",
])
def test_ordinary_log_text_is_left_alone(text):
    assert redact(text) == text


def test_the_live_check_posts_no_cookie_stripe_or_google_key():
    """The review's /502 findings: CloudWatch lines with a session cookie and two API keys."""
    lines = [
        f"2024-03-14T09:20:05.000Z {REQUEST[1:-1]} ERROR Invoke Error request headers "
        f"Cookie: session=Xy7Wv6Ut5Sr4Qp3 key=sk_live_{'Ab1' * 9} maps=AIza{'Cd2E' * 8}fg3",
        f"2024-03-14T09:20:05.000Z {REQUEST[1:-1]} Task timed out after 3.00 seconds",
    ]
    outputs = findings_outputs(lines)
    assert "function-timeout" in outputs["check json"]
    for secret in ("Xy7Wv6Ut5Sr4Qp3", "sk_live_" + "Ab1" * 9, "AIza" + "Cd2E" * 8 + "fg3"):
        assert_no_leak(outputs, secret)


# -- linear time -------------------------------------------------------------------------------

MEGABYTE = 1024 * 1024
# Generous: a linear rule takes well under a second per megabyte here; a quadratic one, minutes.
BOUND_SECONDS = 5.0


def worst_cases(rule) -> dict[str, str]:
    """Inputs that make a backtracking engine work hardest: the rule's own prefixes and characters
    repeated without ever completing a match, and the review's `'a.' * N`."""
    seeds = {"a.": "a.", "a run": "a", "dashes": "-", "colons": "a:", "equals": "=", "at signs": "x@",
             "quotes": '\\"', "spaces": " "}
    for keyword in rule.keywords or ("",):
        if keyword:
            seeds[f"{keyword!r} repeated"] = keyword
            seeds[f"{keyword!r} then a long word"] = keyword + "Ab1" * 20 + " "
            seeds[f"{keyword!r} then an assignment"] = keyword + '=\\"' + "x" * 30 + ","
    literal = re.sub(r"\\.|[\[\](){}?*+|^$]", "", rule.pattern)[:40] or "a"
    seeds["the pattern's own characters"] = literal
    return {name: (seed * (MEGABYTE // len(seed) + 1))[:MEGABYTE] for name, seed in seeds.items()}


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_rule_is_linear_on_a_megabyte_of_its_worst_case(rule):
    compiled = re.compile(rule.pattern)
    for name, text in worst_cases(rule).items():
        started = time.perf_counter()
        compiled.sub("", text)
        elapsed = time.perf_counter() - started
        assert elapsed < BOUND_SECONDS, f"{rule.id} took {elapsed:.1f} s on a megabyte of {name}"


def test_the_review_attack_is_quick():
    started = time.perf_counter()
    assert redact("a." * 16000) == "a." * 16000
    redact("a." * (MEGABYTE // 2))
    assert time.perf_counter() - started < BOUND_SECONDS


def test_every_repeat_is_bounded():
    """Linear by construction: no unbounded repeat (a fixed upper bound caps every attempt)."""
    import re._parser as sre_parse

    def walk(items, rule_id):
        for op, value in items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                _low, high, sub = value
                assert high is not sre_parse.MAXREPEAT and high <= 16384, f"{rule_id}: unbounded repeat"
                walk(sub, rule_id)
            elif name in ("SUBPATTERN",):
                walk(value[-1], rule_id)
            elif name == "BRANCH":
                for branch in value[1]:
                    walk(branch, rule_id)
            elif name in ("ATOMIC_GROUP", "ASSERT", "ASSERT_NOT"):
                walk(value if name == "ATOMIC_GROUP" else value[1], rule_id)

    for rule in RULES:
        walk(sre_parse.parse(rule.pattern), rule.id)
        assert rule.source and rule.keywords == tuple(k.lower() for k in rule.keywords), rule.id


def test_a_pasted_responses_header_values_are_redacted_where_they_are_shown():
    import json

    from bot.core.matching.matcher import diagnose
    from bot.render.text import render_diagnosis
    from bot.slack.rendering.blocks import render_diagnosis as render_blocks

    token = "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789"
    key_id = "AKIA" + "IOSFODNN7EXAMPLE"
    paste = (f"HTTP/1.1 502 Bad Gateway\nx-amzn-RequestId: {token}\nx-amzn-ErrorType: {key_id}\n\n"
             '{"message": "Internal server error"}\n')
    diagnosis = diagnose(paste)
    assert diagnosis.observed is not None and diagnosis.observed.status == 502
    assert not diagnosis.found  # so the text and Slack replies show the response's line
    for shown in (render_diagnosis(diagnosis), json.dumps(diagnosis.to_json()),
                  json.dumps(render_blocks(diagnosis).blocks)):
        assert token not in shown and key_id not in shown
