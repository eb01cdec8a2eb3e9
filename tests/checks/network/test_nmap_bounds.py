"""nmap under the politeness bounds and the deadlines, counted by real listeners.

The listeners sit on 127.0.0.7, a loopback address no other test uses, so
every connection they count is nmap's.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, cast

import pytest

from egov_audit.model import Target
from egov_audit.options import ScanOptions
from egov_audit.probes.base import ProbeEnv, ProbeError, ProbeSession
from egov_audit.probes.ports import PortProbe, PortScan
from egov_audit.scope import Scope

from .conftest import needs_nmap
from .counting import CountingListeners

pytestmark = needs_nmap
HOST = "127.0.0.7"


def scan(ports: list[int], *, seconds: float, **options: Any) -> PortScan | ProbeError:
    """The port probe of one target on HOST, as the engine runs it."""
    opts = ScanOptions(settings={"network": {"ports": ports}}, **options)
    env = ProbeEnv(options=opts, scope=Scope.of([HOST]), http=cast(Any, None),
                   deadline=time.monotonic() + seconds)
    target = Target(spec=f"http://{HOST}:1/", host=HOST, http_url=f"http://{HOST}:1/",
                    https_url=None)
    probe = PortProbe()
    probe.prepare({target: frozenset()}, env)
    session = ProbeSession(target, env, {"network.ports": probe}, {})
    try:
        return session.get(PortScan)
    except ProbeError as exc:
        return exc


@pytest.fixture
def greeters() -> Iterator[CountingListeners]:
    listeners = CountingListeners(HOST, 20).start()  # say an SSH banner at once
    yield listeners
    listeners.stop()


@pytest.fixture
def silent() -> Iterator[CountingListeners]:
    listeners = CountingListeners(HOST, 6, banner=b"").start()  # never speak first
    yield listeners
    listeners.stop()


def test_nmap_keeps_to_the_connection_cap_and_the_rate(greeters: CountingListeners) -> None:
    # Given 20 open ports on one host
    # When nmap scans them with at most 2 connections and 10 probes a second
    result = scan(greeters.ports, seconds=120, connections=2, rate=10.0)
    # Then it found every port (so it really connected to each)
    assert isinstance(result, PortScan), result
    assert sorted(p.port for p in result.open_ports) == sorted(greeters.ports)
    assert "--max-parallelism 2" in result.command and "--scan-delay 100ms" in result.command
    # And never held more than 2 connections at once, in any phase
    assert greeters.total >= 2 * len(greeters.ports)  # connect scan, then version detection
    assert greeters.peak <= 2
    # And its connect scan (the first connection to each port) kept to 10 a second,
    # with slack for the listener's own scheduling
    assert greeters.max_per_second(first_n=len(greeters.ports)) <= 10 * 1.25


def test_nmap_is_killed_when_the_deadline_passes(silent: CountingListeners) -> None:
    # Given services that never speak, so version detection waits on each in turn
    # When the deadline in force leaves 6 s and nmap's own host timeout is far off
    started = time.monotonic()
    result = scan(silent.ports, seconds=6, connections=1, target_deadline=600.0)
    # Then the probe returns near the deadline, with the reason
    assert time.monotonic() - started < 6 + 15
    assert isinstance(result, ProbeError)
    assert "did not finish within the deadline in force" in str(result)
    # And nmap is gone: while it runs it always holds a connection open here
    until = time.monotonic() + 10
    while silent.open_now() and time.monotonic() < until:
        time.sleep(0.2)
    assert silent.open_now() == 0
    assert silent.total >= 1


def test_nmap_gives_up_a_host_at_the_target_deadline(silent: CountingListeners) -> None:
    # Given the same silent services, and a target deadline of 4 s
    started = time.monotonic()
    result = scan(silent.ports, seconds=120, connections=1, target_deadline=4.0)
    # Then nmap's --host-timeout ends the host long before the run's deadline
    assert time.monotonic() - started < 4 + 30
    assert isinstance(result, ProbeError)
    assert "gave up 127.0.0.7 at its --host-timeout" in str(result)
