"""nmap holds the host's connection slots while it scans, locally and across workers.

Other users of the same limiter (the HTTP client, another worker's limiter
on the same Redis) open connections to the same counting listeners while
nmap scans: the listeners never see more connections at once than the
per-host bound, all users together. The listeners sit on 127.0.4.7, an
address no other test uses, so every connection they count is ours.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from egov_audit.distributed.redis_limits import RedisHostLimiter
from egov_audit.options import ScanOptions
from egov_audit.probes.base import ProbeError
from egov_audit.probes.host_slots import HostsHeld, hold_hosts
from egov_audit.probes.nmap_runner import run_nmap
from egov_audit.probes.ports import PortScan, nmap_arguments
from egov_audit.ratelimit import HostLimiter

from .conftest import RedisServers, needs_nmap
from .counting import CountingListeners

pytestmark = needs_nmap
HOST = "127.0.4.7"
CONNECTIONS = 2


@pytest.fixture
def listeners() -> Iterator[CountingListeners]:
    found = CountingListeners(HOST, 12).start()  # an SSH banner at once on each
    yield found
    found.stop()


class Competitor:
    """Threads that keep opening short connections to the host through ``limiter``,
    as the HTTP client does: a slot first, the socket shut down before the slot
    is given back."""

    def __init__(self, limiter: HostLimiter, ports: list[int], threads: int = 2) -> None:
        self.limiter, self.ports = limiter, ports
        self.connections = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, args=(n,), daemon=True)
                         for n in range(threads)]

    def __enter__(self) -> Competitor:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _loop(self, n: int) -> None:
        while not self._stop.is_set():
            slot = self.limiter.acquire_slot(HOST, time.monotonic() + 60)
            try:
                sock = socket.create_connection((HOST, self.ports[n % len(self.ports)]), 5)
                self.connections += 1
                time.sleep(0.05)
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            finally:
                slot.release()
            time.sleep(0.01)


def nmap(limiter: HostLimiter | None, ports: list[int], timeout: float = 120.0
         ) -> PortScan | ProbeError:
    options = ScanOptions(connections=CONNECTIONS, rate=20.0)
    arguments = nmap_arguments({"scripts": False}, options)
    return run_nmap((HOST,), tuple(ports), arguments, "nmap", timeout, limiter=limiter)[HOST]


def test_nmap_and_the_http_client_share_the_host_bound(listeners: CountingListeners) -> None:
    # Given the run's limiter (2 connections to the host) and two threads of
    # the HTTP client using it all the time
    limiter = HostLimiter(CONNECTIONS, 20.0)
    with Competitor(limiter, listeners.ports) as http:
        time.sleep(0.3)
        # When nmap scans 12 open ports of the host meanwhile
        result = nmap(limiter, listeners.ports)
        time.sleep(0.3)
    # Then it found them all, with its own bounds set from the limiter's
    assert isinstance(result, PortScan), result
    assert sorted(p.port for p in result.open_ports) == sorted(listeners.ports)
    assert "--max-parallelism 2" in result.command and "--scan-delay 50ms" in result.command
    # And the host never had more than 2 connections open, nmap's and the client's together
    assert http.connections >= 4 and listeners.total >= 2 * 12 + 4
    assert listeners.peak <= CONNECTIONS, listeners.peak


def test_nmap_holds_the_host_across_workers(
        listeners: CountingListeners, redis_servers: RedisServers) -> None:
    import redis

    url = f"redis://127.0.0.1:{redis_servers.start()}/0"
    # Given two workers' limiters on one Redis, the second one busy with the host
    mine = RedisHostLimiter(redis.Redis.from_url(url), CONNECTIONS, 20.0)
    theirs = RedisHostLimiter(redis.Redis.from_url(url), CONNECTIONS, 20.0)
    try:
        with Competitor(theirs, listeners.ports) as other:
            time.sleep(0.3)
            # When the first worker's nmap scans the host
            result = nmap(mine, listeners.ports)
            time.sleep(0.3)
    finally:
        mine.close()
        theirs.close()
    # Then both worked, and the host never saw more than 2 connections at once
    assert isinstance(result, PortScan), result
    assert len(result.open_ports) == 12
    assert other.connections >= 4
    assert listeners.peak <= CONNECTIONS, listeners.peak


def test_a_host_whose_connections_stay_busy_is_not_scanned(
        listeners: CountingListeners) -> None:
    # Given a limiter whose slots of the host are all held by someone else
    limiter = HostLimiter(CONNECTIONS, 20.0)
    held = [limiter.acquire_slot(HOST) for _ in range(CONNECTIONS)]
    # When nmap has 2 s for the host
    started = time.monotonic()
    result = nmap(limiter, listeners.ports, timeout=2.0)
    # Then it gives up at its deadline without touching the host, and says why
    assert time.monotonic() - started < 2 + 5
    assert isinstance(result, ProbeError)
    assert "stayed in use until the deadline" in str(result)
    assert listeners.total == 0
    for slot in held:
        slot.release()


def test_a_hold_gives_back_half_a_host_to_a_holder_that_keeps_its_half(
        redis_servers: RedisServers) -> None:
    import redis

    url = f"redis://127.0.0.1:{redis_servers.start()}/0"
    nmap_side, tls_side = (RedisHostLimiter(redis.Redis.from_url(url), 4, 20.0)
                           for _ in range(2))
    # Given one worker holding half of the host's 4 slots
    tls_slots = [tls_side.acquire_slot(HOST) for _ in range(2)]
    # and another whose nmap hold takes the other half and waits for the rest
    outcome: list[HostsHeld] = []
    waiting = threading.Thread(target=lambda: outcome.append(
        hold_hosts(nmap_side, (HOST,), time.monotonic() + 30)))
    waiting.start()
    time.sleep(0.5)
    # When the first waits for the rest too, keeping its half (as the TLS scan does)
    tls_slots += [tls_side.acquire_slot(HOST, time.monotonic() + 20) for _ in range(2)]
    # Then it got them (the nmap hold gave its half back instead of waiting in a circle)
    assert len(tls_slots) == 4
    for slot in tls_slots:
        slot.release()
    # and the nmap hold has every slot once they are free, long before its deadline
    waiting.join(30)
    (held,) = outcome
    assert len(held.held[HOST]) == 4 and not held.missing
    held.release()
    nmap_side.close()
    tls_side.close()
