"""The intrinsic resolver: values as far as a template alone fixes them, tokens for the rest."""

from __future__ import annotations

from bot.lint.intrinsics import (
    NO_VALUE,
    Resolver,
    adoptable,
    display,
    ref_token,
    unknown_token,
    unknowns_as_wildcards,
)

RESOURCES = {
    "Api": {"Type": "AWS::ApiGateway::RestApi"},
    "Fn": {"Type": "AWS::Lambda::Function", "Properties": {}},
    "FnAlias": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionName": {"Ref": "Fn"}, "Name": "live"}},
    "Stage": {"Type": "AWS::ApiGateway::Stage", "Properties": {"StageName": "prod"}},
    "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Name": "web"}},
}
PARAMETERS = {"StageName": {"Type": "String", "Default": "dev"}, "Seconds": {"Type": "Number", "Default": 20}}
MAPPINGS = {"Regions": {"us-east-1": {"Ami": "ami-1"}}}
resolver = Resolver(RESOURCES, PARAMETERS, MAPPINGS)


def test_ref_and_getatt_give_the_same_identity_whatever_the_form():
    long = resolver.text({"Fn::Sub": "${Api}/*"})
    short = resolver.text({"Fn::Join": ["", [{"Ref": "Api"}, "/*"]]})
    listed = resolver.text({"Fn::Sub": ["${Id}/*", {"Id": {"Fn::GetAtt": ["Api", "RestApiId"]}}]})
    assert long == short == listed == f"{ref_token('Api')}/*"


def test_sub_resolves_attributes_pseudo_parameters_and_escapes():
    text = resolver.text({"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:x:${Fn.Arn} ${!Literal} ${AWS::URLSuffix}"})
    assert display(text) == ("arn:${AWS::Partition}:lambda:${AWS::Region}:x:arn:${AWS::Partition}:lambda:${AWS::Region}:"
                             "${AWS::AccountId}:function:${Fn} ${Literal} amazonaws.com")


def test_alias_and_stage_and_target_group_refs_render_what_aws_returns():
    assert display(resolver.text({"Ref": "FnAlias"})).endswith(":function:${Fn}:live")
    assert resolver.text({"Ref": "Stage"}) == "prod"
    assert display(resolver.text({"Ref": "Tg"})).endswith(":targetgroup/web/${Tg}")


def test_select_split_findinmap_and_if():
    assert resolver.resolve({"Fn::Select": [1, {"Fn::Split": [",", "a,b,c"]}]}) == "b"
    assert resolver.resolve({"Fn::FindInMap": ["Regions", "us-east-1", "Ami"]}) == "ami-1"
    assert resolver.resolve({"Fn::If": ["C", "same", "same"]}) == "same"
    assert resolver.resolve({"Fn::If": ["IsProd", "a", "b"]}) == unknown_token("If.IsProd")
    assert resolver.resolve({"Fn::Select": [5, ["a"]]}) == unknown_token("Select")


def test_parameters_are_unknown_as_text_but_count_with_their_default_as_numbers():
    assert resolver.text({"Ref": "StageName"}) == unknown_token("StageName")
    assert resolver.number({"Ref": "Seconds"}) == 20
    assert resolver.number("30") == 30
    assert resolver.number(True) is None


def test_novalue_drops_the_property():
    assert resolver.resolve({"A": {"Ref": "AWS::NoValue"}, "B": 1}) == {"B": 1}
    assert resolver.resolve({"Ref": "AWS::NoValue"}) is NO_VALUE


def test_unknown_functions_and_deep_values_do_not_fail():
    assert resolver.text({"Fn::ImportValue": "Shared"}) == unknown_token("ImportValue")
    deep: dict = {"Fn::Sub": "x"}
    for _ in range(100):
        deep = {"Fn::Join": ["", [deep]]}
    assert resolver.text(deep) is not None


def test_tokens_never_hold_arn_separators_and_adopt_as_documented():
    token = unknown_token("a:b/c")
    assert ":" not in token and "/" not in token
    assert adoptable(resolver.text({"Ref": "AWS::Region"}))
    assert adoptable(unknown_token("Stage"))
    assert not adoptable(ref_token("Api"))
    assert unknowns_as_wildcards(f"{ref_token('Api')}/{unknown_token('Stage')}/GET") == f"{ref_token('Api')}/*/GET"
