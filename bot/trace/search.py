"""A time and a path instead of a request id: the failing requests of that window (5XX in the
execution or access log), newest first, at most a few."""

from __future__ import annotations

from bot.live.aws import AwsClients
from bot.live.inventory import Inventory, Route, routes_for_path
from bot.trace.gather import Window, access_group, execution_group
from bot.trace.lines import access_record, execution_line, record_int, record_text
from bot.trace.logs import read_lines

MAX_FOUND = 3
FAILING = r'Method completed with status: 5\d\d|HTTP Method: |"status"\s*:\s*"?5\d\d'
FAILING_TERMS = ("Method completed with status: 5", "HTTP Method: ", '"status":"5', '"status": "5', '"status":5',
                 '"status": 5')
_COMPLETED = "Method completed with status: "


def failing_requests(aws: AwsClients, inventory: Inventory, path: str | None, window: Window) -> list[str]:
    """Request ids, newest first, whose client got a 5XX on a route `path` reaches (any when None)."""
    groups = [g for stage in inventory.stages for g in (execution_group(inventory, stage), access_group(stage)) if g]
    reads = read_lines(aws, tuple(dict.fromkeys(groups)), FAILING, FAILING_TERMS, window.start, window.end)
    seen = _Seen()
    for read in reads.values():
        for line in reversed(read.messages):  # a LogRead is oldest first
            seen.note(line)
    newest = sorted(seen.statuses, key=seen.order.__getitem__)
    failing = [rid for rid in newest if seen.statuses[rid] >= 500
               and (path is None or _reaches(path, seen.paths.get(rid)))]
    return failing[:MAX_FOUND]


class _Seen:
    """Each request's status and path, as the lines say them; `order`: newest first."""

    def __init__(self) -> None:
        self.order: dict[str, int] = {}
        self.statuses: dict[str, int] = {}
        self.paths: dict[str, str] = {}

    def note(self, line: str) -> None:
        parsed = execution_line(line)
        if parsed is not None:
            request_id, message = parsed
            self.order.setdefault(request_id, len(self.order))
            code = message[len(_COMPLETED):len(_COMPLETED) + 3]
            if message.startswith(_COMPLETED) and code.isdigit():
                self.statuses[request_id] = int(code)
            elif message.startswith("HTTP Method: ") and ", Resource Path: " in message:
                self.paths[request_id] = message.split(", Resource Path: ", 1)[1].strip()
            return
        record = access_record(line)
        if not record or not record.get("requestid"):
            return
        request_id = record["requestid"]
        self.order.setdefault(request_id, len(self.order))
        status = record_int(record, "status")
        if status is not None:
            self.statuses[request_id] = status
        where = record_text(record, "resourcepath", "path", "routekey")
        if where:
            self.paths[request_id] = where.split(" ", 1)[-1]  # a route key is "GET /orders"


def _reaches(wanted: str, seen: str | None) -> bool:
    """`wanted` (a path or a template) names the route `seen` logged (a path or a template)."""
    if seen is None:
        return False
    clean = "/" + wanted.strip("/")
    logged = "/" + seen.strip("/")
    if clean == logged:
        return True
    template = (Route("ANY", logged, None),)
    if routes_for_path(template, clean):
        return True
    without_stage = "/" + logged.strip("/").split("/", 1)[-1]  # $context.path keeps the stage
    return clean == without_stage
