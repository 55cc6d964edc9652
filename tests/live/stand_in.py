"""A small stand-in on 127.0.0.1 for what moto does not do, speaking each API's own wire format,
in front of moto's server (every other request is passed to moto unchanged).

What moto (5.x) lacks, checked against its source and by calling it:
- CloudWatch Logs Insights: moto has StartQuery/GetQueryResults but ignores the `filter` command
  (so nothing is filtered server side), answers Complete at once, and says "The specified log
  group does not exist." without naming the group. Here: AWS's JSON 1.1 protocol, the query's
  `filter @message like /REGEX/`, `sort @timestamp desc` and `limit` applied to the events moto
  holds (each row with @timestamp, @message, @log and @logStream), "Running" before "Complete", and AWS's message "Log group 'X' does not exist for
  account ID '...'".
- FilterLogEvents: AWS may answer an empty page with a nextToken while the search goes on; moto
  never does. Here, on request (`empty_first_pages`), the first page of a log group is empty.
- apigatewayv2 GetAuthorizers is not implemented (500). Here: the authorizers created through the
  stand-in are remembered, and listed from moto's own GetAuthorizer answers.
- CloudFront GetDistribution drops the cache behaviors' LambdaFunctionAssociations. Here: the
  DistributionConfig a distribution was created with is given back (REST-XML), over moto's answer.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ACCOUNT = "123456789012"
_CLOUDFRONT_NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"
_QUERY_REGEX = re.compile(r"like /(.*)/ \| sort")
_QUERY_LIMIT = re.compile(r"\| limit (\d+)")


class StandIn:
    def __init__(self, moto_url: str) -> None:
        self.moto_url = moto_url
        self.lock = threading.Lock()
        self.reset()
        handler = type("Handler", (_Handler,), {"stand_in": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reset(self) -> None:
        with self.lock:
            self.queries: dict[str, dict[str, Any]] = {}
            self.query_strings: list[str] = []
            self.polls_before_complete = 0  # GetQueryResults answers Running this many times first
            self.empty_first_pages = False
            self.pages_served: dict[str, int] = {}
            self.authorizers: dict[str, list[str]] = {}
            self.distributions: dict[str, bytes] = {}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def logs(self) -> Any:
        import boto3

        return boto3.client("logs", region_name="us-east-1", endpoint_url=self.moto_url)


class _Handler(BaseHTTPRequestHandler):
    stand_in: StandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, *_: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    # ------------------------------------------------------------------------------ dispatch
    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        target = self.headers.get("X-Amz-Target", "")
        path = self.path.split("?", 1)[0]
        if target == "Logs_20140328.StartQuery":
            return self._json(*self._start_query(json.loads(body or b"{}")))
        if target == "Logs_20140328.GetQueryResults":
            return self._json(*self._query_results(json.loads(body or b"{}")))
        if target == "Logs_20140328.FilterLogEvents" and self.stand_in.empty_first_pages:
            answer = self._empty_first_page(json.loads(body or b"{}"))
            if answer is not None:
                return self._json(200, answer)
            body = self._without_token(body)
        match = re.fullmatch(r"/v2/apis/([^/]+)/authorizers", path)
        if match and self.command == "GET":
            return self._json(*self._list_authorizers(match.group(1)))
        status, headers, answer = self._forward(body)
        if match and self.command == "POST" and status < 300:
            created = json.loads(answer or b"{}").get("authorizerId")
            with self.stand_in.lock:
                self.stand_in.authorizers.setdefault(match.group(1), []).append(str(created))
        if re.fullmatch(r"/2020-05-31/distribution", path) and self.command == "POST" and status < 300:
            self._remember_distribution(body, answer)
        elif re.fullmatch(r"/2020-05-31/distribution/[A-Z0-9]+", path) and self.command == "GET" and status < 300:
            answer = self._with_config(path.rsplit("/", 1)[1], answer)
        self._send(status, headers, answer)

    def _forward(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        """The request as it came, to moto (http.client: urllib would add a form Content-Type)."""
        skip = {"host", "connection", "transfer-encoding", "content-length"}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
        parts = urllib.parse.urlsplit(self.stand_in.moto_url)
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        try:
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() not in ("content-length", "connection", "transfer-encoding", "date", "server"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, document: dict[str, Any], error_type: str | None = None) -> None:
        headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": str(uuid.uuid4())}
        if error_type:
            headers["x-amzn-ErrorType"] = error_type
        self._send(status, headers, json.dumps(document).encode())

    # ------------------------------------------------------------------------- Logs Insights
    def _start_query(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]] | tuple[int, dict[str, Any], str]:
        logs = self.stand_in.logs()
        groups = list(request.get("logGroupNames") or [])
        for group in groups:
            found = logs.describe_log_groups(logGroupNamePrefix=group).get("logGroups", [])
            if not any(g["logGroupName"] == group for g in found):
                message = (f"Log group '{group}' does not exist for account ID '{ACCOUNT}' (Service: AWSLogs; "
                           "Status Code: 400; Error Code: ResourceNotFoundException)")
                return 400, {"__type": "ResourceNotFoundException", "message": message}, "ResourceNotFoundException"
        query = str(request.get("queryString", ""))
        pattern = _QUERY_REGEX.search(query)
        limit = _QUERY_LIMIT.search(query)
        regex = re.compile(pattern.group(1)) if pattern else None
        rows: list[tuple[int, str, str, str]] = []
        start, end = int(request["startTime"]) * 1000, int(request["endTime"]) * 1000
        for group in groups:
            for page in logs.get_paginator("filter_log_events").paginate(logGroupName=group, startTime=start,
                                                                         endTime=end):
                for event in page.get("events", []):
                    if regex is None or regex.search(event["message"]):
                        rows.append((event["timestamp"], group, event["message"], event["logStreamName"]))
        rows.sort(reverse="sort @timestamp desc" in query)
        if limit:
            rows = rows[: int(limit.group(1))]
        query_id = str(uuid.uuid4())
        with self.stand_in.lock:
            self.stand_in.query_strings.append(query)
            self.stand_in.queries[query_id] = {"rows": rows, "polls": 0}
        return 200, {"queryId": query_id}

    def _query_results(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.stand_in.lock:
            query = self.stand_in.queries[str(request["queryId"])]
            query["polls"] += 1
            running = query["polls"] <= self.stand_in.polls_before_complete
        results = [] if running else [
            [{"field": "@timestamp", "value": _timestamp(ts)}, {"field": "@message", "value": message},
             {"field": "@log", "value": f"{ACCOUNT}:{group}"}, {"field": "@logStream", "value": stream},
             {"field": "@ptr", "value": str(index)}]
            for index, (ts, group, message, stream) in enumerate(query["rows"])
        ]
        status = "Running" if running else "Complete"
        return 200, {"results": results, "status": status,
                     "statistics": {"recordsMatched": float(len(query["rows"])), "recordsScanned": 0.0}}

    def _empty_first_page(self, request: dict[str, Any]) -> dict[str, Any] | None:
        group = str(request.get("logGroupName"))
        key = f"{group}:{request.get('startTime')}"
        with self.stand_in.lock:
            served = self.stand_in.pages_served.get(key, 0)
            self.stand_in.pages_served[key] = served + 1
        if served == 0 and not request.get("nextToken"):
            return {"events": [], "nextToken": "stand-in-empty-page", "searchedLogStreams": []}
        return None

    def _without_token(self, body: bytes) -> bytes:
        request = json.loads(body or b"{}")
        if request.get("nextToken") == "stand-in-empty-page":
            request.pop("nextToken")
        return json.dumps(request).encode()

    # --------------------------------------------------------------------- HTTP API authorizers
    def _list_authorizers(self, api_id: str) -> tuple[int, dict[str, Any]]:
        items = []
        for authorizer_id in self.stand_in.authorizers.get(api_id, []):
            request = urllib.request.Request(f"{self.stand_in.moto_url}/v2/apis/{api_id}/authorizers/{authorizer_id}",
                                             headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
            with urllib.request.urlopen(request, timeout=30) as response:
                items.append(json.loads(response.read()))
        return 200, {"items": items}

    # ----------------------------------------------------------------------------- CloudFront
    def _remember_distribution(self, request: bytes, answer: bytes) -> None:
        created = ET.fromstring(answer)
        distribution_id = created.findtext(f"{{{_CLOUDFRONT_NS}}}Id") or ""
        with self.stand_in.lock:
            self.stand_in.distributions[distribution_id] = request

    def _with_config(self, distribution_id: str, answer: bytes) -> bytes:
        with self.stand_in.lock:
            config = self.stand_in.distributions.get(distribution_id)
        if config is None:
            return answer
        ET.register_namespace("", _CLOUDFRONT_NS)
        document = ET.fromstring(answer)
        tag = f"{{{_CLOUDFRONT_NS}}}DistributionConfig"
        old = document.find(tag)
        if old is not None:
            index = list(document).index(old)
            document.remove(old)
            document.insert(index, ET.fromstring(config))
        return ET.tostring(document, xml_declaration=True, encoding="utf-8")


def _timestamp(milliseconds: int) -> str:
    moment = datetime.fromtimestamp(milliseconds / 1000, UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{milliseconds % 1000:03d}"
