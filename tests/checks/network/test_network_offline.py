"""Network checks and scan planning as pure functions of snapshots (no nmap needed),
plus the engine's behaviour when nmap is missing or the port setting is wrong."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import pytest
from egov_audit.checks.network import CHECKS
from egov_audit.checks.network._catalogue import classify, end_of_life

from egov_audit.check import Check, CheckContext, Skip
from egov_audit.model import Severity, Status, Target
from egov_audit.probes.base import ProbeError
from egov_audit.probes.ports import OpenPort, PortScan, parse_ports, plan_scan, validate_host

from ...conftest import AuditFn

TARGET = Target(spec="https://app.example.go.id/", host="app.example.go.id",
                http_url=None, https_url="https://app.example.go.id/")
BY_ID = {c.id: c for c in CHECKS}


def run(check_id: str, *ports: OpenPort, web: tuple[int, ...] = (443,)) -> list:  # type: ignore[type-arg]
    check: Check = BY_ID[check_id]
    scan = PortScan(host=TARGET.host, available=True, open_ports=ports, web_ports=web,
                    reported_under=TARGET.spec, command="nmap ...")
    return check.run(CheckContext(TARGET, {PortScan: scan}, {}, needs=check.needs))


def test_vnc_without_password_is_critical() -> None:
    vnc = OpenPort(5900, "vnc", "VNC", "protocol 3.8", confidence=10,
                   scripts=(("vnc-info", "\n  Protocol version: 3.8\n  Security types: \n"
                                         "    None (1)"),))
    (issue,) = run("network.remote_admin_exposed", vnc)
    assert issue.severity is Severity.CRITICAL
    assert "'None' security type" in issue.evidence


def test_vnc_with_password_is_high() -> None:
    vnc = OpenPort(5900, "vnc", "VNC", "protocol 3.8", confidence=10,
                   scripts=(("vnc-info", "Security types: \n    VNC Authentication (2)"),))
    (issue,) = run("network.remote_admin_exposed", vnc)
    assert issue.severity is None  # the check's default, high


def test_elasticsearch_banner_confirms_open_access_but_401_does_not() -> None:
    banner = OpenPort(9200, "http", "Elasticsearch REST API", "6.8.23", confidence=10,
                      extrainfo="name: node-1; cluster: prod; Lucene 7.7.3")
    locked = OpenPort(9201, "http", "Elasticsearch REST API", "", confidence=10,
                      extrainfo="Shield plugin; realm: security")
    issues = {i.key: i for i in run("network.database_exposed", banner, locked)}
    assert issues["9200"].severity is Severity.CRITICAL
    assert issues["9201"].severity is None
    (eol,) = run("network.eol_service_version", banner)
    assert "Elasticsearch 6 line reached end of life on 2022-02-10" in eol.evidence


def test_pop3_is_medium_and_ssh_is_info_with_version() -> None:
    pop3 = OpenPort(110, "pop3", "Dovecot pop3d", confidence=10)
    (issue,) = run("network.cleartext_admin", pop3)
    assert issue.severity is Severity.MEDIUM
    ssh = OpenPort(22, "ssh", "OpenSSH", "9.2p1 Debian 2+deb12u3", "protocol 2.0", 10)
    (issue,) = run("network.ssh_exposed", ssh)
    assert issue.evidence == ("app.example.go.id:22/tcp open: SSH, OpenSSH 9.2p1 Debian "
                              "2+deb12u3 (protocol 2.0)")


def test_smb_and_nfs_are_file_sharing() -> None:
    issues = run("network.file_sharing_exposed",
                 OpenPort(445, "microsoft-ds", confidence=3), OpenPort(2049, "nfs", confidence=3))
    assert [i.key for i in issues] == ["445", "2049"]


def test_recognised_service_beats_the_port_number() -> None:
    # MySQL on a web port is a database; a web server on 3306 is just "another port"
    assert classify(OpenPort(8080, "mysql", "MySQL", "8.4.3", confidence=10)) == "database"
    assert classify(OpenPort(3306, "http", "nginx", confidence=10)) is None
    # when nmap only guessed from the port table, the port decides
    assert classify(OpenPort(3306, "mysql", confidence=3)) == "database"
    assert classify(OpenPort(3306, "unknown", confidence=10)) == "database"


def test_end_of_life_lines() -> None:
    today = date(2026, 11, 29)
    assert end_of_life(OpenPort(3306, "mysql", "MySQL", "5.7.44"), today) is not None
    assert end_of_life(OpenPort(3306, "mysql", "MySQL", "8.4.3"), today) is None
    # MariaDB announces itself as MySQL "5.5.5-10.x": not MySQL 5.5
    assert end_of_life(OpenPort(3306, "mysql", "MySQL", "5.5.5-10.11.6-MariaDB"), today) is None
    assert end_of_life(OpenPort(5432, "postgresql", "PostgreSQL DB", "12.4"), today) is not None
    assert end_of_life(OpenPort(5432, "postgresql", "PostgreSQL DB", "16.2"), today) is None
    # a line counts only from its end date on
    assert end_of_life(OpenPort(3306, "mysql", "MySQL", "8.0.36"), date(2026, 4, 29)) is None
    assert end_of_life(OpenPort(80, "http", "Microsoft IIS httpd", "7.5"), today) is not None


def test_only_target_hosts_are_planned_never_ranges_or_options() -> None:
    a = Target("http://127.0.0.1:8000/", "127.0.0.1", "http://127.0.0.1:8000/", None)
    b = Target("https://127.0.0.3/", "127.0.0.3", None, "https://127.0.0.3/")
    c = Target("https://127.0.0.1/", "127.0.0.1", None, "https://127.0.0.1/")
    work = {a: frozenset({"22"}), b: frozenset({"3306"}), c: frozenset()}
    plan = plan_scan(work, {}, lambda host: True)
    assert plan.hosts == ("127.0.0.1", "127.0.0.3")
    assert plan.ports == (22, 3306)  # the ports the checks asked for
    assert plan.web_ports == {"127.0.0.1": (443, 8000), "127.0.0.3": (443,)}
    with_web = plan_scan(work, {"scan_web_ports": True}, lambda host: True)
    assert with_web.ports == (22, 443, 3306, 8000)
    assert plan.owners == {"127.0.0.1": a.spec, "127.0.0.3": b.spec}
    for bad in ("10.0.0.0/24", "10.0.0.1-20", "10.0-3.0.1", "-iL/etc/passwd", "a b",
                "*.example.go.id"):
        with pytest.raises(ProbeError):
            validate_host(bad)
    # a host the scope refuses is not scanned, and says why; the others still are
    plan = plan_scan(work, {}, lambda host: host != "127.0.0.3")
    assert plan.hosts == ("127.0.0.1",)
    assert "outside the audit scope" in str(plan.rejected["127.0.0.3"])


def test_configured_ports_replace_the_catalogue() -> None:
    a = Target("http://127.0.0.1:8000/", "127.0.0.1", "http://127.0.0.1:8000/", None)
    plan = plan_scan({a: frozenset({"22"})}, {"ports": [21, "6379-6381"]}, lambda h: True)
    assert plan.ports == (21, 6379, 6380, 6381)
    assert parse_ports(["1-3", 5]) == {1, 2, 3, 5}
    for bad in (["0"], ["70000"], ["http"], ["1-99999"]):
        with pytest.raises(ProbeError):
            parse_ports(bad)


def test_missing_nmap_skips_every_network_check_with_the_install_command(
    audit: AuditFn,
) -> None:
    # Given nmap cannot be found
    report = audit(["http://127.0.0.1:9/"], checks=["network"],
                   settings={"network": {"nmap_path": "/nonexistent/nmap"}})
    # Then nothing passes silently: every check is SKIPPED and says how to install nmap
    assert report.findings == ()
    assert len(report.results) == 7
    assert {r.status for r in report.results} == {Status.SKIPPED}
    assert all("apt-get install nmap" in (r.reason or "") for r in report.results)


def test_a_bad_port_setting_is_an_error_not_a_pass(audit: AuditFn) -> None:
    report = audit(["http://127.0.0.1:9/"], checks=["network"],
                   settings={"network": {"ports": ["ssh"]}})
    assert {r.status for r in report.results} == {Status.ERROR}
    assert "'ssh' is not a port" in (report.results[0].reason or "")


def test_skip_when_the_host_is_reported_by_another_target() -> None:
    check = BY_ID["network.ssh_exposed"]
    other = "https://other.example.go.id/"
    scan = PortScan(host=TARGET.host, available=True, reported_under=other)
    with pytest.raises(Skip, match=f"reported under {re.escape(other)}"):
        check.run(CheckContext(TARGET, {PortScan: scan}, {}, needs=check.needs))


def test_importing_the_probe_does_not_load_python_nmap() -> None:
    code = ("import sys, egov_audit.probes.ports, egov_audit.checks.network; "
            "print('nmap' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
