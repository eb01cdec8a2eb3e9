"""Per-host politeness shared by every worker of a distributed run, through Redis.

The same bounds as :class:`egov_audit.ratelimit.HostLimiter` (``connections``
open at once and one request start every ``1/rate`` s per host), but counted
for all worker processes on all machines together: four workers auditing four
sites on one government server must not give it four times the load.

Both primitives are single Lua scripts, so each is atomic in Redis:

- a *counting semaphore with expiry*: a host's slots are members of a sorted
  set scored by when they expire. Taking one first drops expired members, then
  adds ours if fewer than ``connections`` remain. A holder renews its slots
  every ``ttl / 3`` s from a heartbeat thread; a worker that dies (SIGKILL,
  power loss) stops renewing, and its slots are free again after ``ttl``
  seconds instead of never.
- a *token bucket of one token* (a request-start scheduler, as the local
  limiter): the script reads the host's next free start, reserves
  ``max(now, next)`` and moves ``next`` on by the interval. Redis's own clock
  (``TIME``) is used, so the workers' clocks need not agree.

An idle pooled connection holds a slot like any other. Locally, a thread that
needs a slot closes one of its own process's idle connections (the room
makers); across processes, a waiter marks the host as *wanted* in Redis, and
every process holding slots of a wanted host closes one of its idle
connections there within a quarter of a second. Without that, a worker whose
target sits between two requests would keep the host from every other worker.

Redis unreachable: a slot or a start that cannot be counted is not had
(:class:`LimitsUnavailable`, a :class:`SlotUnavailable`, so the fetch fails
without connecting), never assumed. The Redis error is not chained to it: its
cause (a refused connection to Redis) must not be read as the target refusing.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
import weakref
from typing import Any

from ..ratelimit import HostLimiter, LimitsUnavailable, Slot

KEY_PREFIX = "egov-audit:limits:"
DEFAULT_SLOT_TTL = 30.0
WANTED_MS = 1000  # a waiter's mark lasts this long unless it waits on
GIVE_WAY_EVERY = 0.25  # seconds between two looks for waiting processes

# KEYS[1] slot set; ARGV: token, limit, ttl ms. Returns 1 when the slot is ours.
_TAKE_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
  return 1
end
return 0
"""

# KEYS[1] slot set; ARGV: ttl ms, tokens... Renews the ones still held.
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 1
"""

# KEYS[1] next-start key; ARGV: interval µs, longest wait µs.
# Returns the wait in µs, or -1 (nothing reserved) when it is too long.
_RESERVE_START = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, nxt)
if start - now > tonumber(ARGV[2]) then
  return -1
end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(start + interval), 'PX', math.ceil(interval / 1000) + 60000)
return start - now
"""


def _unavailable(exc: Exception) -> LimitsUnavailable:
    return LimitsUnavailable(f"the per-host limits in Redis are unreachable "
                             f"({type(exc).__name__}); nothing sent")


class RedisHostLimiter(HostLimiter):
    """A :class:`HostLimiter` whose slots and request starts are counted in Redis."""

    def __init__(self, client: Any, connections: int, rate: float, *,
                 ttl: float = DEFAULT_SLOT_TTL, namespace: str = "") -> None:
        super().__init__(connections, rate)
        if ttl <= 0:
            raise ValueError("slot ttl must be positive")
        self._client = client
        self._ttl_ms = int(ttl * 1000)
        self._prefix = KEY_PREFIX + (f"{namespace}:" if namespace else "")
        self._take = client.register_script(_TAKE_SLOT)
        self._renew = client.register_script(_RENEW)
        self._reserve = client.register_script(_RESERVE_START)
        self._held: dict[str, set[str]] = {}  # slot key → tokens held by this process
        self._held_lock = threading.Lock()
        self._stop = threading.Event()
        self._heartbeat = threading.Thread(target=_renew_loop, args=(weakref.ref(self),),
                                           name="egov-audit-slot-heartbeat", daemon=True)
        self._heartbeat.start()

    def slot_key(self, key: str) -> str:
        return f"{self._prefix}slots:{key}"

    def try_slot(self, key: str) -> Slot | None:
        token = uuid.uuid4().hex
        slot_key = self.slot_key(key)
        try:
            taken = self._take(keys=[slot_key], args=[token, self.connections, self._ttl_ms])
        except Exception as exc:  # any redis-py failure: refused, timeout, authentication
            raise _unavailable(exc) from None
        if not taken:
            return None
        with self._held_lock:
            self._held.setdefault(slot_key, set()).add(token)
        return Slot(lambda: self._give_back(slot_key, token))

    def wait_slot(self, key: str, seconds: float) -> Slot | None:
        # Redis cannot wake us when a slot frees; poll at the caller's pace, and
        # ask the other processes to give back their idle connections.
        try:
            self._client.set(f"{self._prefix}wanted:{key}", "1", px=WANTED_MS)
        except Exception as exc:
            raise _unavailable(exc) from None
        self._stop.wait(seconds)
        return self.try_slot(key)

    def give_way(self) -> None:
        """Close one idle connection of each host another process is waiting for."""
        with self._held_lock:
            held = [k.removeprefix(f"{self._prefix}slots:") for k in self._held]
        if not held:
            return
        pipe = self._client.pipeline(transaction=False)
        for key in held:
            pipe.exists(f"{self._prefix}wanted:{key}")
        for key, wanted in zip(held, pipe.execute(), strict=True):
            if wanted:
                self._make_room(key)

    def reserve_start(self, key: str, within: float) -> float | None:
        try:
            micros = self._reserve(keys=[f"{self._prefix}next:{key}"],
                                   args=[int(self.interval * 1_000_000),
                                         int(max(0.0, min(within, 86400.0)) * 1_000_000)])
        except Exception as exc:
            raise _unavailable(exc) from None
        return None if int(micros) < 0 else int(micros) / 1_000_000

    def _give_back(self, slot_key: str, token: str) -> None:
        with self._held_lock:
            tokens = self._held.get(slot_key)
            if tokens is not None:
                tokens.discard(token)
                if not tokens:
                    del self._held[slot_key]
        with contextlib.suppress(Exception):  # Redis away: the slot expires after its ttl
            self._client.zrem(slot_key, token)

    def renew(self) -> None:
        """Push back the expiry of every slot this process holds."""
        with self._held_lock:
            held = {k: list(v) for k, v in self._held.items()}
        for slot_key, tokens in held.items():
            self._renew(keys=[slot_key], args=[self._ttl_ms, *tokens])

    @property
    def renew_every(self) -> float:
        return self._ttl_ms / 3000

    def close(self) -> None:
        """Stop renewing; slots still held expire on their own."""
        self._stop.set()


def _renew_loop(ref: weakref.ref[RedisHostLimiter]) -> None:
    # A weak reference: the heartbeat must not keep a discarded limiter alive.
    next_renewal = 0.0
    while True:
        limiter = ref()
        if limiter is None or limiter._stop.is_set():
            return
        stop = limiter._stop
        with contextlib.suppress(Exception):  # Redis briefly away: the next beat tries again
            if time.monotonic() >= next_renewal:
                limiter.renew()
                next_renewal = time.monotonic() + limiter.renew_every
            limiter.give_way()
        del limiter
        if stop.wait(GIVE_WAY_EVERY):
            return
