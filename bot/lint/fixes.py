"""Fixes with the template's own names, as the resource to add or change, in the input's own
language: CloudFormation YAML (SAM: the event that makes SAM add it), HCL for Terraform."""

from __future__ import annotations

import re

from bot.lint.model.model import Function, Model, Target
from bot.lint.sources import Template

_EXECUTE_API = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}"
_WORD = re.compile(r"[^A-Za-z0-9]+")


def is_terraform(model: Model) -> bool:
    return model.source.kind == "terraform"


def written_type(model: Model, logical_id: str) -> str | None:
    if not isinstance(model.source, Template):
        return None
    resource = model.source.resources.get(logical_id)
    return resource.get("Type") if isinstance(resource, dict) else None


def _name(*parts: str) -> str:
    return "".join(word[:1].upper() + word[1:] for part in parts for word in _WORD.split(part) if word)[:200]


def function_name_reference(model: Model, target: Target) -> str:
    function = target.function
    assert function is not None
    if is_terraform(model):
        return f"{function.key}.function_name"
    if target.qualifier:
        return f'!Sub "${{{function.place.logical_id}.Arn}}:{target.qualifier}"'
    return f"!GetAtt {function.place.logical_id}.Arn"


def api_permission(model: Model, target: Target, api_key: str, resource_part: str, principal: str,
                   purpose: str) -> tuple[str, str | None]:
    """The fix for a missing API Gateway permission; `resource_part` follows the API id
    ("*/GET/items", "authorizers/*")."""
    function = target.function
    if function is None:
        return (f"Add a permission for {principal} to the function {target.reference}, in the stack that "
                f"owns it, with SourceArn {_EXECUTE_API}:${{{api_key}}}/{resource_part}", None)
    if is_terraform(model):
        qualifier = f'\n  qualifier     = "{target.qualifier}"' if target.qualifier else ""
        patch = (f'resource "aws_lambda_permission" "{_WORD.sub("_", purpose.lower()).strip("_")}" {{\n'
                 f'  statement_id  = "{_name("Allow", purpose)}"\n'
                 '  action        = "lambda:InvokeFunction"\n'
                 f"  function_name = {function_name_reference(model, target)}{qualifier}\n"
                 f'  principal     = "{principal}"\n'
                 f'  source_arn    = "${{{api_key}.execution_arn}}/{resource_part}"\n'
                 "}")
        return (f"Add an aws_lambda_permission for {function.label}" +
                (f" with qualifier {target.qualifier}" if target.qualifier else "") +
                f" whose source_arn is built from {api_key}.execution_arn, never typed in", patch)
    source_arn = f'!Sub "{_EXECUTE_API}:${{{api_key}}}/{resource_part}"'
    patch = (f"{_name(function.place.logical_id, purpose, 'Permission')}:\n"
             "  Type: AWS::Lambda::Permission\n"
             "  Properties:\n"
             "    Action: lambda:InvokeFunction\n"
             f"    FunctionName: {function_name_reference(model, target)}\n"
             f"    Principal: {principal}\n"
             f"    SourceArn: {source_arn}")
    fix = (f"Add an AWS::Lambda::Permission for {function.label}"
           + (f" (alias {target.qualifier}: its ARN, not the function's)" if target.qualifier else "")
           + f" whose SourceArn names the API with ${{{api_key}}}, never its logical id as text")
    if model.source.kind == "cdk":
        fix += ("; in the CDK app, use a LambdaIntegration (it adds the permission) or "
                "fn.addPermission(id, {principal: new iam.ServicePrincipal('apigateway.amazonaws.com'), "
                "sourceArn: api.arnForExecuteApi()})")
    return fix, patch


def source_arn_patch(model: Model, permission_id: str, api_key: str, resource_part: str) -> tuple[str, str]:
    """For a permission that is there but covers the wrong thing: its SourceArn, set right."""
    if is_terraform(model):
        return (f"Build {permission_id}'s source_arn from {api_key}.execution_arn",
                property_patch(model, permission_id, {"source_arn": f'"${{{api_key}.execution_arn}}/{resource_part}"'}))
    return (f"Give {permission_id} a SourceArn that names the API with ${{{api_key}}} and covers every stage, "
            "method and path it serves",
            property_patch(model, permission_id, {"SourceArn": f'!Sub "{_EXECUTE_API}:${{{api_key}}}/{resource_part}"'}))


def sam_event(model: Model, function: Function, api_key: str, method: str, path: str, http: bool) -> str | None:
    """For a SAM function behind a SAM API: the event that makes SAM write the permission."""
    if (written_type(model, function.place.logical_id) != "AWS::Serverless::Function"
            or written_type(model, api_key) not in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi")):
        return None
    event = _name(method.lower() if method != "ANY" else "any", path) or "Api"
    return (f"{function.place.logical_id}:\n"
            "  Properties:\n"
            "    Events:\n"
            f"      {event}:\n"
            f"        Type: {'HttpApi' if http else 'Api'}\n"
            "        Properties:\n"
            f"          {'ApiId' if http else 'RestApiId'}: !Ref {api_key}\n"
            f"          Path: {path}\n"
            f"          Method: {method.lower()}")


def target_group_permission(model: Model, target: Target, group_key: str) -> tuple[str, str | None]:
    function = target.function
    if function is None:
        return ("Add a permission for elasticloadbalancing.amazonaws.com to the function, in the stack that owns it, "
                "with the target group's ARN as SourceArn", None)
    if is_terraform(model):
        qualifier = f'\n  qualifier     = "{target.qualifier}"' if target.qualifier else ""
        return ("Add an aws_lambda_permission for the load balancer, and make the attachment depend on it",
                'resource "aws_lambda_permission" "alb" {\n'
                '  statement_id  = "AllowExecutionFromALB"\n'
                '  action        = "lambda:InvokeFunction"\n'
                f"  function_name = {function_name_reference(model, target)}{qualifier}\n"
                '  principal     = "elasticloadbalancing.amazonaws.com"\n'
                f"  source_arn    = {group_key}.arn\n"
                "}")
    return (f"Add an AWS::Lambda::Permission for {function.label} and list it in the target group's DependsOn "
            "(the target group registers the function when it is created, and needs the permission then)",
            f"{_name(function.place.logical_id, 'LoadBalancerPermission')}:\n"
            "  Type: AWS::Lambda::Permission\n"
            "  Properties:\n"
            "    Action: lambda:InvokeFunction\n"
            f"    FunctionName: {function_name_reference(model, target)}\n"
            "    Principal: elasticloadbalancing.amazonaws.com\n"
            f"    SourceArn: !Ref {group_key}")


def property_patch(model: Model, logical_id: str, properties: dict[str, str], tf_block: str | None = None) -> str:
    """A resource with the properties to set: YAML for templates, the attributes for Terraform."""
    if is_terraform(model):
        kind, _, name = logical_id.rpartition(".")
        body = "\n".join(f"  {key} = {value}" for key, value in properties.items())
        return f'resource "{kind.split(".")[-1]}" "{name}" {{\n{body}\n}}' if tf_block is None else tf_block
    lines = [f"{logical_id}:", "  Properties:"]
    lines += [f"    {key}: {value}" for key, value in properties.items()]
    return "\n".join(lines)
