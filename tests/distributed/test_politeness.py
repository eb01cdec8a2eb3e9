"""Per-host politeness holds across all workers together, through Redis.

The limiter's two primitives are tested against a real Redis with several
limiters standing for several processes (and one real process killed while
holding slots); the whole is tested by a counting loopback server while four
real workers audit four sites on one host.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from egov_audit.distributed.redis_limits import RedisHostLimiter
from egov_audit.model import TargetStatus
from egov_audit.ratelimit import SlotUnavailable
from tests.rawserver import RawServer, most_in_one_second

from .conftest import RedisServer, Workers
from .one_host import audit_one_host_with_four_workers

HOLDER = """
import sys, time, redis
from egov_audit.distributed.redis_limits import RedisHostLimiter
limiter = RedisHostLimiter(redis.Redis.from_url(sys.argv[1]), 2, 10.0, ttl=2.0)
slots = [limiter.acquire_slot("127.0.3.9", time.monotonic() + 10) for _ in range(2)]
print("held", flush=True)
time.sleep(600)
"""


def test_slots_are_counted_across_limiters(redis_server: RedisServer) -> None:
    # Given two limiters on one Redis, as two worker processes have
    first = RedisHostLimiter(redis_server.client(), 2, 10.0)
    second = RedisHostLimiter(redis_server.client(), 2, 10.0)
    # When the first holds both slots of a host
    held = [first.acquire_slot("127.0.3.9"), first.acquire_slot("127.0.3.9")]
    # Then the second gets none before its deadline, another host is free,
    with pytest.raises(SlotUnavailable):
        second.acquire_slot("127.0.3.9", time.monotonic() + 0.3)
    second.acquire_slot("127.0.3.10", time.monotonic() + 1).release()
    # and it gets one as soon as the first gives one back
    held[0].release()
    second.acquire_slot("127.0.3.9", time.monotonic() + 1).release()
    held[1].release()
    first.close()
    second.close()


def test_a_dead_process_does_not_hold_its_slots_forever(redis_server: RedisServer) -> None:
    # Given a process holding both slots of a host (2 s expiry, renewed while it lives)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, redis_server.url],
                              stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        limiter = RedisHostLimiter(redis_server.client(), 2, 10.0)
        time.sleep(3)  # past one expiry: the holder's heartbeat kept them
        assert limiter.try_slot("127.0.3.9") is None
        # When it is killed
        holder.kill()
        holder.wait(10)
        # Then its slots come free once they expire
        slot = limiter.acquire_slot("127.0.3.9", time.monotonic() + 15)
        slot.release()
        limiter.close()
    finally:
        holder.kill()
        holder.wait(10)


def test_request_starts_are_paced_across_limiters(redis_server: RedisServer) -> None:
    # Given two limiters at 5 requests/s per host
    limiters = [RedisHostLimiter(redis_server.client(), 4, 5.0) for _ in range(2)]
    # When they reserve ten starts between them, without waiting
    waits = [limiters[i % 2].reserve_start("127.0.3.9", 60.0) for i in range(10)]
    # Then the starts are spread as for one limiter: the tenth 1.8 s later
    assert all(w is not None for w in waits)
    assert waits[-1] is not None and waits[-1] >= 1.8 - 0.1
    # and a start that would come after the caller's deadline is refused, not taken
    assert limiters[0].reserve_start("127.0.3.9", 0.5) is None
    for limiter in limiters:
        limiter.close()


def test_four_workers_keep_the_per_host_limits_together(
        ca_file: Path, tmp_path: Path, workers: Workers) -> None:
    def answer(request: bytes, server: RawServer) -> bytes:
        time.sleep(0.05)
        if request.startswith(b"GET / "):
            body = b"<html><body><a href='/layanan'>Layanan</a></body></html>"
            return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                    + str(len(body)).encode() + b"\r\n\r\n" + body)
        return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"

    # Given four sites on four ports of one host, counted together,
    # when four workers audit them with 2 connections and 5 requests/s per host
    run = audit_one_host_with_four_workers(
        answer, "127.0.3.1", workers, ca_file, tmp_path,
        checks=("headers.*", "cookies.*", "disclosure.*", "errors.*", "hygiene.*", "cors.*"),
        connections=2, rate=5.0, target_deadline=150.0, deadline=300.0)
    report, counters = run.report, run.counters
    # Then every site was audited, by more than one worker,
    assert [o.status for o in report.outcomes] == [TargetStatus.OK] * 4, \
        [(o.status, o.error) for o in report.outcomes]
    assert len(run.busy_workers()) >= 2
    # and the host never saw more than 2 connections, nor 5 + 1 requests in a second
    assert len(counters.request_starts) >= 20
    assert counters.max_open <= 2, counters.max_open
    # (this bound holds because connection.py takes a new connection's slot
    # before the request's turn: a turn taken first, then a wait for a slot,
    # would send late and bunch up with the next turns)
    assert most_in_one_second(counters.request_starts) <= 5 + 1
