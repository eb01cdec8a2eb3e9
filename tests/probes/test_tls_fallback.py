"""The fallback prober against real TLS stacks that owe nothing to OpenSSL.

A tlslite-ng server (pure Python) offering AES-GCM and 3DES is one sslyze
cannot handshake with; through the whole engine its endpoint must still be
graded, and the findings must say the fallback prober found them. A Java
(JSSE) and a GnuTLS server check the enumeration against two more stacks,
TLS 1.3 included.
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from egov_audit import deadline
from egov_audit.demo.pki import CertificateAuthority, Issued, make_key
from egov_audit.model import Finding, RunReport, Severity, Status
from egov_audit.options import ScanOptions
from egov_audit.probes.tls import Endpoint, scan_endpoints
from egov_audit.probes.tls_chain import trust_anchors
from egov_audit.probes.tls_child import scan_one
from egov_audit.probes.tls_fallback import MAX_HANDSHAKES, probe
from egov_audit.probes.tls_hello import TLS10, TLS12, TLS13
from egov_audit.probes.tls_hello_suites import LEGACY_SUITES, TLS13_SUITES, is_weak
from egov_audit.probes.tls_model import TlsScan

from ..checks.tls.hostile import CountingProxy
from ..conftest import AuditFn, ServeFn
from ..rawserver import RawServer
from ..tls_servers import gnutls_server, jsse_server, tlslite_server

THREE_DES = {"TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
             "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"}
GCM = {"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
       "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
       "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"}


@pytest.fixture(scope="module")
def rsa_leaf(ca: CertificateAuthority) -> Issued:
    # tlslite-ng signs with RSA only; 3DES suites are RSA-authenticated.
    return ca.issue(["127.0.0.1", "localhost"], key=make_key("rsa", 2048))


@pytest.fixture(scope="module")
def tlslite_port(rsa_leaf: Issued, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    pytest.importorskip("tlslite")
    cert, key = rsa_leaf.write(tmp_path_factory.mktemp("tlslite"), "leaf")
    with tlslite_server.start(cert, key, ciphers="aes128gcm,aes256gcm,3des",
                              low="3.1", high="3.3") as port:
        yield port


def suites_by_protocol(scan: TlsScan) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for suite in scan.suites:
        found.setdefault(suite.protocol, set()).add(suite.name)
    return found


def run_probe(port: int, ca_file: Path) -> TlsScan:
    with deadline.bounded(60):
        result = probe("127.0.0.1", port, ScanOptions(timeout=5.0), trust_anchors(str(ca_file)),
                       why="sslyze said no")
    assert isinstance(result, TlsScan), result
    return result


def test_tlslite_server_versions_suites_and_chain_are_enumerated(
        tlslite_port: int, ca_file: Path) -> None:
    # Given a tlslite-ng server with TLS 1.0-1.2, AES-GCM and 3DES
    # When the fallback prober enumerates it
    scan = run_probe(tlslite_port, ca_file)
    # Then every version and every suite it accepts is found, and no other
    assert scan.accepted_protocols == ("TLS 1.0", "TLS 1.1", "TLS 1.2")
    assert scan.protocols["SSL 3.0"] is False and scan.protocols["TLS 1.3"] is False
    assert scan.protocols["SSL 2.0"] is False
    assert suites_by_protocol(scan) == {"TLS 1.2": GCM | THREE_DES, "TLS 1.1": THREE_DES,
                                        "TLS 1.0": THREE_DES}
    # with the key exchange each suite really used
    dhe = [s for s in scan.suites if s.kex == "DHE"]
    assert dhe and all(s.ephemeral_type == "DH" and s.ephemeral_size == 2048
                       and s.dh_prime is not None and s.dh_prime.bit_length() == 2048
                       for s in dhe)
    assert all(s.ephemeral_type == "ECDH" for s in scan.suites if s.kex == "ECDHE")
    # and the certificate chain it sent, judged like sslyze's
    (deployment,) = scan.deployments
    assert deployment.leaf.subject == "CN=127.0.0.1"
    assert deployment.leaf.key_type == "RSA" and deployment.leaf.key_size == 2048
    assert deployment.trust == "custom"
    # tlslite-ng knows TLS_FALLBACK_SCSV and does not compress
    assert scan.fallback_scsv is True and scan.compression is False
    assert "tls_fallback_scsv" not in scan.errors and "tls_compression" not in scan.errors
    # untested questions are None with the reason, and the marker says who graded it
    assert scan.heartbleed is None and "fallback prober" in scan.errors["heartbleed"]
    assert "fallback prober" in scan.errors["prober"]
    assert "sslyze said no" in scan.errors["prober"]


@pytest.fixture
def counted_tlslite(tlslite_port: int) -> Iterator[CountingProxy]:
    """The tlslite-ng server behind a proxy that counts connections."""
    proxy = CountingProxy(("127.0.0.1", tlslite_port)).start()
    yield proxy
    proxy.stop()


def test_suites_are_enumerated_with_one_handshake_per_accepted_suite(
        counted_tlslite: CountingProxy, ca_file: Path) -> None:
    # Offer all, remove the chosen one, repeat: one hello per accepted suite
    # plus the refusals that end each round, never one per suite of the table.
    scan = run_probe(counted_tlslite.port, ca_file)
    # TLS 1.3 and SSL 3.0 refuse the first hello; TLS 1.0-1.2 each end a
    # round of weak suites and a round of the rest with a refusal; one hello
    # asks for TLS_FALLBACK_SCSV, one for compression, one for SSL 2.0.
    assert counted_tlslite.total == len(scan.suites) + 2 + 3 * 2 + 3
    assert counted_tlslite.total <= MAX_HANDSHAKES
    assert counted_tlslite.peak == 1  # one handshake at a time


def test_fallback_handshakes_count_against_the_per_host_cap_and_rate(
        counted_tlslite: CountingProxy) -> None:
    # Given one connection per host and 10 new ones a second, sslyze and the
    # fallback in the same TLS child
    options = ScanOptions(timeout=5.0, connections=1, handshake_rate=10.0)
    # When the endpoint is scanned (sslyze fails, the fallback grades it)
    result = scan_endpoints([Endpoint("127.0.0.1", counted_tlslite.port)], options,
                            until=time.monotonic() + 120)
    (scan,) = result.values()
    assert isinstance(scan, TlsScan), scan
    assert "fallback prober" in scan.errors["prober"]
    # Then the host never saw two connections at once, nor more than the rate
    assert counted_tlslite.total > len(scan.suites)  # sslyze's and the prober's
    assert counted_tlslite.peak == 1
    assert counted_tlslite.max_per_second() <= 11


def findings(report: RunReport, check: str) -> list[Finding]:
    return [f for f in report.findings if f.check == check]


def legacy_evidence(report: RunReport) -> str:
    (legacy,) = findings(report, "tls.legacy_tls_accepted")
    return legacy.evidence.text


def test_engine_grades_an_endpoint_sslyze_cannot_handshake_with(
        tlslite_port: int, audit: AuditFn) -> None:
    # Given the tlslite-ng server, which sslyze's connectivity test rejects
    # When the tls family runs through the whole engine (sslyze in its child)
    report = audit([f"https://127.0.0.1:{tlslite_port}/"], checks=("tls.*",))
    # Then the weak suites are reported: 3DES named, with SWEET32
    (weak,) = findings(report, "tls.weak_cipher_suites")
    assert weak.severity is Severity.MEDIUM
    assert "3DES (64-bit block, SWEET32)" in weak.evidence.text
    assert "TLS_RSA_WITH_3DES_EDE_CBC_SHA" in weak.evidence.text
    assert {s["name"] for s in weak.details["suites"]} == THREE_DES
    # and the finding says the fallback prober found it, in details and evidence
    assert "fallback prober" in weak.details["untested"]["prober"]
    assert "fallback prober" in weak.evidence.text
    assert "fallback prober" in legacy_evidence(report)
    # So are the legacy protocols and the suites without forward secrecy
    (legacy,) = findings(report, "tls.legacy_tls_accepted")
    assert legacy.details["legacy"] == ["TLS 1.0", "TLS 1.1"]
    (static,) = findings(report, "tls.no_forward_secrecy")
    assert {s["name"] for s in static.details["suites"]} == {
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_RSA_WITH_AES_256_GCM_SHA384"}
    # and the certificate checks ran on the chain the prober read
    statuses = {r.check: r for r in report.results}
    assert statuses["tls.cert_expired"].status is Status.PASS
    # while what the prober cannot test is skipped with its reason, not passed
    assert statuses["tls.heartbleed"].status is Status.SKIPPED
    assert "fallback prober" in (statuses["tls.heartbleed"].reason or "")
    assert all(r.status is not Status.ERROR for r in report.results), \
        [(r.check, r.reason) for r in report.results if r.status is Status.ERROR]


JSSE_SUITES = ("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
               "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
               "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA256")


@pytest.mark.skipif(not jsse_server.available(), reason="java and javac are not installed")
def test_java_server_enumeration_matches_its_configuration(
        rsa_leaf: Issued, ca_file: Path, tmp_path: Path) -> None:
    # Given a JSSE server with TLS 1.3, 1.2 and 1.0 and six suites (3DES included)
    with jsse_server.start(rsa_leaf, tmp_path / "java", ["TLSv1.3", "TLSv1.2", "TLSv1"],
                           JSSE_SUITES) as port:
        # When the fallback prober enumerates it
        scan = run_probe(port, ca_file)
    # Then it finds exactly what the server was told to accept
    assert scan.accepted_protocols == ("TLS 1.0", "TLS 1.2", "TLS 1.3")
    assert suites_by_protocol(scan) == {
        "TLS 1.3": {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"},
        "TLS 1.2": set(JSSE_SUITES[2:]),
        # TLS 1.2-only suites (GCM, SHA-256) are not offered below TLS 1.2
        "TLS 1.0": {"TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    }
    tls13 = scan.suites_for("TLS 1.3")
    assert all(s.kex == "TLS13" and s.ephemeral_curve == "X25519" for s in tls13)
    (deployment,) = scan.deployments  # read from a TLS 1.2 handshake
    assert deployment.leaf.subject == "CN=127.0.0.1"


GNUTLS_PRIORITY = ("NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.0:+3DES-CBC:"
                   "-DHE-RSA:-ECDHE-ECDSA")


@pytest.mark.skipif(not gnutls_server.available(), reason="gnutls-bin is not installed")
def test_gnutls_server_enumeration_matches_gnutls_own_list(
        rsa_leaf: Issued, ca_file: Path, tmp_path: Path) -> None:
    # Given a GnuTLS server with TLS 1.3, 1.2, 1.0, 3DES and an RSA certificate
    cert, key = rsa_leaf.write(tmp_path, "leaf")
    expected = gnutls_server.expected_suites(GNUTLS_PRIORITY)  # GnuTLS's own word
    with gnutls_server.start(cert, key, GNUTLS_PRIORITY) as port:
        # When the fallback prober enumerates it
        scan = run_probe(port, ca_file)
    # Then each version has exactly the suites GnuTLS enables for it
    codes = {name: code for code, name in {**LEGACY_SUITES, **TLS13_SUITES}.items()}
    found = {p: {codes[n] for n in names} for p, names in suites_by_protocol(scan).items()}
    assert found == {
        "TLS 1.3": {c for c, v in expected.items() if v == TLS13},
        "TLS 1.2": {c for c, v in expected.items() if v <= TLS12},
        "TLS 1.0": {c for c, v in expected.items() if v <= TLS10},
    }
    assert "TLS_RSA_WITH_3DES_EDE_CBC_SHA" in {s.name for s in scan.suites_for("TLS 1.0")}
    assert scan.accepted_protocols == ("TLS 1.0", "TLS 1.2", "TLS 1.3")


def test_on_a_server_sslyze_can_scan_both_probers_agree(
        serve: ServeFn, rsa_leaf: Issued, ca_file: Path) -> None:
    # Given an OpenSSL server accepting every suite this OpenSSL has, TLS 1.0 up:
    # more suites than the fallback's handshake budget
    server = serve({}, issued=rsa_leaf, tls_options={
        "minimum": ssl.TLSVersion.TLSv1, "ciphers": "ALL:COMPLEMENTOFALL:@SECLEVEL=0"})
    # When sslyze and the fallback prober both scan it
    anchors = trust_anchors(str(ca_file))
    reference = scan_one("127.0.0.1", server.port, ScanOptions(timeout=5.0,
                                                               ca_bundle=str(ca_file)), anchors)
    assert isinstance(reference, TlsScan), reference
    scan = run_probe(server.port, ca_file)
    # Then they agree on the versions, on every weak suite (enumerated first),
    # and the fallback names no suite sslyze did not find
    assert scan.accepted_protocols == reference.accepted_protocols
    for protocol in scan.accepted_protocols:
        ours = {s.name for s in scan.suites_for(protocol)}
        theirs = {s.name for s in reference.suites_for(protocol)}
        assert {n for n in ours if is_weak(n)} == {n for n in theirs if is_weak(n)}, protocol
        assert ours <= theirs, protocol
        # and a shorter list is flagged as partial, never passed off as complete
        if ours != theirs:
            assert "partial list" in scan.errors[f"tls_1_{protocol[-1]}_cipher_suites"]
    assert any(is_weak(s.name) for s in scan.suites)  # the comparison was not empty
    assert (scan.fallback_scsv, scan.compression) == (reference.fallback_scsv,
                                                      reference.compression) == (True, False)
    assert scan.deployments[0].leaf == reference.deployments[0].leaf


def ssl2_only(certificate: bytes) -> Callable[[socket.socket, RawServer], None]:
    """An SSL 2.0-only appliance. No stack installable today speaks SSL 2.0, so
    this one is canned: to an SSL 2.0 hello it answers a SERVER-HELLO with its
    certificate and three cipher kinds; to anything else, it hangs up."""
    kinds = (0x010080, 0x020080, 0x0700C0)  # RC4-MD5, EXP-RC4-MD5, DES-CBC3-MD5

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        conn.settimeout(10)
        hello = conn.recv(65536)
        if not hello or not hello[0] & 0x80 or hello[2] != 1:
            return
        specs = b"".join(k.to_bytes(3, "big") for k in kinds)
        connection_id = bytes(16)
        body = (b"\x04\x00\x01\x00\x02" + len(certificate).to_bytes(2, "big")
                + len(specs).to_bytes(2, "big") + len(connection_id).to_bytes(2, "big")
                + certificate + specs + connection_id)
        conn.sendall((0x8000 | len(body)).to_bytes(2, "big") + body)

    return behaviour


def test_engine_reports_an_ssl2_only_server(rsa_leaf: Issued, audit: AuditFn) -> None:
    # Given a server that speaks SSL 2.0 only (sslyze's connectivity test fails)
    der = rsa_leaf.cert.public_bytes(serialization.Encoding.DER)
    with RawServer(ssl2_only(der)) as server:
        # When the tls family runs through the whole engine
        report = audit([f"https://127.0.0.1:{server.port}/"], checks=("tls.ssl2_ssl3_accepted",
                                                                      "tls.weak_cipher_suites"))
    # Then SSL 2.0 and its suites are reported, found by the fallback prober
    (legacy,) = findings(report, "tls.ssl2_ssl3_accepted")
    assert legacy.details["legacy"] == ["SSL 2.0"]
    assert legacy.details["accepted_protocols"] == ["SSL 2.0"]
    (weak,) = findings(report, "tls.weak_cipher_suites")
    assert {s["name"] for s in weak.details["suites"]} == {
        "SSL_CK_RC4_128_WITH_MD5", "SSL_CK_RC4_128_EXPORT40_WITH_MD5",
        "SSL_CK_DES_192_EDE3_CBC_WITH_MD5"}
    assert weak.severity is Severity.CRITICAL  # EXPORT
    assert "fallback prober" in weak.details["untested"]["prober"]
