"""The bot's work after each ack: a bounded queue of worker threads, and "busy" when it is full.

Every ack runs on the request's own thread, at once (Bolt's process_before_response); only the
work after it (diagnosing, replying, live checks) waits for one of WORKERS threads. At most
CAPACITY pieces of work are queued or running. One more is refused at once: the person is told
the bot is busy (`/502` in the ack itself, a mention or a DM with a reply in its thread), so
nobody waits in silence, and the log says `outcome: busy`.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import BoltRequest
from slack_bolt.lazy_listener.runner import LazyListenerRunner

from bot.slack import eventlog

WORKERS = 10  # diagnoses in parallel; each mostly waits on Slack's Web API
CAPACITY = 50  # queued or running; beyond this the answer is "busy"
NOTICES = 20  # "busy" answers waiting to be sent; beyond this they are only logged
BUSY = "badgateway_busy"  # context key: the ack already told the person the bot is busy

log = logging.getLogger("badgateway")


class QueueFull(RuntimeError):
    pass


class WorkQueue(ThreadPoolExecutor):
    """Worker threads with a bounded queue, counting the work not yet finished (for a graceful stop)."""

    def __init__(self, workers: int = WORKERS, capacity: int = CAPACITY) -> None:
        super().__init__(max_workers=workers, thread_name_prefix="badgateway-work")
        self.capacity = capacity
        self._pending = 0
        self._changed = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Queue `fn`; QueueFull when CAPACITY pieces of work are already queued or running."""
        with self._changed:
            if self._pending >= self.capacity:
                raise QueueFull(f"{self._pending} pieces of work in flight")
            self._pending += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished()
            raise
        future.add_done_callback(lambda _: self._finished())
        return future

    def has_room(self) -> bool:
        with self._changed:
            return self._pending < self.capacity

    @property
    def pending(self) -> int:
        with self._changed:
            return self._pending

    def wait_idle(self, deadline: float) -> int:
        """Wait until nothing is pending or `deadline` (time.monotonic()); returns what is left."""
        with self._changed:
            while self._pending and (left := deadline - time.monotonic()) > 0:
                self._changed.wait(left)
            return self._pending

    def _finished(self) -> None:
        with self._changed:
            self._pending -= 1
            self._changed.notify_all()


class BusyNotices:
    """Sends "busy, try again" answers from one thread of its own, so the workers' load cannot delay
    them; at most NOTICES wait, the others are only logged."""

    def __init__(self, client: Any, capacity: int = NOTICES) -> None:
        self._client = client
        self._queue: queue.Queue[tuple[BoltRequest, str]] = queue.Queue(maxsize=capacity)
        self._thread = threading.Thread(target=self._send_all, name="badgateway-busy", daemon=True)
        self._thread.start()

    def offer(self, request: BoltRequest, text: str) -> bool:
        try:
            self._queue.put_nowait((request, text))
            return True
        except queue.Full:
            return False

    def wait_sent(self, timeout: float) -> bool:
        """Wait until no notice is waiting (tests; a graceful stop); True when none is."""
        deadline = time.monotonic() + timeout
        while not self._queue.empty() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self._queue.empty()

    def _send_all(self) -> None:
        while True:
            request, text = self._queue.get()
            try:
                send_busy_notice(self._client, request.body, text)
            except Exception as exc:  # noqa: BLE001 - a lost notice must not end the thread
                log.warning("badgateway: the busy notice failed: %s", type(exc).__name__)


def send_busy_notice(client: Any, body: dict[str, Any], text: str) -> None:
    """Tell the person who asked: through the response_url (commands, buttons) or in the thread."""
    response_url = body.get("response_url")
    if response_url:
        from slack_sdk.webhook import WebhookClient

        WebhookClient(str(response_url), timeout=10).send(text=text, response_type="ephemeral",
                                                          replace_original=False)
        return
    event = body.get("event") or {}
    asked = event.get("type") == "app_mention" or event.get("channel_type") == "im"
    if asked and event.get("channel"):  # never unprompted: a watched channel's message gets nothing
        client.chat_postMessage(channel=event["channel"], thread_ts=event.get("thread_ts") or event.get("ts"),
                                text=text, unfurl_links=False, unfurl_media=False)


class QueuedLazyRunner(LazyListenerRunner):
    """Bolt's lazy listeners for `serve`: each one queued on the WorkQueue and logged as one line
    (bot.slack.eventlog); a full queue answers "busy" instead."""

    def __init__(self, logger: logging.Logger, work: WorkQueue, notices: BusyNotices) -> None:
        self.logger = logger
        self.work = work
        self.notices = notices

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        if not request.context.get(BUSY):
            try:
                self.work.submit(eventlog.run_logged, function, request, self.logger)
                return
            except QueueFull:
                pass
        self._refuse(request)

    def run(self, function: Callable[..., None], request: BoltRequest) -> None:
        eventlog.run_logged(function, request, self.logger)

    def _refuse(self, request: BoltRequest) -> None:
        from bot.slack.rendering.texts import say

        services = request.context.get("services")
        body = request.body
        key = delivery_key(body)
        if services is not None:
            services.activity.record(key, "busy")
        eventlog.log_dropped(body, "busy")
        if request.context.get(BUSY):
            return  # the ack said it already
        user = eventlog.describe(body).user
        language = (services.locales.known(user) if services is not None and user else None) or "en"
        if not self.notices.offer(request, say(language, "busy")):
            log.warning("badgateway: too busy to say so: %s", key)


def delivery_key(body: dict[str, Any]) -> str:
    """What identifies one delivery: the Events API event_id, else the trigger_id of a command or click."""
    return str(body.get("event_id") or body.get("trigger_id") or "")
