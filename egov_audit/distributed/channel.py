"""A run's keys in Redis, shared by the runner and its workers.

- ``outcomes`` (hash, target index → outcome JSON): written once, by the first
  attempt that finishes (``HSETNX``); a redelivered target that already has
  one is not audited again, which makes the task idempotent.
- ``attempts`` (hash, index → starts): each start counts; a target started
  more than ``max_attempts`` times has killed that many workers, and ends as
  an error instead of killing more.
- ``events`` (list): started / progress / finished, in order, for the runner
  to stream to its observer. A finished event is pushed in the same script as
  the outcome is stored, so the runner never misses one.
- ``cancelled``: set by the runner when it stops waiting (deadline, Ctrl-C);
  workers then skip the run's targets still queued.

Every key expires a day after its last write, so an abandoned run leaves
nothing behind for long.
"""

from __future__ import annotations

import json
from typing import Any

TTL_S = 86400
PREFIX = "egov-audit:run:"

# KEYS: outcomes, events; ARGV: index, outcome JSON, event JSON, ttl.
_FINISH = """
local stored = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
if stored == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[3])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return stored
"""


class RunChannel:
    def __init__(self, client: Any, run_id: str) -> None:
        self.client = client
        base = f"{PREFIX}{run_id}:"
        self.outcomes = base + "outcomes"
        self.attempts = base + "attempts"
        self.events = base + "events"
        self.cancelled_key = base + "cancelled"
        self._finish = client.register_script(_FINISH)

    # -- worker side ------------------------------------------------------

    def start(self, index: int, worker: str) -> int:
        """Count a start of target ``index`` and announce it; the attempt number."""
        pipe = self.client.pipeline()
        pipe.hincrby(self.attempts, str(index), 1)
        pipe.expire(self.attempts, TTL_S)
        pipe.rpush(self.events, json.dumps({"kind": "started", "index": index,
                                            "worker": worker}))
        pipe.expire(self.events, TTL_S)
        return int(pipe.execute()[0])

    def progress(self, index: int, partial: dict[str, Any]) -> None:
        self.client.rpush(self.events, json.dumps({"kind": "progress", "index": index,
                                                   "outcome": partial}))

    def finish(self, index: int, outcome: dict[str, Any]) -> bool:
        """Store the outcome unless one is stored already; True when this one was."""
        text = json.dumps(outcome)
        event = json.dumps({"kind": "finished", "index": index, "outcome": outcome})
        return bool(self._finish(keys=[self.outcomes, self.events],
                                 args=[str(index), text, event, TTL_S]))

    def stored(self, index: int) -> dict[str, Any] | None:
        text = self.client.hget(self.outcomes, str(index))
        return None if text is None else dict(json.loads(text))

    def cancelled(self) -> bool:
        return bool(self.client.exists(self.cancelled_key))

    # -- runner side ------------------------------------------------------

    def next_events(self, wait: float, most: int = 500) -> list[dict[str, Any]]:
        """Events in order: waits up to ``wait`` s for the first, then takes what is there."""
        first = self.client.blpop([self.events], timeout=max(0.01, wait))
        if first is None:
            return []
        rest = self.client.lpop(self.events, most - 1) or []
        return [json.loads(raw) for raw in [first[1], *rest]]

    def all_stored(self) -> dict[int, dict[str, Any]]:
        return {int(k): json.loads(v) for k, v in self.client.hgetall(self.outcomes).items()}

    def cancel(self) -> None:
        self.client.set(self.cancelled_key, "1", ex=TTL_S)

    def forget(self) -> None:
        """Delete the run's keys once its result is written (the cancel mark stays)."""
        self.client.delete(self.outcomes, self.attempts, self.events)


def redis_client(url: str) -> Any:
    import redis

    # A pool that waits (30 s) for a free connection instead of failing: redis-py
    # caps a pool at 100 connections, and a worker of 64 threads that pace,
    # count the budget and hold slots through Redis went past it (requests
    # refused as "Redis unreachable: MaxConnectionsError").
    pool = redis.BlockingConnectionPool.from_url(
        url, decode_responses=True, socket_timeout=30, socket_connect_timeout=10,
        health_check_interval=30, max_connections=1000, timeout=30)
    return redis.Redis(connection_pool=pool)
