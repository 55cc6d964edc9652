"""What the bot remembers, against the real stores: this process's memory, and DynamoDB on moto's
server. One contract for both; then what only the shared table does: two processes (and two
Lambda containers) that share it answer a delivery once, and a retry nobody handled is answered."""

from __future__ import annotations

import logging
import threading
import time
from types import SimpleNamespace

import pytest

from bot.slack.state.bot_state import BotState
from bot.slack.state.dynamodb import DynamoStore
from bot.slack.state.memory import MemoryStore
from bot.slack.state.store import StateError

from .conftest import DM, TIMEOUT_LOG, WAIT, BotClient, bot_env, message_event, new_event_id
from .test_serve_command import free_port, start, wait_until_up  # noqa: F401, F811 (start: a fixture)


class Clock:
    """Time that the test moves: expiry without sleeping."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "dynamodb"])
def store(request):
    clock = Clock()
    if request.param == "memory":
        return SimpleNamespace(store=MemoryStore(clock=clock), clock=clock)
    table = request.getfixturevalue("state_table")
    return SimpleNamespace(store=DynamoStore(table.name, client=table.client(), clock=clock), clock=clock)


def test_a_claim_is_taken_once_until_it_expires(store):
    s, clock = store.store, store.clock
    assert s.claim("delivery#Ev1", 60)
    assert not s.claim("delivery#Ev1", 60)
    assert s.claim("delivery#Ev2", 60)
    clock.now += 61
    assert s.claim("delivery#Ev1", 60)  # expired: DynamoDB's TTL may not have deleted it yet
    s.release("delivery#Ev1")
    assert s.claim("delivery#Ev1", 60)


def test_a_lock_has_one_owner_and_an_expiry(store):
    s, clock = store.store, store.clock
    assert s.lock("live-lock#U1", "first", 90)
    assert not s.lock("live-lock#U1", "second", 90)
    s.unlock("live-lock#U1", "second")  # not theirs: nothing happens
    assert not s.lock("live-lock#U1", "second", 90)
    clock.now += 91  # the holder crashed: the lock frees itself
    assert s.lock("live-lock#U1", "second", 90)
    s.unlock("live-lock#U1", "first")  # the old owner, late: the new one keeps it
    assert not s.lock("live-lock#U1", "third", 90)
    s.unlock("live-lock#U1", "second")
    assert s.lock("live-lock#U1", "third", 90)


def test_values_and_collections_expire_and_read_newest_first(store):
    s, clock = store.store, store.clock
    s.put("alarm-thread#arn", {"channel": "C1", "ts": "1.2"}, 100)
    assert s.get("alarm-thread#arn") == {"channel": "C1", "ts": "1.2"}
    assert s.get("alarm-thread#other") is None
    for number in range(6):
        s.add("activity#U1", f"{number:04d}", {"n": number}, 50 if number == 5 else 200)
    assert [v["n"] for _, v in s.members("activity#U1", 3)] == [5, 4, 3]
    assert s.member("activity#U1", "0002") == {"n": 2}
    clock.now += 100
    assert [v["n"] for _, v in s.members("activity#U1", 3)] == [4, 3, 2]  # the newest has expired
    assert [v["n"] for _, v in s.members("activity#U1")] == [4, 3, 2, 1, 0]
    assert s.get("alarm-thread#arn") is not None
    clock.now += 101
    assert s.get("alarm-thread#arn") is None and s.members("activity#U1") == []


def test_claims_are_atomic_under_concurrency(store):
    """Twenty threads race for one delivery: exactly one wins."""
    wins = []
    barrier = threading.Barrier(20)

    def race() -> None:
        barrier.wait()
        if store.store.claim("delivery#race", 60):
            wins.append(1)

    threads = [threading.Thread(target=race) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert len(wins) == 1


def test_a_failing_table_never_stops_an_answer(state_table, caplog):
    """No such table (or access denied): one log line each time, and the bot goes on."""
    state = BotState(DynamoStore("no-such-table", client=state_table.client()))
    with caplog.at_level(logging.WARNING, logger="badgateway.state"):
        assert state.first_delivery("Ev1") and state.first_delivery("Ev1")  # as if the first time
        assert state.start_live_check("U1")
        assert state.recent_activity("U1") == [] and state.alarm_thread("arn") is None
        assert state.record_verdict({"helpful": True}) is None
    assert any("ResourceNotFoundException" in r.getMessage() for r in caplog.records)
    with pytest.raises(StateError, match="no-such-table"):
        state.verdicts()  # the export says so instead


# -- two processes, one table -----------------------------------------------------------------------


def test_two_serve_processes_sharing_the_table_answer_a_retry_once(fake_slack, state_table, start):  # noqa: F811
    """A delivery handled by one replica, its retry sent to the other: one answer. Then a retry whose
    first delivery never got through (refused: a bad signature) is answered by the other replica."""
    env = {**state_table.env, **bot_env(fake_slack, BADGATEWAY_STATE_TABLE=state_table.name)}
    replicas = []
    for _ in range(2):
        port = free_port()
        process = start("serve", "--http", "--host", "127.0.0.1", "--port", str(port), env=env)
        replicas.append((BotClient(f"http://127.0.0.1:{port}", fake_slack), process))
    for client, process in replicas:
        wait_until_up(client, process)
    (first, _), (second, _) = replicas

    event_id, event = new_event_id(), message_event(TIMEOUT_LOG, channel=DM, channel_type="im")
    assert first.event(event, event_id=event_id)[1].status == 200
    fake_slack.wait_for("chat.postMessage", where=lambda c: c.params.get("thread_ts") == event["ts"])
    assert second.event(event, event_id=event_id, retry=1)[1].status == 200  # the retry, elsewhere
    assert second.event(event, event_id=event_id, retry=2)[1].status == 200

    lost_id, lost = new_event_id(), message_event(TIMEOUT_LOG, channel=DM, channel_type="im")
    assert first.event(lost, event_id=lost_id, signature="v0=forged")[1].status == 401  # never handled
    assert second.event(lost, event_id=lost_id, retry=1)[1].status == 200
    fake_slack.wait_for("chat.postMessage", where=lambda c: c.params.get("thread_ts") == lost["ts"])

    time.sleep(1.0)  # room for a second answer, had the replicas not shared the table
    replies = [c.params.get("thread_ts") for c in fake_slack.calls_to("chat.postMessage")]
    assert replies.count(event["ts"]) == 1 and replies.count(lost["ts"]) == 1
    claimed = state_table.client().get_item(TableName=state_table.name,
                                            Key={"pk": {"S": f"delivery#{event_id}"}, "sk": {"S": "-"}})
    assert float(claimed["Item"]["expires"]["N"]) > time.time()  # with its TTL
