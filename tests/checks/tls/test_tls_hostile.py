"""The TLS probe against hostile servers: every scan ends on time, with a reason.

Each hostile server is a raw socket on its own loopback address (127.0.0.2-5),
so each is a host of its own, as distinct targets would be; the healthy
server on 127.0.0.1 is scanned in the same batch and must still get its full
result. Bounds are asserted with generous margins for a busy 2-core machine.
"""

from __future__ import annotations

import os
import pickle
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from egov_audit import deadline
from egov_audit.demo.pki import CertificateAuthority, make_key
from egov_audit.demo.server import LocalServer, html, tls_context
from egov_audit.model import Status, Target
from egov_audit.options import ScanOptions
from egov_audit.probes import tls_batch
from egov_audit.probes.base import ProbeEnv, ProbeError, ProbeSession
from egov_audit.probes.http import HttpClient
from egov_audit.probes.tls import Endpoint, TlsProbe, scan_endpoints
from egov_audit.probes.tls_batch import _FrameReader
from egov_audit.probes.tls_model import TlsScan
from egov_audit.scope import Scope

from ...conftest import AuditFn
from .hostile import CountingProxy, RawServerFactory

HOSTILE = ("stall", "drip", "garbage", "reset")
BUDGET = 8.0  # seconds per endpoint: half the target's deadline
QUICK = {"timeout": 2.0, "rate": 500.0, "target_deadline": 2 * BUDGET}


@pytest.fixture
def raw_servers() -> Iterator[RawServerFactory]:
    factory = RawServerFactory()
    yield factory
    factory.stop()


def test_hostile_handshakes_end_within_budget_and_the_healthy_endpoint_completes(
        healthy: LocalServer, raw_servers: RawServerFactory, ca_file: Path) -> None:
    # Given a stall, a drip (a ServerHello byte every 2 s), garbage and a reset,
    # each on its own loopback host, and a healthy TLS server, in one batch
    bad = {kind: raw_servers.start(kind, f"127.0.0.{n}") for n, kind in enumerate(HOSTILE, 2)}
    eps = {kind: Endpoint(s.host, s.port) for kind, s in bad.items()}
    good = Endpoint("127.0.0.1", healthy.port)
    options = ScanOptions(ca_bundle=str(ca_file), **QUICK)  # type: ignore[arg-type]
    # When the batch is scanned with an 8 s budget per endpoint
    started = time.monotonic()
    results = scan_endpoints([good, *eps.values()], options, until=started + 120)
    elapsed = time.monotonic() - started
    # Then it returns soon after the budget, not when the drip would end (~200 s)
    assert elapsed < BUDGET + 30
    # And the healthy endpoint got its full scan
    scan = results[good]
    assert isinstance(scan, TlsScan), scan
    assert scan.protocols["TLS 1.2"] is True and scan.deployments
    # And each hostile one a reason
    for kind in ("stall", "drip"):
        assert results[eps[kind]] == "the TLS scan did not finish within 8 s"
    for kind in ("garbage", "reset"):
        reason = results[eps[kind]]
        assert isinstance(reason, str) and reason.startswith("TLS connection failed"), reason
    # And the child process is gone: the drip server's connection was torn down
    assert bad["drip"].wait_for_peer_gone(timeout=20)


def test_the_deadline_in_force_cuts_the_batch_short(raw_servers: RawServerFactory,
                                                    ca_file: Path) -> None:
    # Given a stall and a drip, and a budget per endpoint far beyond the deadline
    eps = [Endpoint(s.host, s.port) for s in (raw_servers.start("stall", "127.0.0.2"),
                                              raw_servers.start("drip", "127.0.0.3"))]
    options = ScanOptions(ca_bundle=str(ca_file), timeout=2.0, rate=500.0,
                          target_deadline=600.0)
    # When the run's deadline leaves 6 s
    started = time.monotonic()
    results = scan_endpoints(eps, options, until=started + 6)
    # Then the batch ends near the deadline, and says why for each endpoint
    assert time.monotonic() - started < 6 + 15
    assert set(results.values()) == {"the TLS scan did not finish within 6 s"}


