"""A small factory for the AWS clients the live checks use, and the one door every AWS call goes through.

- Standard AWS configuration: environment, shared config and credentials files, `--profile`,
  `AWS_ENDPOINT_URL` (botocore reads it), and `--role-arn` through STS AssumeRole.
- botocore's adaptive retry mode, which backs off on throttling, and short timeouts, so one slow
  call cannot eat the whole time budget.
- `AwsClients.call(service, operation, **params)`: counts calls, refuses to start one after the
  time budget is spent, and turns botocore errors into `AwsCallError` naming the IAM action that
  was denied. The static test in tests/live reads these calls to check deploy/iam-policy.json.

boto3 is imported lazily: `badgateway diagnose` must not pay for it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.errors import BadGatewayError

# (service, operation) -> the IAM action it needs; None: no permission needed.
IAM_ACTIONS: dict[tuple[str, str], str | None] = {
    ("apigateway", "GetRestApi"): "apigateway:GET",
    ("apigateway", "GetResources"): "apigateway:GET",
    ("apigateway", "GetIntegration"): "apigateway:GET",
    ("apigateway", "GetStages"): "apigateway:GET",
    ("apigateway", "GetAccount"): "apigateway:GET",
    ("apigateway", "GetRestApis"): "apigateway:GET",
    ("apigateway", "GetAuthorizers"): "apigateway:GET",
    ("apigateway", "GetBasePathMappings"): "apigateway:GET",
    ("apigateway", "TestInvokeMethod"): "apigateway:POST",  # not read-only: --invoke only
    ("apigatewayv2", "GetApi"): "apigateway:GET",
    ("apigatewayv2", "GetRoutes"): "apigateway:GET",
    ("apigatewayv2", "GetIntegrations"): "apigateway:GET",
    ("apigatewayv2", "GetStages"): "apigateway:GET",
    ("apigatewayv2", "GetApis"): "apigateway:GET",
    ("apigatewayv2", "GetAuthorizers"): "apigateway:GET",
    ("apigatewayv2", "GetApiMappings"): "apigateway:GET",
    ("lambda", "GetFunctionConfiguration"): "lambda:GetFunctionConfiguration",
    ("lambda", "GetPolicy"): "lambda:GetPolicy",
    ("lambda", "GetFunctionConcurrency"): "lambda:GetFunctionConcurrency",
    ("lambda", "GetFunction"): "lambda:GetFunction",
    ("lambda", "GetFunctionUrlConfig"): "lambda:GetFunctionUrlConfig",
    ("lambda", "ListFunctions"): "lambda:ListFunctions",
    ("logs", "FilterLogEvents"): "logs:FilterLogEvents",
    ("logs", "StartQuery"): "logs:StartQuery",
    ("logs", "GetQueryResults"): "logs:GetQueryResults",
    ("elbv2", "DescribeLoadBalancers"): "elasticloadbalancing:DescribeLoadBalancers",
    ("elbv2", "DescribeLoadBalancerAttributes"): "elasticloadbalancing:DescribeLoadBalancerAttributes",
    ("elbv2", "DescribeTargetGroups"): "elasticloadbalancing:DescribeTargetGroups",
    ("elbv2", "DescribeTargetGroupAttributes"): "elasticloadbalancing:DescribeTargetGroupAttributes",
    ("elbv2", "DescribeTargetHealth"): "elasticloadbalancing:DescribeTargetHealth",
    ("cloudfront", "GetDistribution"): "cloudfront:GetDistribution",
    ("iam", "GetRole"): "iam:GetRole",
    ("cloudwatch", "GetMetricData"): "cloudwatch:GetMetricData",
    ("cloudwatch", "GetMetricWidgetImage"): "cloudwatch:GetMetricWidgetImage",
    ("sts", "GetCallerIdentity"): None,  # always allowed
    ("sts", "AssumeRole"): "sts:AssumeRole",  # needed by the caller, on the role it assumes
}

ACCESS_DENIED_CODES = frozenset(
    {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException",
     "Forbidden", "ForbiddenException"}
)
BAD_CREDENTIALS_CODES = frozenset(
    {"UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException",
     "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature"}
)
NOT_FOUND_CODES = frozenset(
    {"NotFoundException", "ResourceNotFoundException", "NoSuchEntity", "LoadBalancerNotFound",
     "TargetGroupNotFound", "NoSuchDistribution"}
)
THROTTLING_CODES = frozenset(
    {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
     "ThrottledException", "RequestThrottled", "SlowDown"}
)

Hook = tuple[str, Callable[..., Any]]  # (botocore event name, handler), e.g. for tests


class AwsCallError(Exception):
    """An AWS call that failed; `access_denied` tells the missing permission apart."""

    def __init__(self, service: str, operation: str, code: str, message: str) -> None:
        self.service = service
        self.operation = operation
        self.code = code
        self.aws_message = message
        self.iam_action = IAM_ACTIONS.get((service, operation))
        super().__init__(self.describe())

    @property
    def access_denied(self) -> bool:
        return self.code in ACCESS_DENIED_CODES

    @property
    def not_found(self) -> bool:
        return self.code in NOT_FOUND_CODES

    @property
    def throttled(self) -> bool:
        return self.code in THROTTLING_CODES

    def describe(self) -> str:
        if self.access_denied:
            action = self.iam_action or f"{self.service}:{self.operation}"
            return f"access denied: the identity running the check lacks {action} ({self.operation})"
        if self.throttled:
            return f"{self.operation} still throttled after retries ({self.code})"
        return f"{self.operation} failed: {self.code}: {self.aws_message}".rstrip(": ")


class BudgetExhausted(Exception):
    """The run's time budget is spent: no new AWS call starts."""


