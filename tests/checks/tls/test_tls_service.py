"""The long-lived TLS child of a process (tls_service): one child for endpoints that
come one at a time, the same results as a batch, and the same bounds.

A distributed worker scans each target's endpoint when the target arrives;
these tests call :func:`scan_alone` as its TLS probe does. Bounds are asserted
with generous margins for a busy 2-core machine; child processes are counted
through the module's registry and /proc, never timed.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from egov_audit.demo.server import LocalServer
from egov_audit.options import ScanOptions
from egov_audit.probes import tls_service
from egov_audit.probes.tls import Endpoint, scan_alone, scan_endpoints
from egov_audit.probes.tls_model import TlsScan

from .hostile import RawServerFactory


@pytest.fixture
def raw_servers() -> Iterator[RawServerFactory]:
    factory = RawServerFactory()
    yield factory
    factory.stop()


@pytest.fixture(autouse=True)
def fresh_children() -> Iterator[None]:
    tls_service._stop_all()
    yield
    tls_service._stop_all()


def child_pids() -> set[int]:
    return {c.proc.pid for c in tls_service._children.values()}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child not yet reaped is a zombie: dead for this purpose.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def comparable(scan: TlsScan | str) -> object:
    """Everything but the scan's time and the Mozilla checker's wording, which
    renders a set (its order changes from one process to the next)."""
    if isinstance(scan, str):
        return scan
    return (dataclasses.replace(scan, scanned_at=None, mozilla={}),
            {k: [issue for issue, _ in v] for k, v in scan.mozilla.items()})


def test_endpoints_one_at_a_time_share_one_child_and_match_the_batch(
        healthy: LocalServer, ca_file: Path) -> None:
    # Given a healthy HTTPS endpoint, scanned once as a batch
    options = ScanOptions(ca_bundle=str(ca_file), rate=500.0)
    ep = Endpoint("127.0.0.1", healthy.port)
    batch = scan_endpoints([ep], options, until=time.monotonic() + 120)[ep]
    # When it is scanned three times on demand, as a worker's targets come
    results = [scan_alone(ep, options, until=time.monotonic() + 120) for _ in range(3)]
    # Then every result is the batch's, and one child did all three
    assert isinstance(batch, TlsScan)
    assert all(comparable(r) == comparable(batch) for r in results)
    assert len(child_pids()) == 1


def test_concurrent_callers_share_the_child(healthy: LocalServer, ca_file: Path) -> None:
    # Given four threads that scan the same endpoint at the same time
    options = ScanOptions(ca_bundle=str(ca_file), rate=500.0)
    ep = Endpoint("127.0.0.1", healthy.port)
    results: list[TlsScan | str] = []

    def one() -> None:
        results.append(scan_alone(ep, options, until=time.monotonic() + 120))

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    # Then each got a full scan, from one child
    assert len(results) == 4 and all(isinstance(r, TlsScan) for r in results), results
    assert len(child_pids()) == 1


def test_a_stuck_scan_retires_its_child_and_the_next_gets_a_fresh_one(
        healthy: LocalServer, raw_servers: RawServerFactory, ca_file: Path) -> None:
    # Given a child that has scanned a healthy endpoint
    options = ScanOptions(ca_bundle=str(ca_file), timeout=2.0, rate=500.0,
                          target_deadline=8.0)
    good = Endpoint("127.0.0.1", healthy.port)
    assert isinstance(scan_alone(good, options, until=time.monotonic() + 120), TlsScan)
    (first,) = child_pids()
    # When an endpoint whose handshake drips is scanned (4 s budget: half of 8)
    drip = raw_servers.start("drip", "127.0.0.2")
    started = time.monotonic()
    result = scan_alone(Endpoint("127.0.0.2", drip.port), options,
                        until=time.monotonic() + 60)
    # Then it ends near its budget with the batch's reason
    assert result == "the TLS scan did not finish within 4 s"
    assert time.monotonic() - started < 4 + 20
    # And the child that holds the stuck thread is killed, not reused
    deadline = time.monotonic() + 20
    while alive(first) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(first)
    assert isinstance(scan_alone(good, options, until=time.monotonic() + 120), TlsScan)
    assert first not in child_pids()


def test_a_child_that_dies_is_reported_and_replaced(
        raw_servers: RawServerFactory, ca_file: Path, healthy: LocalServer) -> None:
    # Given a caller waiting on a stalled endpoint in the child
    options = ScanOptions(ca_bundle=str(ca_file), timeout=2.0, rate=500.0,
                          target_deadline=60.0)
    stall = raw_servers.start("stall", "127.0.0.2")
    got: list[TlsScan | str] = []
    waiting = threading.Thread(target=lambda: got.append(scan_alone(
        Endpoint("127.0.0.2", stall.port), options, until=time.monotonic() + 60)))
    waiting.start()
    end = time.monotonic() + 30
    while not child_pids() and time.monotonic() < end:
        time.sleep(0.05)
    (pid,) = child_pids()
    # When the child is killed (the OOM killer, an operator)
    time.sleep(1.0)
    os.kill(pid, signal.SIGKILL)
    waiting.join(30)
    # Then the caller hears at once that the scanner ended, not at its deadline
    assert got and isinstance(got[0], str)
    assert got[0].startswith("the TLS scanner process ended early"), got
    # And the next endpoint gets a fresh child
    good = Endpoint("127.0.0.1", healthy.port)
    assert isinstance(scan_alone(good, options, until=time.monotonic() + 120), TlsScan)
    assert pid not in child_pids()


def test_different_options_get_different_children(healthy: LocalServer, ca_file: Path) -> None:
    # Given two runs whose per-host connection caps differ
    ep = Endpoint("127.0.0.1", healthy.port)
    for connections in (2, 3):
        options = ScanOptions(ca_bundle=str(ca_file), rate=500.0, connections=connections)
        assert isinstance(scan_alone(ep, options, until=time.monotonic() + 120), TlsScan)
    # Then each was scanned by a child set up with its own cap
    assert len(child_pids()) == 2


def test_a_scan_leaves_no_sslyze_thread_behind(healthy: LocalServer, ca_file: Path) -> None:
    # Given sslyze's scan of one endpoint, run in this process as the child runs it
    from egov_audit.probes.tls_chain import trust_anchors
    from egov_audit.probes.tls_child import scan_one

    options = ScanOptions(ca_bundle=str(ca_file), rate=500.0)
    anchors = trust_anchors(options.ca_bundle)
    before = threading.active_count()
    # When three endpoints are scanned one after the other
    for _ in range(3):
        assert isinstance(scan_one("127.0.0.1", healthy.port, options, anchors), TlsScan)
    # Then no thread is left: a thread per scan kept every finished job alive
    # (~8 MB an endpoint, a long-lived or large batch ran out of memory)
    assert threading.active_count() == before