def test_a_stuck_port_does_not_cost_the_same_hosts_other_ports(
        healthy: LocalServer, raw_servers: RawServerFactory, ca_file: Path) -> None:
    # Given a stalling port and a healthy port on the same host (scanned one after the other)
    stuck = raw_servers.start("stall", "127.0.0.1")
    options = ScanOptions(ca_bundle=str(ca_file), timeout=2.0, rate=500.0,
                          target_deadline=10.0)
    # When both are scanned
    results = scan_endpoints([Endpoint("127.0.0.1", stuck.port),
                              Endpoint("127.0.0.1", healthy.port)],
                             options, until=time.monotonic() + 90)
    # Then the stalled one times out and the healthy one is still scanned in full
    assert results[Endpoint("127.0.0.1", stuck.port)] == "the TLS scan did not finish within 5 s"
    assert isinstance(results[Endpoint("127.0.0.1", healthy.port)], TlsScan)


def test_a_dripping_target_errors_with_a_reason_and_the_run_goes_on(
        audit: AuditFn, healthy: LocalServer, raw_servers: RawServerFactory) -> None:
    # Given a healthy HTTPS target and one whose handshake drips
    drip = raw_servers.start("drip", "127.0.0.2")
    drip_url = f"https://127.0.0.2:{drip.port}/"
    targets = [healthy.url("/"),
               Target(spec=drip_url, host="127.0.0.2", http_url=None, https_url=drip_url)]
    # When the tls family runs with an 8 s target deadline
    started = time.monotonic()
    report = audit(targets, checks=("tls",), **QUICK, deadline=120.0)
    # Then the run ends on time; the drip target's checks are ERROR with the reason
    assert time.monotonic() - started < BUDGET + 60
    dripped = [r for r in report.results if r.target == drip_url]
    assert dripped and all(r.status is Status.ERROR for r in dripped)
    assert all("did not finish within 8 s" in (r.reason or "") for r in dripped)
    # And the healthy target was audited in full
    fine = [r for r in report.results if r.target == healthy.url("/")]
    assert fine and not [r for r in fine if r.status is Status.ERROR]


def test_sslyze_keeps_to_the_connection_and_rate_limits(healthy: LocalServer,
                                                        ca_file: Path) -> None:
    # Given a proxy that counts TCP connections in front of a healthy TLS server
    proxy = CountingProxy(("127.0.0.1", healthy.port)).start()
    try:
        options = ScanOptions(ca_bundle=str(ca_file), timeout=5.0, connections=3,
                              handshake_rate=40.0)
        # When sslyze scans it with at most 3 connections and 40 new ones a second
        results = scan_endpoints([Endpoint("127.0.0.1", proxy.port)], options)
    finally:
        proxy.stop()
    # Then the scan completed through the proxy (hundreds of handshakes)
    assert isinstance(results[Endpoint("127.0.0.1", proxy.port)], TlsScan)
    assert proxy.total > 100
    # And never more than 3 were open at once, nor (with slack for the counter's
    # own scheduling) more than 40 opened in any second
    assert proxy.peak <= 3
    assert proxy.max_per_second() <= 40 * 1.25


def test_the_parent_unpickles_only_snapshot_types() -> None:
    # Given a child that sends a pickle naming something other than a snapshot
    read_fd, write_fd = os.pipe()
    payload = pickle.dumps(("127.0.0.1", 443, b"x"))
    evil = pickle.dumps(os.system)
    for data in (payload, evil):
        os.write(write_fd, len(data).to_bytes(4, "big") + data)
    os.close(write_fd)
    reader = _FrameReader(read_fd)
    try:
        # When the parent reads the frames
        # Then plain data passes, and the reference to os.system is refused
        assert reader.next(time.monotonic() + 5) == (True, ("127.0.0.1", 443, b"x"))
        with pytest.raises(pickle.UnpicklingError):
            reader.next(time.monotonic() + 5)
    finally:
        reader.close()
        os.close(read_fd)


def test_a_server_without_any_ecdh_is_scanned_in_full(
        ca: CertificateAuthority, tmp_path: Path, ca_file: Path) -> None:
    # Given a TLS 1.2 server with static-RSA suites only (sslyze then reports
    # supported_curves as None rather than an empty list)
    issued = ca.issue(["127.0.0.1"], key=make_key("rsa", 2048))
    cert, key = issued.write(tmp_path / "certs", "no-ecdh")
    context = tls_context(str(cert), str(key), maximum=ssl.TLSVersion.TLSv1_2,
                          ciphers="AES128-GCM-SHA256:AES256-GCM-SHA384")
    server = LocalServer({"/": html("ok")}, tls=context).start()
    try:
        ep = Endpoint("127.0.0.1", server.port)
        # When it is scanned
        result = scan_endpoints([ep], ScanOptions(ca_bundle=str(ca_file), rate=500.0))[ep]
    finally:
        server.stop()
    # Then the snapshot is complete, with no curves (not an unreadable result)
    assert isinstance(result, TlsScan), result
    assert result.curves == ()
    assert "elliptic_curves" not in result.errors
    assert result.suites and not [s for s in result.suites if s.kex in ("ECDHE", "TLS13")]


