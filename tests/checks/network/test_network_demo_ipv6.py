"""The demo's network plant, and IPv6 targets, scanned by the real nmap."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from egov_audit.demo import tcp
from egov_audit.demo.plants import network as network_plant
from egov_audit.demo.portal import DemoPortal
from egov_audit.model import Severity

from ...conftest import AuditFn
from .conftest import needs_nmap

pytestmark = needs_nmap


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def test_demo_plant_shows_open_redis_and_old_mysql(tmp_path: Path, audit: AuditFn) -> None:
    # Given the demo portal with only the network plant
    portal = DemoPortal(tmp_path)
    network_plant.plant(portal)
    if not portal.services:
        pytest.skip("no free loopback address with ports 3306 and 6379 for the demo plant")
    with portal:
        (target,) = portal.targets()
        # When the network family audits it with its default port catalogue
        report = audit([target], checks=["network"])
    # Then Redis is critical (INFO answered), MySQL high, and both are end-of-life
    found = {(f.check, f.details["port"], f.severity) for f in report.findings}
    assert found == {
        ("network.database_exposed", 6379, Severity.CRITICAL),
        ("network.database_exposed", 3306, Severity.HIGH),
        ("network.eol_service_version", 6379, Severity.MEDIUM),
        ("network.eol_service_version", 3306, Severity.MEDIUM),
    }
    # and stopping the portal stops the side services too
    with pytest.raises(OSError):
        socket.create_connection((target.host, 6379), timeout=1).close()


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="no IPv6 loopback (::1) on this machine")
def test_ipv6_target_is_scanned_with_nmap_dash_6(audit: AuditFn) -> None:
    mysql = tcp.TcpService(tcp.mysql("8.4.3"), host="::1").start()
    try:
        report = audit([f"http://[::1]:{mysql.port}/"], checks=["network.database_exposed"],
                       settings={"network": {"ports": [mysql.port]}})
    finally:
        mysql.stop()
    (finding,) = report.findings
    assert finding.location == f"tcp://[::1]:{mysql.port}"
    assert finding.details["product"] == "MySQL"
    assert finding.details["nmap"].split()[-2:] == ["-6", "::1"]
