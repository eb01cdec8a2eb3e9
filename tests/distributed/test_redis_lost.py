"""Redis goes away mid-run: the workers send nothing they cannot count, and the
runner still ends by the run's deadline with a result for every target."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from egov_audit.distributed.settings import ExecutorSettings
from egov_audit.model import Target, TargetStatus
from tests.rawserver import RawServer, keep_alive

from .conftest import RedisServer, Workers
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
