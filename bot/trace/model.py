"""The typed values a trace flows through: what the logs hold for one request (RequestLogs), what
each hop says about it (Hop), and the whole answer (Trace). Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.live.finding import ApiInfo
from bot.live.inventory import Authorizer, Integration, LambdaTarget

HopName = Literal["authorizer", "integration", "function", "response"]
Status = Literal["ok", "failed", "unknown"]
LogState = Literal["read", "off", "missing", "denied", "none", "unlinked"]
# none: no such log for this API or integration; unlinked: no integration request id leads to it
HOP_NAMES: tuple[HopName, ...] = ("authorizer", "integration", "function", "response")


@dataclass(frozen=True)
class Said:
    """A sentence of knowledge/texts/trace/, by id, with the values to fill in (bot.trace.texts)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Invocation:
    """The function's lines of one invocation: its log stream from START to END and REPORT (bot.trace.invocation)."""

    stream: str  # redacted
    lines: tuple[str, ...]  # oldest first, redacted; the id's own lines included
    started: bool  # its START line was found (else: read back as far as its REPORT says it ran)
    ended: bool  # its END line was found
    reported: bool  # its REPORT line was found (else: read up to the next invocation or the window's end)
    left_out: int = 0  # lines read but not kept (the bound keeps the first and the last ones)
    more: bool = False  # the stream held more lines than the page allowance read
    problem: str | None = None  # the stream could not be read: the id's own lines only, redacted


@dataclass(frozen=True)
class LogSource:
    """One log a hop reads: the stage's execution log, its access log, or the function's log."""

    kind: Literal["execution", "access", "function"]
    group: str | None  # None when the log is off or the API has none
    state: LogState
    lines: tuple[str, ...] = ()  # this request's lines, oldest first, redacted
    partial: bool = False  # the window held more than was read
    problem: str | None = None  # why it could not be read (denied), redacted
    invocation: Invocation | None = None  # function: the whole invocation's lines (then `lines` are those)

    @property
    def read(self) -> bool:
        return self.state == "read"


@dataclass(frozen=True)
class Setup:
    """What the API says about the request's route, when the logs name it."""

    route: str | None = None  # "GET /orders/{id}"
    integration: Integration | None = None
    target: LambdaTarget | None = None  # the function, version or alias the route invokes on the stage
    authorizer: Authorizer | None = None
    uses_authorizer: bool | None = None  # None: the route is not known
    integration_timeout_ms: int | None = None
    function_timeout_s: float | None = None
    function_memory_mb: int | None = None


@dataclass(frozen=True)
class RequestLogs:
    """Everything found about one request, before any judgement."""

    request_id: str
    api: ApiInfo
    region: str
    stage: str | None
    execution: LogSource
    access: LogSource
    function: LogSource
    integration_request_id: str | None
    setup: Setup
    data_trace: bool = False  # REST: full request and response logging on the stage


@dataclass(frozen=True)
class Hop:
    hop: HopName
    status: Status
    entry: str | None = None  # the knowledge entry that explains a failure
    facts: tuple[Said, ...] = ()  # what was measured or read, in words
    evidence: tuple[str, ...] = ()  # log lines, redacted
    unknown_because: tuple[Said, ...] = ()  # why the hop cannot be told, with how to turn the log on
    lines: tuple[str, ...] = ()  # function: every line the invocation wrote, oldest first, redacted

    def to_json(self, words: list[str]) -> dict[str, Any]:
        return {"hop": self.hop, "status": self.status, "entry": self.entry, "evidence": words,
                "lines": list(self.lines)}


@dataclass(frozen=True)
class Trace:
    request_id: str
    api: ApiInfo
    region: str
    stage: str | None
    hops: tuple[Hop, ...]
    verdict: str | None  # the entry of the first hop that failed with a known cause
    failed_hop: HopName | None
    succeeded: bool
    client_status: int | None
    notes: tuple[Said, ...] = ()

    def hop(self, name: HopName) -> Hop:
        return next(h for h in self.hops if h.hop == name)
