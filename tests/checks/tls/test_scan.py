"""TLS checks against real loopback servers, each with one planted flaw.

One audit run scans the whole lab (see conftest.py); each test reads its
target's findings from that shared report.
"""

from __future__ import annotations

import datetime as dt

import pytest

from egov_audit.model import Severity, Status

from .conftest import Lab

AT_LEAST_LOW = {Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL}


def checks_of(lab: Lab, name: str) -> set[str]:
    return {f.check for f in lab.findings(name) if f.severity in AT_LEAST_LOW}


@pytest.mark.parametrize("name", ["good", "good_by_name", "good_v6"])
def test_good_configuration_has_no_findings_at_low_or_above(lab: Lab, name: str) -> None:
    # Given TLS 1.2+1.3, Mozilla-intermediate suites, a P-256 key, the full chain
    # When the tls family runs (by IPv4, by host name with SNI, by IPv6)
    # Then nothing at low or above is reported, and every check ran
    assert checks_of(lab, name) == set()
    statuses = {r.check: r.status for r in lab.report.results  # type: ignore[union-attr]
                if r.target == lab.target(name)}
    assert Status.ERROR not in statuses.values()
    assert statuses["tls.mozilla_profile"] is Status.PASS
    (grade,) = lab.findings(name, "tls.grade")
    assert grade.details["grade"] == "A+"
    assert grade.severity is Severity.INFO


def test_custom_bundle_trust_is_reported_as_information(lab: Lab) -> None:
    (finding,) = lab.findings("good", "tls.cert_untrusted")
    assert finding.severity is Severity.INFO
    assert finding.details["trust"] == "custom"
    assert finding.details["trusted_by"] == ["custom CA bundle"]
    assert "only by the supplied CA bundle" in finding.evidence.text
    # the chain the server sent: leaf then intermediate
    assert finding.details["chain"] == ["CN=127.0.0.1", "CN=egov-audit Test Intermediate CA"]


def test_evidence_names_certificate_facts(lab: Lab) -> None:
    (finding,) = lab.findings("expired", "tls.cert_expired")
    text = finding.evidence.text
    for fact in ("subject CN=127.0.0.1", "issuer CN=egov-audit Test Root CA",
                 "SANs localhost, 127.0.0.1", "key EC 256 (secp256r1)",
                 "signature ecdsa-with-SHA256", "SHA-256 "):
        assert fact in text
    leaf = finding.details["leaf"]
    assert len(leaf["sha256"].split(":")) == 32
    not_before, not_after = (dt.datetime.fromisoformat(leaf[k]) for k in ("not_before",
                                                                           "not_after"))
    assert not_before < not_after < dt.datetime.now(dt.UTC)
    assert leaf["key_type"] == "EC" and leaf["key_size"] == 256


def test_expired_certificate(lab: Lab) -> None:
    (finding,) = lab.findings("expired", "tls.cert_expired")
    assert finding.severity is Severity.HIGH
    assert finding.details["days_expired"] >= 9
    assert checks_of(lab, "expired") == {"tls.cert_expired", "tls.mozilla_profile"}
    assert lab.findings("expired", "tls.grade")[0].details["grade"] == "F"


def test_not_yet_valid_certificate(lab: Lab) -> None:
    (finding,) = lab.findings("not_yet_valid", "tls.cert_not_yet_valid")
    assert "becomes valid only on" in finding.evidence.text
    assert not lab.findings("not_yet_valid", "tls.cert_expiring")


def test_certificate_expiring_within_seven_days_is_high(lab: Lab) -> None:
    (finding,) = lab.findings("expiring", "tls.cert_expiring")
    assert finding.severity is Severity.HIGH
    assert finding.details["days_left"] in (2, 3)
    assert not lab.findings("good", "tls.cert_expiring")  # 90 days left


def test_self_signed_certificate_is_untrusted_by_everything(lab: Lab) -> None:
    (finding,) = lab.findings("self_signed", "tls.cert_untrusted")
    assert finding.severity is Severity.HIGH
    assert finding.details["reason"] == "self_signed"
    assert finding.details["trust"] == "none"
    assert "self-signed" in finding.evidence.text
    assert "or the supplied CA bundle" in finding.evidence.text
    assert not lab.findings("self_signed", "tls.cert_chain_incomplete")


