"""Lambda's Invoke API, just enough for a function to invoke itself asynchronously, without boto3.

Bolt's lazy listeners on Lambda invoke the function again (InvocationType=Event) before the ack
goes back to Slack, so this call is on the path of Slack's 3-second deadline. botocore costs a few
hundred milliseconds to import and set up on a cold start; a signed POST with the standard library
costs nothing. The request is signed with Signature Version 4 from the credentials Lambda puts in
the function's environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); where
they are missing (not on Lambda), `lambda_client()` falls back to boto3.

The endpoint is AWS_ENDPOINT_URL_LAMBDA, else AWS_ENDPOINT_URL, else the function's regional one.
tests/deploy/test_lambda_invoke.py holds the signature to botocore's own signer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

API_VERSION = "2015-03-31"
TIMEOUT = 3.0  # seconds; an async Invoke answers in tens of milliseconds


class InvokeError(Exception):
    """Lambda refused or could not take the invocation."""


def lambda_client(env: Mapping[str, str] | None = None) -> Any:
    """A client with `invoke(FunctionName=, InvocationType=, Payload=)`: ours when the environment
    holds credentials (always, on Lambda), else boto3's."""
    env = os.environ if env is None else env
    if env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        return SelfInvoker(env)
    import boto3

    return boto3.client("lambda")


class SelfInvoker:
    """`invoke()` with boto3's signature, for the asynchronous (Event) invocations Bolt makes."""

    def __init__(self, env: Mapping[str, str] | None = None, *, timeout: float = TIMEOUT) -> None:
        self._env = os.environ if env is None else env
        self._timeout = timeout
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def invoke(self, *, FunctionName: str, InvocationType: str = "Event",  # boto3's argument names
               Payload: bytes | str = b"") -> dict[str, Any]:
        body = Payload.encode("utf-8") if isinstance(Payload, str) else bytes(Payload)
        url, headers = self.signed_request(FunctionName, InvocationType, body, time.time())
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                return {"StatusCode": response.status,
                        "ResponseMetadata": {"RequestId": response.headers.get("x-amzn-RequestId")}}
        except urllib.error.HTTPError as exc:
            raise InvokeError(f"Invoke {FunctionName}: HTTP {exc.code} {_error_type(exc)}".rstrip()) from None
        except OSError as exc:
            raise InvokeError(f"Invoke {FunctionName}: {type(exc).__name__}: {exc}") from None

    def signed_request(self, function: str, invocation_type: str, body: bytes,
                       now: float) -> tuple[str, dict[str, str]]:
        """The URL and the signed headers of an Invoke request made at `now` (epoch seconds)."""
        env = self._env
        region, partition = _region_and_partition(function, env)
        endpoint = (env.get("AWS_ENDPOINT_URL_LAMBDA") or env.get("AWS_ENDPOINT_URL")
                    or f"https://lambda.{region}.{_DNS_SUFFIX.get(partition, 'amazonaws.com')}")
        parts = urlsplit(endpoint.rstrip("/"))
        path = f"{parts.path}/{API_VERSION}/functions/{quote(function, safe='')}/invocations"
        amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
        headers = {"host": parts.netloc, "x-amz-date": amz_date, "x-amz-invocation-type": invocation_type}
        token = env.get("AWS_SESSION_TOKEN")
        if token:
            headers["x-amz-security-token"] = token
        signed = ";".join(sorted(headers))
        canonical = "\n".join([
            "POST",
            quote(path, safe="/~"),  # SigV4 encodes the (already encoded) path once more
            "",
            "".join(f"{name}:{headers[name].strip()}\n" for name in sorted(headers)),
            signed,
            hashlib.sha256(body).hexdigest(),
        ])
        scope = f"{amz_date[:8]}/{region}/lambda/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                             hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
        key = ("AWS4" + env["AWS_SECRET_ACCESS_KEY"]).encode("utf-8")
        for part in (amz_date[:8], region, "lambda", "aws4_request"):
            key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={env['AWS_ACCESS_KEY_ID']}/{scope}, "
                                    f"SignedHeaders={signed}, Signature={signature}")
        return f"{parts.scheme}://{parts.netloc}{path}", headers


_DNS_SUFFIX = {"aws": "amazonaws.com", "aws-cn": "amazonaws.com.cn", "aws-us-gov": "amazonaws.com"}


def _region_and_partition(function: str, env: Mapping[str, str]) -> tuple[str, str]:
    """From the function's ARN (arn:PARTITION:lambda:REGION:...), else from AWS_REGION."""
    parts = function.split(":")
    if len(parts) >= 4 and parts[0] == "arn" and parts[3]:
        return parts[3], parts[1]
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
    if not region:
        raise InvokeError(f"Invoke {function}: no region (the function ARN or AWS_REGION gives it)")
    return region, "aws-cn" if region.startswith("cn-") else "aws"


def _error_type(exc: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(exc.read() or b"{}")
    except ValueError:
        return ""
    return str(data.get("__type") or data.get("Type") or data.get("message") or "")[:200]
