"""A TLS child started early (while the run is prepared) serves the first batch."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from egov_audit.demo.server import LocalServer
from egov_audit.options import ScanOptions
from egov_audit.probes import tls_batch
from egov_audit.probes.tls import Endpoint
from egov_audit.probes.tls_model import TlsScan


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is not alive
        return stat.read().split(") ", 1)[1][0] != "Z"


def test_the_prestarted_child_scans_the_first_batch(healthy: LocalServer, ca_file: Path) -> None:
    # Given a child started before anything asked for a scan
    tls_batch.prestart()
    spare = tls_batch._spare
    assert spare is not None
    tls_batch.prestart()  # idempotent: still the one child
    assert tls_batch._spare is spare
    # When the first batch runs
    options = ScanOptions(ca_bundle=str(ca_file), rate=500.0, timeout=5.0)
    good = Endpoint("127.0.0.1", healthy.port)
    results = tls_batch.run_batch([good], options, until=time.monotonic() + 60, budget=30)
    # Then it used that child, which is gone afterwards, and the scan is complete
    assert tls_batch._spare is None
    scan = results[good]
    assert isinstance(scan, TlsScan), scan
    assert scan.protocols["TLS 1.2"] is True and scan.deployments
    assert not _alive(spare[0].pid)


def test_an_unused_child_is_killed_and_a_dead_one_replaced(
        healthy: LocalServer, ca_file: Path) -> None:
    # An unused spare is killed at exit (the atexit hook is this function)
    tls_batch.prestart()
    spare = tls_batch._spare
    assert spare is not None
    tls_batch._discard_spare()
    assert tls_batch._spare is None and not _alive(spare[0].pid)
    # and a spare that died while waiting is replaced by a fresh child
    tls_batch.prestart()
    dead = tls_batch._spare
    assert dead is not None
    dead[0].kill()
    dead[0].wait(timeout=10)
    options = ScanOptions(ca_bundle=str(ca_file), rate=500.0, timeout=5.0)
    good = Endpoint("127.0.0.1", healthy.port)
    results = tls_batch.run_batch([good], options, until=time.monotonic() + 60, budget=30)
    assert isinstance(results[good], TlsScan), results[good]


@pytest.mark.parametrize(("include", "exclude", "expected"), [
    ((), (), True),  # every check
    (("tls.*",), (), True),
    (("tls.weak_*", "https"), (), True),
    (("*.grade",), (), True),
    (("https.*", "headers"), (), False),
    ((), ("tls",), False),
])
def test_scan_starts_the_tls_child_early_only_when_tls_may_run(
        include: tuple[str, ...], exclude: tuple[str, ...], expected: bool) -> None:
    from egov_audit.cli.scan_cmd import may_scan_tls

    assert may_scan_tls(include, exclude) is expected
