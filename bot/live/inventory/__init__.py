"""What a checked front door is made of: an API Gateway API, an Application Load Balancer or
target group, a CloudFront distribution, or a function URL, and every Lambda function behind it.

- model: the typed values (Inventory, Route, Integration, Authorizer, TargetGroup, ...);
- apigateway: REST and HTTP APIs; alb: load balancers and target groups; edge: CloudFront
  distributions and function URLs.
"""

from bot.live.inventory.apigateway import (
    bindings_of,
    find_api,
    load_inventory,
    narrowed,
    parse_function_arn,
    resolve_target,
    routes_for_path,
)
from bot.live.inventory.model import (
    DEFAULT_REST_TIMEOUT_MS,
    HTTP_API_MAX_TIMEOUT_MS,
    HTTP_METHODS,
    Authorizer,
    Binding,
    Distribution,
    EdgeFunction,
    FunctionUrl,
    Integration,
    IntegrationResponse,
    Inventory,
    LambdaTarget,
    LoadBalancer,
    Origin,
    Route,
    Stage,
    TargetGroup,
    TargetHealth,
)

IAM_ACTIONS: tuple[str, ...] = (
    "apigateway:GET",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
    "cloudfront:GetDistribution",
    "lambda:GetFunctionUrlConfig",
    "lambda:ListFunctions",
)

__all__ = [
    "DEFAULT_REST_TIMEOUT_MS", "HTTP_API_MAX_TIMEOUT_MS", "HTTP_METHODS", "IAM_ACTIONS", "Authorizer", "Binding",
    "Distribution", "EdgeFunction", "FunctionUrl", "Integration", "IntegrationResponse", "Inventory", "LambdaTarget",
    "LoadBalancer", "Origin", "Route", "Stage", "TargetGroup", "TargetHealth", "bindings_of", "find_api",
    "load_inventory", "narrowed", "parse_function_arn", "resolve_target", "routes_for_path",
]
