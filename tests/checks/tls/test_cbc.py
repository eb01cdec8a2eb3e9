"""tls.cbc_suites on snapshots; the live static-RSA nginx case is in test_nginx.py."""

from __future__ import annotations

from egov_audit.checks.tls import CHECKS

from .snapshots import GOOD_SUITES, good_scan, protocols, run, severities, suite

CBC = {c.id: c for c in CHECKS}["tls.cbc_suites"]


def test_no_cbc_no_finding() -> None:
    assert run(CBC, good_scan()) == []


def test_cbc_beside_aead_is_low() -> None:
    scan = good_scan(suites=(*GOOD_SUITES, suite("TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")))
    (issue,) = run(CBC, scan)
    assert severities([issue], CBC) == ["low"]
    assert issue.details["aead_available"] is True


def test_cbc_only_or_under_tls_1_0_is_medium() -> None:
    only = good_scan(suites=(suite("TLS 1.2", "TLS_RSA_WITH_AES_128_CBC_SHA"),),
                     protocols=protocols("TLS 1.2"))
    (issue,) = run(CBC, only)
    assert severities([issue], CBC) == ["medium"] and "no AEAD" in issue.evidence
    tls10 = good_scan(suites=(*GOOD_SUITES, suite("TLS 1.0", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")))
    (issue,) = run(CBC, tls10)
    assert severities([issue], CBC) == ["medium"] and "BEAST" in issue.evidence


def test_3des_is_left_to_weak_cipher_suites() -> None:
    scan = good_scan(suites=(*GOOD_SUITES, suite("TLS 1.2", "TLS_RSA_WITH_3DES_EDE_CBC_SHA")))
    assert run(CBC, scan) == []
