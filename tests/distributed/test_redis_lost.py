"""Redis goes away mid-run: the workers send nothing they cannot count, and the
runner still ends by the run's deadline with a result for every target."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from egov_audit.distributed.redis_limits import LimitsUnavailable, RedisHostLimiter
from egov_audit.distributed.settings import ExecutorSettings
from egov_audit.model import Reason, Target, TargetStatus
from egov_audit.options import ScanOptions
from egov_audit.probes.http import HttpClient
from egov_audit.ratelimit import SlotUnavailable
from egov_audit.scope import Scope
from tests.rawserver import RawServer, keep_alive

from .conftest import RedisServer, Workers, free_port
from .test_equivalence import audit

HOST = "127.0.3.30"


def slow_portal(request: bytes, server: RawServer) -> bytes:
    """Sixty linked pages, each a little slow: an audit that is still busy after seconds."""
    time.sleep(0.1)
    links = "".join(f"<a href='/halaman{n}'>Halaman {n}</a>" for n in range(60))
    body = f"<html><head><title>Dinas</title></head><body>{links}</body></html>".encode()
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)


def test_the_run_ends_and_nothing_is_sent_once_redis_is_gone(
        ca_file: Path, tmp_path: Path, redis_server: RedisServer, workers: Workers) -> None:
    # Given a worker auditing a slow portal
    server = RawServer(keep_alive(slow_portal), host=HOST).start()
    workers.start()
    gone_at: list[float] = []

    def kill_redis_once_busy() -> None:
        until = time.monotonic() + 60
        while server.requests < 5 and time.monotonic() < until:
            time.sleep(0.05)
        redis_server.process.kill()
        redis_server.process.wait(10)
        gone_at.append(time.monotonic())

    killer = threading.Thread(target=kill_redis_once_busy, daemon=True)
    killer.start()
    started = time.monotonic()
    try:
        # When Redis dies while the worker is busy with it
        report = audit([Target(server.url(), HOST, server.url(), None)], ca_file, tmp_path,
                       ExecutorSettings(kind="celery", broker=workers.broker),
                       checks=("headers.*", "disclosure.*", "hygiene.*"),
                       rate=20.0, target_deadline=12.0, deadline=15.0)
    finally:
        killer.join(70)
        server.stop()
    # Then the runner still ends, by the run's deadline plus its grace for reports,
    assert gone_at, "Redis was never killed: the worker sent fewer than 5 requests"
    assert time.monotonic() - started < 15 + 10 + 15
    # with a result for the target (what its worker sent before Redis went,
    # if anything) saying its worker had not reported back,
    (outcome,) = report.outcomes
    assert outcome.status in (TargetStatus.ERROR, TargetStatus.PARTIAL), outcome
    assert outcome.error and "its worker had not reported back" in outcome.error, outcome.error
    # and the worker sent nothing it could not count: no request began more
    # than a moment after Redis went away
    late = [t for t in server.counters.request_starts if t > gone_at[0] + 2.0]
    assert late == [], f"{len(late)} requests after Redis was gone"
    assert server.requests >= 5


def test_limits_that_cannot_be_counted_are_not_had_nor_blamed_on_the_target() -> None:
    import redis

    # Given a worker's limiter whose Redis is not there, and a site that answers
    client = redis.Redis.from_url(f"redis://127.0.0.1:{free_port()}/0",
                                  socket_connect_timeout=2, socket_timeout=2)
    limiter = RedisHostLimiter(client, 2, 50.0)
    server = RawServer(keep_alive(lambda request, s: b"HTTP/1.1 200 OK\r\n"
                                  b"Content-Length: 2\r\n\r\nok"), host=HOST).start()
    try:
        # Then neither a slot nor a turn is had, and the reason names Redis,
        with pytest.raises(LimitsUnavailable, match="limits in Redis are unreachable"):
            limiter.try_slot(HOST)
        with pytest.raises(SlotUnavailable):
            limiter.reserve_start(HOST, 10.0)
        # and a fetch without a budget fails without connecting, never as
        # "connection refused" (that was Redis refusing, not the site)
        http = HttpClient(ScanOptions(request_budget=0, timeout=3), Scope.of([HOST]), limiter)
        response = http.fetch(server.url("/"))
        assert response.status is None and response.error
        assert response.reason_code is not Reason.CONNECTION_REFUSED, response.error
        assert "refused" not in response.error
        # and it says what happened, not that the site timed out
        assert "limits in Redis are unreachable" in response.error, response.error
        assert response.reason_code is Reason.OTHER
        assert server.accepted == 0
    finally:
        server.stop()
        limiter.close()
