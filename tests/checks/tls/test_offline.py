"""TLS checks judged on recorded-style snapshots: what no local server can show.

Heartbleed, ROBOT, CCS injection, SSL 2.0, RC4 or a SHA-1 intermediate cannot
be served by this machine's OpenSSL, so those checks are exercised on
snapshots shaped exactly like the probe's output (see snapshots.py).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace
from importlib import resources

import pytest
from egov_audit.checks.tls import CHECKS
from egov_audit.checks.tls._common import hostname_matches
from egov_audit.checks.tls._grade import grade

from egov_audit.check import Skip
from egov_audit.model import Severity
from egov_audit.probes.tls_model import MISSING_ISSUER, UNKNOWN_ROOT

from .snapshots import (
    GOOD_SUITES,
    INTERMEDIATE,
    SCANNED_AT,
    cert,
    deployment,
    good_scan,
    protocols,
    run,
    severities,
    suite,
    target,
)

BY_ID = {c.id: c for c in CHECKS}


def test_every_check_passes_or_is_info_on_the_recorded_good_scan() -> None:
    scan = good_scan()
    for check in CHECKS:
        try:
            issues = run(check, scan)
        except Skip:
            continue
        assert all((i.severity or check.meta.severity) is Severity.INFO for i in issues), check.id
    assert grade(scan, scan.host)[0] == "A+"


def test_catalogue_metadata_is_complete() -> None:
    assert len(BY_ID) == len(CHECKS) >= 24
    package = resources.files("egov_audit.checks.tls")
    for check in CHECKS:
        family, name = check.id.split(".", 1)
        assert family == "tls" and package.joinpath(f"{name}.py").is_file(), check.id
        assert check.meta.cwe and check.meta.remediation and check.meta.description
        assert check.meta.references, check.id


@pytest.mark.parametrize("check_id, field, value, severity, expected_grade", [
    ("tls.heartbleed", "heartbleed", True, "critical", "F"),
    ("tls.ccs_injection", "ccs_injection", True, "high", "F"),
    ("tls.robot", "robot", "VULNERABLE_WEAK_ORACLE", "high", "F"),
    ("tls.robot", "robot", "VULNERABLE_STRONG_ORACLE", "critical", "F"),
    ("tls.compression", "compression", True, "medium", "C"),
    ("tls.insecure_renegotiation", "secure_renegotiation", False, "medium", "C"),
    ("tls.insecure_renegotiation", "client_renegotiation_dos", True, "low", "A"),
])
def test_known_weaknesses(check_id: str, field: str, value: object, severity: str,
                          expected_grade: str) -> None:
    check = BY_ID[check_id]
    assert run(check, good_scan()) == []
    issues = run(check, good_scan(**{field: value}))
    assert severities(issues, check) == [severity]
    assert grade(good_scan(**{field: value}), good_scan().host)[0] == expected_grade


def test_a_test_that_could_not_run_is_skipped_with_sslyze_reason() -> None:
    scan = good_scan(heartbleed=None, errors={"heartbleed": "connectivity issue: timed out"})
    with pytest.raises(Skip, match="heartbleed: connectivity issue: timed out"):
        run(BY_ID["tls.heartbleed"], scan)


def test_ssl2_and_ssl3_are_critical_and_cap_the_grade() -> None:
    ssl2 = suite("SSL 2.0", "SSL_CK_RC4_128_WITH_MD5")
    scan = good_scan(protocols=protocols("SSL 2.0", "SSL 3.0", "TLS 1.2", "TLS 1.3"),
                     suites=(*GOOD_SUITES, ssl2))
    (issue,) = run(BY_ID["tls.ssl2_ssl3_accepted"], scan)
    assert issue.details["legacy"] == ["SSL 2.0", "SSL 3.0"]
    assert "SSL_CK_RC4_128_WITH_MD5" in issue.evidence
    assert grade(scan, scan.host)[0] == "F"
    only_ssl3 = good_scan(protocols=protocols("SSL 3.0", "TLS 1.2", "TLS 1.3"))
    assert grade(only_ssl3, only_ssl3.host)[0] == "C"


def test_legacy_severity_is_configurable() -> None:
    scan = good_scan(protocols=protocols("TLS 1.0", "TLS 1.2", "TLS 1.3"),
                     suites=(*GOOD_SUITES, suite("TLS 1.0", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")))
    check = BY_ID["tls.legacy_tls_accepted"]
    assert severities(run(check, scan), check) == ["high"]
    assert severities(run(check, scan, {"legacy_severity": "medium"}), check) == ["medium"]


def test_missing_modern_protocols() -> None:
    scan = good_scan(protocols=protocols("TLS 1.0", "TLS 1.1"))
    assert run(BY_ID["tls.tls12_unsupported"], scan)
    assert run(BY_ID["tls.tls13_unsupported"], scan)
    only12 = good_scan(protocols=protocols("TLS 1.2"), suites=GOOD_SUITES[:2])
    assert not run(BY_ID["tls.tls12_unsupported"], only12)
    assert run(BY_ID["tls.tls13_unsupported"], only12)
    assert grade(only12, only12.host)[0] == "A-"


@pytest.mark.parametrize("name, category, severity, cap", [
    ("TLS_RSA_WITH_RC4_128_SHA", "rc4", "high", "C"),
    ("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "3des", "medium", "C"),
    ("TLS_RSA_EXPORT_WITH_RC4_40_MD5", "export", "critical", "F"),
    ("TLS_RSA_WITH_DES_CBC_SHA", "des", "high", "F"),
    ("TLS_DH_anon_WITH_AES_128_CBC_SHA", "anon", "critical", "F"),
])
def test_weak_suite_categories(name: str, category: str, severity: str, cap: str) -> None:
    scan = good_scan(suites=(*GOOD_SUITES, suite("TLS 1.2", name)))
    check = BY_ID["tls.weak_cipher_suites"]
    (issue,) = run(check, scan)
    assert category in issue.details["suites"][0]["categories"]
    assert (issue.severity or check.meta.severity).value == severity
    assert grade(scan, scan.host)[0] == cap


def test_sha1_intermediate_is_reported_but_a_sha1_root_is_not() -> None:
    # Recorded shape of a chain whose intermediate is SHA-1 signed; the served
    # (self-signed) root is SHA-1 too, which does not matter: roots are trusted
    # by presence in the store, not by signature.
    sha1_inter = replace(INTERMEDIATE, signature_algorithm="sha1WithRSAEncryption",
                         signature_hash="sha1")
    root = cert(subject="CN=Example Root CA", issuer="CN=Example Root CA", dns_names=(),
                is_ca=True, self_issued=True, self_signed=True, signature_hash="sha1",
                signature_algorithm="sha1WithRSAEncryption", sha256=":".join(["EF"] * 32))
    scan = good_scan(deployments=(deployment(cert(), sha1_inter, root),))
    (issue,) = run(BY_ID["tls.cert_weak_signature"], scan)
    assert "intermediate certificate is signed with sha1WithRSAEncryption" in issue.evidence
    assert issue.details["certificate"]["subject"] == "CN=Example Intermediate CA"


@pytest.mark.parametrize("days_left, settings, expected", [
    (20, {}, ["medium"]),
    (5, {}, ["high"]),
    (45, {}, []),
    (20, {"expiry_warning_days": 10}, []),
    (45, {"expiry_warning_days": 60, "expiry_critical_days": 50}, ["high"]),
])
def test_expiry_horizon(days_left: int, settings: dict[str, int], expected: list[str]) -> None:
    leaf = cert(not_after=SCANNED_AT + dt.timedelta(days=days_left, hours=1))
    scan = good_scan(deployments=(deployment(leaf, INTERMEDIATE),))
    check = BY_ID["tls.cert_expiring"]
    assert severities(run(check, scan, settings), check) == expected


def test_untrusted_reasons() -> None:
    check = BY_ID["tls.cert_untrusted"]
    unknown = deployment(trust="none", trusted_by=(), untrusted_reason=UNKNOWN_ROOT,
                         missing_issuer="CN=Dinas Private Root")
    (issue,) = run(check, good_scan(deployments=(unknown,)))
    assert "issued by 'CN=Dinas Private Root', which no trust store holds" in issue.evidence
    assert "(no --ca-bundle was given)" in issue.evidence
    # A leaf that names where its issuer is fetched (AIA) lacks an intermediate.
    leaf = cert(aia_ca_issuers=("http://ca.example.invalid/inter.crt",))
    missing = deployment(leaf, trust="none", trusted_by=(), untrusted_reason=MISSING_ISSUER,
                         missing_issuer="CN=Example Intermediate CA", path=(leaf,))
    assert run(check, good_scan(deployments=(missing,))) == []
    assert run(BY_ID["tls.cert_chain_incomplete"], good_scan(deployments=(missing,)))


def test_private_ca_is_information_for_internet_services_and_silent_for_internal() -> None:
    check = BY_ID["tls.cert_untrusted"]
    custom = good_scan(deployments=(deployment(trust="custom",
                                               trusted_by=("custom CA bundle",)),))
    assert severities(run(check, custom), check) == ["info"]
    assert run(check, custom, tgt=target(exposure="internal")) == []
    assert severities(run(check, custom, {"private_ca_severity": "medium"}), check) == ["medium"]


def test_must_staple_without_stapling_is_high() -> None:
    check = BY_ID["tls.ocsp_stapling_missing"]
    assert run(check, good_scan()) == []
    plain = good_scan(deployments=(deployment(ocsp_stapled=False, ocsp_status=None),))
    assert severities(run(check, plain), check) == ["info"]
    must = good_scan(deployments=(deployment(ocsp_stapled=False, must_staple=True),))
    assert severities(run(check, must), check) == ["high"]


def test_fallback_scsv_only_matters_while_legacy_versions_are_on() -> None:
    check = BY_ID["tls.fallback_scsv_missing"]
    with pytest.raises(Skip):
        run(check, good_scan(fallback_scsv=False))
    legacy = good_scan(fallback_scsv=False, protocols=protocols("TLS 1.0", "TLS 1.2", "TLS 1.3"))
    (issue,) = run(check, legacy)
    assert issue.details["legacy"] == ["TLS 1.0"]


def test_mozilla_profile_is_selectable() -> None:
    check = BY_ID["tls.mozilla_profile"]
    assert run(check, good_scan()) == []  # intermediate by default
    (issue,) = run(check, good_scan(), {"mozilla_profile": "modern"})
    assert issue.details["profile"] == "modern"
    assert issue.details["deviations"][0]["criterion"] == "tls_versions"
    with pytest.raises(ValueError, match="must be one of"):
        run(check, good_scan(), {"mozilla_profile": "strict"})


def test_grade_fail_below_setting_raises_severity() -> None:
    check = BY_ID["tls.grade"]
    scan = good_scan(protocols=protocols("TLS 1.0", "TLS 1.2", "TLS 1.3"))
    assert severities(run(check, scan), check) == ["info"]
    assert severities(run(check, scan, {"fail_below": "A"}), check) == ["high"]


@pytest.mark.parametrize("host, dns, ips, expected", [
    ("www.example.go.id", ("www.example.go.id",), (), True),
    ("WWW.Example.go.id.", ("www.example.go.id",), (), True),
    ("www.example.go.id", ("*.example.go.id",), (), True),
    ("a.b.example.go.id", ("*.example.go.id",), (), False),  # one label only
    ("example.go.id", ("*.example.go.id",), (), False),  # not the apex
    ("x.go.id", ("*.go.id",), (), True),
    ("anything", ("*",), (), False),
    ("192.0.2.10", ("192.0.2.10",), (), False),  # an IP needs an IP SAN
    ("192.0.2.10", (), ("192.0.2.10",), True),
    ("2001:db8::1", (), ("2001:db8:0:0::1",), True),
    ("www.example.go.id", (), (), False),  # CN-only certificates do not match
])
def test_hostname_matching(host: str, dns: tuple[str, ...], ips: tuple[str, ...],
                           expected: bool) -> None:
    assert hostname_matches(host, cert(dns_names=dns, ip_addresses=ips)) is expected


def test_weak_dh_below_1024_is_high() -> None:
    weak = suite("TLS 1.2", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", ephemeral_type="DH",
                 ephemeral_size=768)
    check = BY_ID["tls.weak_dh"]
    assert severities(run(check, good_scan(suites=(*GOOD_SUITES, weak))), check) == ["high"]


def test_importing_the_checks_does_not_import_sslyze() -> None:
    code = ("import sys, egov_audit, egov_audit.checks.tls, egov_audit.probes.tls; "
            "assert 'sslyze' not in sys.modules, 'sslyze imported'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
