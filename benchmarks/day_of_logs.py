"""A realistic day of logs, made on the fly: REST execution-log requests and Lambda lines.

    python benchmarks/day_of_logs.py OUT.log SIZE_MB     # write one (for trying things by hand)

Healthy traffic is what a busy API writes: every request's execution-log lines (its quoted
Lambda response, "Received response. Status: 200, Integration latency", customers in bodies),
the function's START / END / REPORT lines and its own INFO lines. Three failures are buried at
30%, 60% and 90% of the file, each as the lines AWS really writes for it.
"""

from __future__ import annotations

import random
import sys

# (where in the file, lines of the failure, the entry a diagnosis must find)
BURIED = (
    (0.3, ("Task timed out after 29.03 seconds",), "function-timeout"),
    (0.6, ("[ERROR] Runtime.ImportModuleError: Unable to import module 'app': "
           "No module named 'pydantic_core._pydantic_core'",), "import-module-error"),
    (0.9, ("Endpoint response body before transformations: "
           '{"statusCode": 200, "body": {"id": 42, "customer": "c-981"}}',
           "Execution failed due to configuration error: Malformed Lambda proxy response",
           "Method completed with status: 502"), "malformed-proxy-response"),
)
EXPECTED = tuple(entry for _, _, entry in BURIED)


def _request_id(rng: random.Random) -> str:
    return (f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-"
            f"a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}")


def _rest_request(rng: random.Random, rid: str) -> list[str]:
    order = rng.randint(1, 10**6)
    customer = f"c-{rng.randint(1, 99999)}"
    body = '{"statusCode":200,"headers":{"Content-Type":"application/json"},' \
        f'"body":"{{\\"id\\":{order},\\"customer\\":\\"{customer}\\"}}"}}'
    lines = [
        "Extended Request Id: " + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh=") for _ in range(16)),
        f"Verifying Usage Plan for request: {rid}. API Key:  API Stage: a1b2c3d4e5/prod",
        "API Key  authorized because method 'GET /orders/{id}' does not require API Key. Request will not contribute to throttle or quota limits",
        "Usage Plan check succeeded for API Key  and API Stage a1b2c3d4e5/prod",
        f"Starting execution for request: {rid}",
        f"HTTP Method: GET, Resource Path: /orders/{order}",
        f"Method request path: {{id={order}}}",
        "Method request query string: {}",
        "Method request headers: {Accept=application/json, User-Agent=curl/8.4.0, "
        "Host=a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com, X-Forwarded-Proto=https}",
        "Endpoint request URI: https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/"
        "arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations",
        f'Endpoint request body after transformations: {{"resource":"/orders/{{id}}","path":"/orders/{order}","httpMethod":"GET"}}',
        "Sending request to https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/"
        "arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations",
        f"Received response. Status: 200, Integration latency: {rng.randint(8, 900)} ms",
        "Endpoint response headers: {Content-Type=application/json, Connection=keep-alive, "
        f"x-amzn-RequestId={_request_id(rng)}, X-Amz-Executed-Version=$LATEST}}",
        f"Endpoint response body before transformations: {body}",
        f'Method response body after transformations: {{"id":{order},"customer":"{customer}"}}',
        "Method response headers: {Content-Type=application/json}",
        "Successfully completed execution",
        "Method completed with status: 200",
    ]
    return [f"({rid}) {line}" for line in lines]


def _lambda_invocation(rng: random.Random, rid: str) -> list[str]:
    return [
        f"START RequestId: {rid} Version: $LATEST",
        f"{rid}\tINFO\tprocessed order {rng.randint(1, 10**6)} for customer c-{rng.randint(1, 99999)} "
        f"in {rng.random() * 90:.2f} ms",
        f"{rid}\tWARN\tslow query on table orders ({rng.randint(100, 900)} ms)"
        if rng.random() < 0.1 else f"{rid}\tINFO\tcache hit ratio {rng.random():.3f}",
        f"END RequestId: {rid}",
        f"REPORT RequestId: {rid}\tDuration: {rng.random() * 900:.2f} ms\tBilled Duration: "
        f"{rng.randint(1, 900)} ms\tMemory Size: 512 MB\tMax Memory Used: {rng.randint(80, 140)} MB",
    ]


def write_big_log(path: str, megabytes: float, *, seed: int = 7) -> int:
    """Write about `megabytes` MB of log to `path`; returns its size in bytes."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    marks = [(int(target * share), lines) for share, lines, _ in BURIED]
    size = 0
    second = 0
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        while size < target:
            second += 1
            stamp = f"2024-11-04T{second // 3600 % 24:02d}:{second // 60 % 60:02d}:{second % 60:02d}.{second % 1000:03d}Z"
            rid = _request_id(rng)
            lines = _rest_request(rng, rid) if rng.random() < 0.5 else _lambda_invocation(rng, rid)
            while marks and size >= marks[0][0]:
                lines = lines + [f"({rid}) {line}" for line in marks.pop(0)[1]]
            block = "".join(f"{stamp}\t{line}\n" for line in lines)
            handle.write(block)
            size += len(block.encode("utf-8"))
    return size


if __name__ == "__main__":
    print(write_big_log(sys.argv[1], float(sys.argv[2])))