def test_on_demand_collect_is_bounded_by_the_targets_deadline(
        raw_servers: RawServerFactory) -> None:
    # Given a target whose endpoint was not prepared, and whose handshake drips
    drip = raw_servers.start("drip", "127.0.0.2")
    url = f"https://127.0.0.2:{drip.port}/"
    target = Target(spec=url, host="127.0.0.2", http_url=None, https_url=url)
    options, scope = ScanOptions(timeout=2.0, rate=500.0), Scope.of(["127.0.0.2"])
    env = ProbeEnv(options=options, scope=scope, http=HttpClient(options, scope),
                   deadline=time.monotonic() + 600)
    probe = TlsProbe()
    session = ProbeSession(target, env, {"tls": probe}, {})
    # When the probe collects it on demand under a 6 s target deadline
    started = time.monotonic()
    with deadline.bounded(seconds=6), pytest.raises(ProbeError) as failed:
        probe.collect(target, frozenset(), session)
    # Then it gives up near that deadline, saying so
    assert time.monotonic() - started < 6 + 15
    assert "did not finish within 6 s" in str(failed.value)


def test_the_child_runs_under_an_address_space_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a cap far below what sslyze and the trust stores need
    monkeypatch.setattr(tls_batch, "MEMORY_BYTES", 60 * 1024 * 1024)
    ep = Endpoint("127.0.0.1", 9)
    # When a batch runs
    result = scan_endpoints([ep], ScanOptions(), until=time.monotonic() + 60)[ep]
    # Then the child ran out of memory and the parent reports it as the reason
    assert isinstance(result, str) and "MemoryError" in result, result


def test_tls_and_http_together_keep_to_one_per_host_connection_cap(
        audit: AuditFn, healthy: LocalServer) -> None:
    # Given a proxy that counts every TCP connection to a healthy HTTPS server
    proxy = CountingProxy(("127.0.0.1", healthy.port)).start()
    url = f"https://127.0.0.1:{proxy.port}/"
    try:
        # When TLS and HTTP families audit it with at most 3 connections per host
        report = audit([Target(spec=url, host="127.0.0.1", http_url=None, https_url=url)],
                       checks=("tls.*", "headers.*", "exposure.*"), connections=3)
    finally:
        proxy.stop()
    # Then both tools ran through it (sslyze's hundreds of handshakes, HTTP requests)
    assert proxy.total > 100
    assert not [r for r in report.results if r.status is Status.ERROR]
    # And the host never saw more than 3 at once, sslyze's and the HTTP client's together
    assert proxy.peak <= 3


def test_targets_do_not_wait_for_another_hosts_stalled_tls_scan(
        audit: AuditFn, healthy: LocalServer, raw_servers: RawServerFactory) -> None:
    # Given a healthy HTTPS target and one whose handshake stalls, on another host
    stall = raw_servers.start("stall", "127.0.0.2")
    stall_url = f"https://127.0.0.2:{stall.port}/"
    targets = [healthy.url("/"),
               Target(spec=stall_url, host="127.0.0.2", http_url=None, https_url=stall_url)]
    # When both are audited with a 40 s target deadline (20 s of TLS budget)
    report = audit(targets, checks=("tls.*", "headers.*"), timeout=2.0, rate=500.0,
                   target_deadline=40.0, deadline=120.0)
    # Then the healthy target was done long before the stalled scan's budget ran out
    by_target = {o.target.spec: o for o in report.outcomes}
    healthy_ms = sum(p.duration_ms for p in by_target[healthy.url("/")].probes)
    assert by_target[healthy.url("/")].status.value == "ok"
    assert healthy_ms < 20_000
    # And the stalled one says why
    assert "did not finish within 20 s" in str(by_target[stall_url].error)
