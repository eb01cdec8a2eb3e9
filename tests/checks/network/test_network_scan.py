"""Network family against real services on loopback, scanned by the real nmap.

One nmap run covers every service of the scene (nmap's service detection
waits several seconds on services that do not greet first, so one scan keeps
the suite fast); the tests then read the one report.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from egov_audit.audit import build_request
from egov_audit.demo import tcp
from egov_audit.demo.server import LocalServer, html
from egov_audit.model import Finding, RunReport, Severity, Status, Target
from egov_audit.runner import run_audit

from ...conftest import FAST, pair
from .conftest import RedisServers, free_port, needs_nmap

pytestmark = needs_nmap


@dataclass
class Scene:
    report: RunReport
    port: dict[str, int]
    first: Target
    second: Target
    outside: tcp.TcpService


@pytest.fixture(scope="module")
def scene(redis_servers: RedisServers, tmp_path_factory: pytest.TempPathFactory,
          ca_file: Path) -> Iterator[Scene]:
    # Given: two web targets on 127.0.0.1, and beside them on the same host a real
    # Redis without a password, a real Redis with one, MySQL/FTP/Telnet imitations,
    # a stray web server, and a closed port.
    services = {
        "mysql": tcp.TcpService(tcp.mysql("5.5.62-log")),
        "ftp_anon": tcp.TcpService(tcp.ftp(anonymous=True)),
        "ftp": tcp.TcpService(tcp.ftp()),
        "telnet": tcp.TcpService(tcp.telnet()),
    }
    webs = {name: LocalServer({"/": html(name)}) for name in ("site_a", "site_b", "stray")}
    for server in (*services.values(), *webs.values()):
        server.start()
    port = {name: s.port for name, s in {**services, **webs}.items()}
    port["redis_open"] = redis_servers.start()
    port["redis_auth"] = redis_servers.start("--requirepass", "test-only-secret-0123")
    port["closed"] = free_port()
    # ...and on 127.0.0.2, which is no target, a listener on a port that IS scanned.
    outside = tcp.TcpService(tcp.redis(), host="127.0.0.2", port=port["redis_open"]).start()
    first, second = pair(webs["site_a"], None), pair(webs["site_b"], None)
    # When the network family runs over exactly these ports
    request = build_request([], targets=[first, second], overrides={
        **FAST, "ca_bundle": str(ca_file), "checks": ("network",),
        "settings": {"network": {"ports": sorted(port.values())}},
    })
    report = run_audit(request, workdir=tmp_path_factory.mktemp("network"))
    yield Scene(report, port, first, second, outside)
    for server in (*services.values(), *webs.values(), outside):
        server.stop()


def summary(findings: tuple[Finding, ...]) -> set[tuple[str, int | None, Severity]]:
    return {(f.check, f.details.get("port"), f.severity) for f in findings}


def test_exact_findings_for_the_exposed_host(scene: Scene) -> None:
    p = scene.port
    # Then each exposed service is reported once, under the first target, as expected
    assert summary(scene.report.findings) == {
        ("network.database_exposed", p["redis_open"], Severity.CRITICAL),
        ("network.database_exposed", p["redis_auth"], Severity.HIGH),
        ("network.database_exposed", p["mysql"], Severity.HIGH),
        ("network.cleartext_admin", p["ftp_anon"], Severity.HIGH),
        ("network.cleartext_admin", p["ftp"], Severity.HIGH),
        ("network.cleartext_admin", p["telnet"], Severity.HIGH),
        ("network.eol_service_version", p["mysql"], Severity.MEDIUM),
        ("network.unexpected_open_ports", None, Severity.INFO),
    }
    assert {f.target for f in scene.report.findings} == {scene.first.spec}


def test_redis_answering_info_without_password_is_critical_and_says_so(scene: Scene) -> None:
    (finding,) = [f for f in scene.report.findings
                  if f.details.get("port") == scene.port["redis_open"]]
    assert "Unauthenticated access confirmed: Redis answered INFO without authentication" \
        in finding.evidence.text
    assert "redis-info" in finding.evidence.text
    assert finding.details["unauthenticated"] is True
    assert finding.location == f"tcp://127.0.0.1:{scene.port['redis_open']}"


def test_redis_with_password_is_high_without_claiming_access(scene: Scene) -> None:
    (finding,) = [f for f in scene.report.findings
                  if f.details.get("port") == scene.port["redis_auth"]]
    assert finding.details["unauthenticated"] is False
    assert "Unauthenticated" not in finding.evidence.text
    assert "Redis key-value store" in finding.evidence.text


def test_mysql_handshake_gives_product_version_and_end_of_life(scene: Scene) -> None:
    found = [f for f in scene.report.findings if f.details.get("port") == scene.port["mysql"]]
    eol = next(f for f in found if f.check == "network.eol_service_version")
    assert eol.details["product"] == "MySQL"
    assert eol.details["version"] == "5.5.62-log"
    assert eol.details["end_of_life"] == "2018-12-31"


def test_anonymous_ftp_is_called_out_only_where_accepted(scene: Scene) -> None:
    by_port = {f.details.get("port"): f for f in scene.report.findings
               if f.check == "network.cleartext_admin"}
    assert by_port[scene.port["ftp_anon"]].details["anonymous_login"] is True
    assert "Anonymous FTP login accepted" in by_port[scene.port["ftp_anon"]].evidence.text
    assert by_port[scene.port["ftp"]].details["anonymous_login"] is False
    assert by_port[scene.port["telnet"]].details["service"] == "telnet"


def test_unexpected_ports_list_the_stray_server_not_the_targets_own(scene: Scene) -> None:
    (finding,) = [f for f in scene.report.findings
                  if f.check == "network.unexpected_open_ports"]
    listed = [entry["port"] for entry in finding.details["ports"]]
    assert listed == [scene.port["stray"]]


def test_second_target_on_the_same_host_is_skipped_with_the_reason(scene: Scene) -> None:
    results = [r for r in scene.report.results if r.target == scene.second.spec]
    assert len(results) == 7
    assert {r.status for r in results} == {Status.SKIPPED}
    assert all(f"reported under {scene.first.spec}" in (r.reason or "") for r in results)


def test_nothing_outside_the_target_hosts_is_scanned(scene: Scene) -> None:
    # The listener on 127.0.0.2 shares a scanned port number, yet was never contacted
    assert scene.outside.connections == 0
    # and the nmap command names exactly one host: the targets' 127.0.0.1
    command = scene.report.findings[0].details["nmap"]
    args = shlex.split(command)  # as nmap itself recorded it in its XML output
    assert args[:3] == ["nmap", "-oX", "-"] and args[-1] == "127.0.0.1"
    assert [a for a in args if re.search(r"\d+\.\d+\.\d+\.\d+", a)] == ["127.0.0.1"]
    assert args[args.index("-p") + 1] == ",".join(str(p) for p in sorted(scene.port.values()))
    assert "-sT" in args and "-Pn" in args and "--host-timeout" in args


def test_every_check_ran_on_the_first_target(scene: Scene) -> None:
    results = {r.check: r.status for r in scene.report.results if r.target == scene.first.spec}
    assert results == {
        "network.database_exposed": Status.FAIL,
        "network.cleartext_admin": Status.FAIL,
        "network.remote_admin_exposed": Status.PASS,
        "network.file_sharing_exposed": Status.PASS,
        "network.ssh_exposed": Status.PASS,
        "network.unexpected_open_ports": Status.FAIL,
        "network.eol_service_version": Status.FAIL,
    }
