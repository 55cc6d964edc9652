"""The Store in one DynamoDB table that every process and Lambda container shares.

The table (deploy/template.yaml creates it: on-demand, TTL on `expires`) has a string partition
key `pk` and a string sort key `sk`. A claim, a lock or a value is the item (key, "-"); a
collection's members are the items (collection, member). Every item carries `expires` (epoch
seconds): DynamoDB deletes it some time after that, and until then every read and every
conditional write here treats it as gone. Only GetItem, PutItem, DeleteItem and Query are used
(the template grants exactly those). boto3 is imported when the store is first used.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

from bot.slack.state.store import Json, StateError

ONE = "-"  # the sort key of a single item
CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = 3.0
_FREE = "attribute_not_exists(pk) OR #e < :now"  # `#e`: expires, named (reserved words)


class DynamoStore:
    shared = True

    def __init__(self, table: str, *, client: Any = None, clock: Any = time.time) -> None:
        self.table = table
        self._client = client
        self._clock = clock
        self._lock = threading.Lock()

    # -- the Store -------------------------------------------------------------------------------

    def claim(self, key: str, ttl: float) -> bool:
        return self._put_if_free({**_key(key, ONE), "expires": self._expiry(ttl)})

    def release(self, key: str) -> None:
        self._delete(_key(key, ONE))

    def lock(self, key: str, owner: str, ttl: float) -> bool:
        return self._put_if_free({**_key(key, ONE), "owner": _s(owner), "expires": self._expiry(ttl)})

    def unlock(self, key: str, owner: str) -> None:
        # Refused: it expired and someone else took it since; theirs now.
        with contextlib.suppress(_Refused):
            self._delete(_key(key, ONE), ConditionExpression="#o = :owner", ExpressionAttributeNames={"#o": "owner"},
                         ExpressionAttributeValues={":owner": _s(owner)})

    def put(self, key: str, value: Json, ttl: float) -> None:
        self._put({**_key(key, ONE), "data": _s(_dump(value)), "expires": self._expiry(ttl)})

    def get(self, key: str) -> Json | None:
        return self._value(self._get(_key(key, ONE)))

    def add(self, collection: str, member: str, value: Json, ttl: float) -> None:
        self._put({**_key(collection, member), "data": _s(_dump(value)), "expires": self._expiry(ttl)})

    def member(self, collection: str, member: str) -> Json | None:
        return self._value(self._get(_key(collection, member)))

    def members(self, collection: str, limit: int | None = None) -> list[tuple[str, Json]]:
        found: list[tuple[str, Json]] = []
        start: dict[str, Any] | None = None
        while True:
            page = self._query(collection, limit - len(found) if limit is not None else None, start)
            for item in page.get("Items") or ():
                value = self._value(item)
                if value is not None:
                    found.append((item["sk"]["S"], value))
            start = page.get("LastEvaluatedKey")
            if not start or (limit is not None and len(found) >= limit):
                return found[:limit] if limit is not None else found

    # -- DynamoDB: one method per call, each one GetItem, PutItem, DeleteItem or Query -------------

    def _put_if_free(self, item: dict[str, Any]) -> bool:
        try:
            self._put(item, ConditionExpression=_FREE, ExpressionAttributeNames={"#e": "expires"},
                      ExpressionAttributeValues={":now": _n(self._clock())})
            return True
        except _Refused:
            return False

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        with self._failures("GetItem") as db:
            answer: dict[str, Any] = db.get_item(TableName=self.table, Key=key, ConsistentRead=True)
        return answer.get("Item")

    def _put(self, item: dict[str, Any], **condition: Any) -> None:
        with self._failures("PutItem") as db:
            db.put_item(TableName=self.table, Item=item, **condition)

    def _delete(self, key: dict[str, Any], **condition: Any) -> None:
        with self._failures("DeleteItem") as db:
            db.delete_item(TableName=self.table, Key=key, **condition)

    def _query(self, collection: str, limit: int | None, start: dict[str, Any] | None) -> dict[str, Any]:
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk", "ScanIndexForward": False,  # newest member first
            "FilterExpression": "#e >= :now", "ExpressionAttributeNames": {"#e": "expires"},
            "ExpressionAttributeValues": {":pk": _s(collection), ":now": _n(self._clock())},
        }
        if limit is not None:
            query["Limit"] = max(1, limit)
        if start:
            query["ExclusiveStartKey"] = start
        with self._failures("Query") as db:
            page: dict[str, Any] = db.query(TableName=self.table, **query)
        return page

    @contextlib.contextmanager
    def _failures(self, operation: str) -> Iterator[Any]:
        """The client; a refused condition becomes _Refused, any other failure one StateError line."""
        client = self._client or self._connect()
        try:
            yield client
        except Exception as exc:
            code = _error_code(exc)
            if code == "ConditionalCheckFailedException":
                raise _Refused from None
            raise StateError(f"{operation} on DynamoDB table {self.table}: {code}") from None

    def _value(self, item: dict[str, Any] | None) -> Json | None:
        if not item or float(item.get("expires", {}).get("N", "0")) < self._clock():
            return None
        try:
            value = json.loads(item.get("data", {}).get("S") or "{}")
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def _expiry(self, ttl: float) -> dict[str, str]:
        return _n(self._clock() + ttl)

    def _connect(self) -> Any:
        with self._lock:
            if self._client is None:
                import boto3
                from botocore.config import Config

                config = Config(connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                                retries={"mode": "standard", "max_attempts": 3})
                self._client = boto3.client("dynamodb", config=config)
            return self._client


class _Refused(Exception):
    """A conditional write that did not happen."""


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code") or "error")
    return type(exc).__name__


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: float) -> dict[str, str]:
    return {"N": f"{value:.3f}"}


def _key(pk: str, sk: str) -> dict[str, dict[str, str]]:
    return {"pk": _s(pk), "sk": _s(sk)}


def _dump(value: Json) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