def test_wrong_host(lab: Lab) -> None:
    (finding,) = lab.findings("wrong_host", "tls.cert_hostname_mismatch")
    assert finding.details["names"] == ["portal.example.go.id"]
    assert "'127.0.0.1' is not among" in finding.evidence.text
    assert not lab.findings("good", "tls.cert_hostname_mismatch")  # IP SAN matches


def test_missing_intermediate(lab: Lab) -> None:
    (finding,) = lab.findings("missing_intermediate", "tls.cert_chain_incomplete")
    assert finding.details["missing_issuer"] == "CN=egov-audit Test Intermediate CA"
    assert not lab.findings("missing_intermediate", "tls.cert_untrusted")
    assert lab.findings("missing_intermediate", "tls.grade")[0].details["grade"] == "B"


def test_rsa_1024_key(lab: Lab) -> None:
    (finding,) = lab.findings("rsa1024", "tls.cert_weak_key")
    assert finding.severity is Severity.HIGH
    assert "RSA 1024-bit key (minimum 2048)" in finding.evidence.text


def test_sha1_signed_leaf(lab: Lab) -> None:
    # Skipped with the reason when the local OpenSSL cannot sign with SHA-1;
    # the check is also covered offline in test_offline.py.
    (finding,) = lab.findings("sha1", "tls.cert_weak_signature")
    assert finding.details["hash"] == "sha1"
    assert "ecdsa-with-SHA1" in finding.evidence.text
    # The chain is still recognised as issued by the trusted CA: one problem, one finding.
    assert not lab.findings("sha1", "tls.cert_chain_incomplete")
    assert lab.findings("sha1", "tls.cert_untrusted")[0].severity is Severity.INFO


def test_legacy_protocols_and_weak_suites(lab: Lab) -> None:
    # Given TLS 1.0+ with @SECLEVEL=0, NULL-MD5, anonymous ECDH, static RSA and 1024-bit DHE
    (legacy,) = lab.findings("weak", "tls.legacy_tls_accepted")
    assert legacy.severity is Severity.HIGH
    assert legacy.details["legacy"] == ["TLS 1.0", "TLS 1.1"]

    (weak,) = lab.findings("weak", "tls.weak_cipher_suites")
    assert weak.severity is Severity.CRITICAL  # NULL and anonymous suites
    names = {s["name"] for s in weak.details["suites"]}
    assert {"TLS_RSA_WITH_NULL_MD5", "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"} <= names
    assert "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" not in names

    (nofs,) = lab.findings("weak", "tls.no_forward_secrecy")
    assert "TLS_RSA_WITH_AES_128_CBC_SHA" in nofs.evidence.text
    assert nofs.details["forward_secrecy_available"] is True

    (dh,) = lab.findings("weak", "tls.weak_dh")
    assert dh.details["smallest_dh_bits"] == 1024

    (profile,) = lab.findings("weak", "tls.mozilla_profile")
    criteria = {d["criterion"] for d in profile.details["deviations"]}
    assert {"tls_versions", "ciphers", "dh_param_size"} <= criteria

    (grade,) = lab.findings("weak", "tls.grade")
    assert grade.details["grade"] == "F"
    assert any(c["reason"] == "TLS 1.0/1.1 accepted" for c in grade.details["caps"])
    # Python's OpenSSL refuses downgrades and renegotiates securely: no findings there
    for check in ("tls.fallback_scsv_missing", "tls.insecure_renegotiation", "tls.robot",
                  "tls.heartbleed", "tls.ccs_injection", "tls.compression"):
        assert lab.status("weak", check)[0] is Status.PASS, check


@pytest.mark.parametrize("name, reason", [
    ("plain_http", "could not find a TLS version and cipher suite"),
    ("closed", "TLS connection failed"),
])
def test_connectivity_failure_is_an_error_result_with_the_reason(
        lab: Lab, name: str, reason: str) -> None:
    status, why = lab.status(name, "tls.cert_expired")
    assert status is Status.ERROR
    assert why is not None and reason in why
    assert not lab.findings(name)
    # the other targets of the run were scanned all the same
    assert lab.findings("good", "tls.grade")


def test_target_without_https_is_skipped_not_failed(lab: Lab) -> None:
    assert lab.findings("http_only") == []
    status, reason = lab.status("http_only", "tls.cert_expired")
    assert status is Status.SKIPPED
    assert reason == "the target has no HTTPS entry point"
