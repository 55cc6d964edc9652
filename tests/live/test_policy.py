"""SourceArn matching with execute-api wildcard semantics (pure functions, no AWS)."""

from __future__ import annotations

from bot.live.policy import (
    arn_like,
    concrete_paths,
    decide,
    explain_miss,
    parse_statements,
    permission_source_arn,
    source_arn,
    string_like,
)

API = "a1b2c3d4e5"
ARN = f"arn:aws:execute-api:us-east-1:123456789012:{API}/prod/GET/users/42"


def policy(*conditions: dict, principal: object = None, effect: str = "Allow", action: str = "lambda:InvokeFunction") -> dict:
    statements = []
    for index, condition in enumerate(conditions or ({},)):
        statement = {"Sid": f"s{index}", "Effect": effect, "Action": action,
                     "Principal": principal or {"Service": "apigateway.amazonaws.com"},
                     "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f"}
        if condition:
            statement["Condition"] = condition
        statements.append(statement)
    return {"Version": "2012-10-17", "Statement": statements}


def arn_condition(pattern: str, operator: str = "ArnLike") -> dict:
    return {operator: {"AWS:SourceArn": pattern}}


def allowed(document: dict, arn: str = ARN) -> bool:
    return decide(parse_statements(document), arn, "123456789012").allowed


def test_wildcards_span_slashes_in_the_resource_part() -> None:
    assert arn_like(f"arn:aws:execute-api:us-east-1:123456789012:{API}/*", ARN)
    assert arn_like(f"arn:aws:execute-api:us-east-1:123456789012:{API}/*/GET/*", ARN)
    assert arn_like(f"arn:aws:execute-api:*:*:{API}/*/*/*", ARN)
    assert not arn_like(f"arn:aws:execute-api:us-east-1:123456789012:{API}/*/POST/*", ARN)
    assert arn_like(f"arn:aws:execute-api:us-east-1:123456789012:{API}/prod/GET/users/??", ARN)


def test_arn_like_checks_region_and_account_on_their_own() -> None:
    assert not arn_like(f"arn:aws:execute-api:eu-west-1:123456789012:{API}/*", ARN)
    assert not arn_like(f"arn:aws:execute-api:us-east-1:999999999999:{API}/*", ARN)
    # A wildcard in one part does not swallow the next: ArnLike compares part by part.
    assert not arn_like("arn:aws:execute-api:*", ARN)
    assert string_like("arn:aws:execute-api:*", ARN)


def test_requests_carry_the_concrete_path_not_the_template() -> None:
    paths = concrete_paths("/users/{id}")
    assert len(paths) == 2 and all("{" not in p for p in paths)
    assert not allowed(policy(arn_condition(f"arn:aws:execute-api:us-east-1:123456789012:{API}/*/GET/users/{{id}}")),
                       source_arn("us-east-1", "123456789012", API, "prod", "GET", paths[0]))
    greedy = concrete_paths("/files/{proxy+}")
    assert all(p.count("/") >= 3 for p in greedy)


def test_source_arn_forms() -> None:
    assert source_arn("us-east-1", "1", API, "prod", "GET", "/") == f"arn:aws:execute-api:us-east-1:1:{API}/prod/GET/"
    assert source_arn("us-east-1", "1", API, "$default", "*", "$default") == f"arn:aws:execute-api:us-east-1:1:{API}/$default/$default"
    assert permission_source_arn("us-east-1", "1", API, "ANY", "/users/{id}") == f"arn:aws:execute-api:us-east-1:1:{API}/*/*/users/*"
    assert permission_source_arn("us-east-1", "1", API, "*", "$default") == f"arn:aws:execute-api:us-east-1:1:{API}/*/$default"


def test_permission_source_arn_covers_what_it_grants() -> None:
    for method, path in (("GET", "/users/{id}"), ("POST", "/"), ("ANY", "/{proxy+}"), ("*", "$default")):
        granted = permission_source_arn("us-east-1", "123456789012", API, method, path)
        for verb in ("GET", "POST") if method in ("ANY", "*") else (method,):
            for concrete in concrete_paths(path):
                for stage in ("prod", "test-invoke-stage"):
                    wanted = source_arn("us-east-1", "123456789012", API, stage, verb, concrete)
                    assert arn_like(granted, wanted), (granted, wanted)


def test_operators_principals_actions() -> None:
    pattern = f"arn:aws:execute-api:us-east-1:123456789012:{API}/*"
    assert allowed(policy(arn_condition(pattern, "StringLike")))
    assert not allowed(policy(arn_condition(pattern, "StringEquals")))
    assert allowed(policy(arn_condition(ARN, "StringEquals")))
    assert allowed(policy())  # no SourceArn condition: any API may call
    assert allowed(policy(arn_condition(pattern), principal="*"))
    assert not allowed(policy(arn_condition(pattern), principal={"Service": "s3.amazonaws.com"}))
    assert allowed(policy(arn_condition(pattern), action="lambda:*"))
    assert not allowed(policy(arn_condition(pattern), action="lambda:GetFunction"))
    assert not allowed(policy({"StringEquals": {"AWS:SourceAccount": "999999999999"}}))
    assert allowed(policy({"StringEquals": {"aws:sourceaccount": "123456789012"}}))


def test_explicit_deny_wins() -> None:
    document = policy(arn_condition(f"arn:aws:execute-api:us-east-1:123456789012:{API}/*"))
    document["Statement"].append({"Sid": "no", "Effect": "Deny", "Action": "lambda:InvokeFunction",
                                  "Principal": {"Service": "apigateway.amazonaws.com"}})
    decision = decide(parse_statements(document), ARN, "123456789012")
    assert not decision.allowed and decision.denied_by == "no"


def test_explanations_name_the_mistake() -> None:
    base = "arn:aws:execute-api:us-east-1:123456789012:"
    assert "logical id" in explain_miss(base + "MyApi/*/GET/users/*", ARN)
    assert "region 'eu-west-1'" in explain_miss("arn:aws:execute-api:eu-west-1:123456789012:" + API + "/*", ARN)
    assert "account" in explain_miss("arn:aws:execute-api:us-east-1:999999999999:" + API + "/*", ARN)
    assert "not this API" in explain_miss(base + "zzzzzzzzzz/*", ARN)
    assert "stage 'dev'" in explain_miss(base + API + "/dev/GET/users/*", ARN)
    assert "test-invoke-stage" in explain_miss(base + API + "/prod/GET/users/*", ARN.replace("/prod/", "/test-invoke-stage/"))
    assert "method 'POST'" in explain_miss(base + API + "/*/POST/users/*", ARN)
    assert "literally" in explain_miss(base + API + "/*/GET/users/{id}", ARN)