@dataclass(frozen=True)
class AwsSettings:
    region: str | None = None
    profile: str | None = None
    role_arn: str | None = None
    external_id: str | None = None  # the sts:ExternalId the role's trust policy requires
    endpoint_url: str | None = None  # None: standard configuration (incl. AWS_ENDPOINT_URL)
    access_key_id: str | None = None  # explicit credentials, for the demo's local server
    secret_access_key: str | None = None
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    max_attempts: int = 5
    max_pool_connections: int = 32
    hooks: tuple[Hook, ...] = field(default=())


class AwsClients:
    """Clients for one run: one session, one client per service, every call counted."""

    def __init__(self, settings: AwsSettings) -> None:
        self.settings = settings
        self.deadline: float | None = None  # time.monotonic() value; set by the runner
        self._lock = threading.Lock()
        self._clients: dict[str, Any] = {}
        self._calls = 0
        self._account: str | None = None
        self._session = self._open_session()
        region = settings.region or os.environ.get("AWS_REGION") or self._session.region_name
        if not region:
            raise BadGatewayError(
                "no AWS region: pass --region, or set AWS_REGION (or AWS_DEFAULT_REGION, or a region in your "
                "AWS profile)"
            )
        self.region: str = region

    @property
    def calls(self) -> int:
        return self._calls

    # ---------------------------------------------------------------------------------------
    def _open_session(self) -> Any:
        import boto3
        import botocore.exceptions

        settings = self.settings
        try:
            session = boto3.session.Session(
                profile_name=settings.profile,
                region_name=settings.region,
                aws_access_key_id=settings.access_key_id,
                aws_secret_access_key=settings.secret_access_key,
            )
        except botocore.exceptions.ProfileNotFound:
            raise BadGatewayError(f"AWS profile '{settings.profile}' not found in your AWS config") from None
        except botocore.exceptions.BotoCoreError as exc:
            raise BadGatewayError(f"cannot read the AWS configuration: {exc}") from None
        try:
            credentials = session.get_credentials()
        except botocore.exceptions.BotoCoreError as exc:
            raise BadGatewayError(f"cannot load AWS credentials: {exc}") from None
        if credentials is None:
            raise BadGatewayError(
                "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                "run `aws configure` or `aws sso login`, or pass --profile"
            )
        if settings.role_arn:
            session = self._assume_role(session)
        return session

    def _assume_role(self, base: Any) -> Any:
        import boto3

        region = self.settings.region or os.environ.get("AWS_REGION") or base.region_name
        sts = base.client("sts", region_name=region or "us-east-1",
                          config=self._config(), endpoint_url=self.settings.endpoint_url)
        for event, handler in self.settings.hooks:
            sts.meta.events.register(event, handler)
        try:
            arguments = {
                "RoleArn": self.settings.role_arn, "RoleSessionName": "badgateway-check",
                "DurationSeconds": 900,
            }
            if self.settings.external_id:
                arguments["ExternalId"] = self.settings.external_id
            answer = self._invoke(sts, "sts", "AssumeRole", arguments)
        except AwsCallError as exc:
            raise BadGatewayError(f"cannot assume role {self.settings.role_arn}: {exc.describe()}") from None
        creds = answer["Credentials"]
        return boto3.session.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=region,
        )

    def _config(self) -> Any:
        from botocore.config import Config

        s = self.settings
        return Config(
            retries={"mode": "adaptive", "max_attempts": s.max_attempts},
            connect_timeout=s.connect_timeout,
            read_timeout=s.read_timeout,
            max_pool_connections=s.max_pool_connections,
            user_agent_extra="badgateway-check",
        )

    def client(self, service: str, region: str | None = None) -> Any:
        """The client for `service` in the run's region, or in `region` (Lambda@Edge lives in us-east-1)."""
        where = region or self.region
        with self._lock:  # boto3 sessions are not thread-safe; clients are
            existing = self._clients.get(f"{service}@{where}")
            if existing is not None:
                return existing
            client = self._session.client(
                service, region_name=where, config=self._config(),
                endpoint_url=self.settings.endpoint_url,
            )
            # Also between retries: once the budget is spent, no further attempt is sent.
            client.meta.events.register("before-send", self._refuse_after_deadline)
            for event, handler in self.settings.hooks:
                client.meta.events.register(event, handler)
            self._clients[f"{service}@{where}"] = client
            return client

    def _refuse_after_deadline(self, **_: Any) -> None:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise BudgetExhausted("time budget spent before the request was sent")

    # ---------------------------------------------------------------------------------------
    def call(self, service: str, operation: str, *, in_region: str | None = None, **params: Any) -> dict[str, Any]:
        """Make one AWS call: `call("lambda", "GetPolicy", FunctionName="f")`; `in_region` for another region."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise BudgetExhausted(f"{operation} not started: time budget spent")
        return self._invoke(self.client(service, in_region), service, operation, params)

    def _invoke(self, client: Any, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        import botocore.exceptions

        with self._lock:
            self._calls += 1
        method = getattr(client, _snake(operation))
        try:
            return method(**params)
        except botocore.exceptions.ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))
            message = str(error.get("Message") or "")
            if code in BAD_CREDENTIALS_CODES:
                raise BadGatewayError(
                    f"AWS rejected the credentials ({code}): refresh them (`aws sso login`, new keys) "
                    "or pick another --profile"
                ) from None
            raise AwsCallError(service, operation, code, message) from None
        except botocore.exceptions.NoCredentialsError:
            raise BadGatewayError(
                "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                "run `aws configure`, or pass --profile"
            ) from None
        except (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectTimeoutError,
                botocore.exceptions.ReadTimeoutError, botocore.exceptions.ConnectionClosedError) as exc:
            raise AwsCallError(service, operation, "Unreachable", str(exc)) from None
        except botocore.exceptions.BotoCoreError as exc:  # e.g. an answer that cannot be parsed
            raise AwsCallError(service, operation, type(exc).__name__, str(exc)) from None

    def account_id(self) -> str:
        """The account of the identity running the check (sts:GetCallerIdentity needs no permission)."""
        if self._account is None:
            self._account = str(self.call("sts", "GetCallerIdentity")["Account"])
        return self._account


def _snake(operation: str) -> str:
    """GetFunctionConfiguration -> get_function_configuration (botocore's own rule for our names)."""
    from botocore import xform_name

    return str(xform_name(operation))
