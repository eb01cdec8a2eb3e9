"""The sslyze → TlsScan conversion is total: any field missing or None degrades
only the checks that need it, never the whole endpoint.

The inputs are shaped like sslyze's result objects (attribute trees), with
hypothesis choosing, for every optional attribute, a usable value, ``None`` or
no attribute at all. The converter must always return a snapshot, and every
TLS check must then either judge it or skip with a reason.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from cryptography import x509
from egov_audit.checks.tls import CHECKS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov_audit.check import Skip
from egov_audit.demo.pki import CertificateAuthority
from egov_audit.probes.tls_chain import trust_anchors
from egov_audit.probes.tls_convert import to_snapshot
from egov_audit.probes.tls_model import TlsScan

from .snapshots import run, target

MISSING = object()  # the attribute is absent altogether


@lru_cache(maxsize=1)
def _chain() -> tuple[x509.Certificate, ...]:
    ca = CertificateAuthority.create("Total Conversion Test Root")
    issued = ca.intermediate("Total Conversion Test Intermediate").issue(["127.0.0.1"])
    return (issued.cert, *issued.chain)


def ns(**fields: Any) -> SimpleNamespace:
    return SimpleNamespace(**{k: v for k, v in fields.items() if v is not MISSING})


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A usable value, None, or no attribute at all."""
    return st.one_of(strategy, st.none(), st.just(MISSING))


def status(name: str) -> SimpleNamespace:
    return ns(name=name)


def attempt(result: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    completed = st.builds(lambda r: ns(status=status("COMPLETED"), result=r), maybe(result))
    failed = st.builds(lambda reason: ns(status=status("ERROR"), error_reason=reason,
                                         error_trace=None),
                       maybe(st.just(status("CONNECTIVITY_ISSUE"))))
    return st.one_of(completed, failed, st.just(ns(status=status("NOT_SCHEDULED"))),
                     st.none(), st.just(MISSING))


SUITE_NAMES = st.sampled_from([
    "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "TLS_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_DH_anon_WITH_AES_128_CBC_SHA",
])
EPHEMERAL = st.builds(
    ns, type_name=maybe(st.sampled_from(["DH", "ECDH"])), size=maybe(st.integers(0, 8192)),
    curve_name=maybe(st.just("X25519")),
    prime=maybe(st.sampled_from([bytes([0xFF] * 128), b"\x17", b""])),
    generator=maybe(st.just(b"\x02")),
)
ACCEPTED = st.builds(
    ns,
    cipher_suite=st.builds(ns, name=st.one_of(SUITE_NAMES, st.none()),
                           openssl_name=maybe(st.just("X")), key_size=maybe(st.integers(0, 256)),
                           is_anonymous=maybe(st.booleans())),
    ephemeral_key=maybe(EPHEMERAL),
)
SUITES = st.builds(ns, accepted_cipher_suites=maybe(st.lists(ACCEPTED, max_size=3)))
CURVES = st.builds(ns, supported_curves=maybe(st.lists(st.builds(ns, name=maybe(st.just("X25519"))),
                                                       max_size=2)))
DEPLOYMENT = st.builds(
    ns,
    received_certificate_chain=maybe(st.sampled_from([list(_chain()), list(_chain()[:1]), []])),
    path_validation_results=maybe(st.just([ns(trust_store=ns(name="Mozilla"),
                                              validation_error="unable to get issuer")])),
    ocsp_response=maybe(st.just(ns(response_status=MISSING))),
    received_chain_has_valid_order=maybe(st.booleans()),
    leaf_certificate_has_must_staple_extension=maybe(st.booleans()),
)
CERTS = st.builds(ns, certificate_deployments=maybe(st.lists(DEPLOYMENT, max_size=2)))


def flag(field: str) -> st.SearchStrategy[Any]:
    return attempt(st.builds(lambda v: ns(**{field: v}), maybe(st.booleans())))


SCAN_RESULT = st.builds(
    ns,
    ssl_2_0_cipher_suites=attempt(SUITES), ssl_3_0_cipher_suites=attempt(SUITES),
    tls_1_0_cipher_suites=attempt(SUITES), tls_1_1_cipher_suites=attempt(SUITES),
    tls_1_2_cipher_suites=attempt(SUITES), tls_1_3_cipher_suites=attempt(SUITES),
    elliptic_curves=attempt(CURVES),
    certificate_info=attempt(CERTS),
    heartbleed=flag("is_vulnerable_to_heartbleed"),
    openssl_ccs_injection=flag("is_vulnerable_to_ccs_injection"),
    tls_compression=flag("supports_compression"),
    tls_fallback_scsv=flag("supports_fallback_scsv"),
    tls_extended_master_secret=flag("supports_ems_extension"),
    robot=attempt(st.builds(ns, robot_result=maybe(st.just(status("NOT_VULNERABLE_NO_ORACLE"))))),
    session_renegotiation=attempt(st.builds(
        ns, supports_secure_renegotiation=maybe(st.booleans()),
        is_vulnerable_to_client_renegotiation_dos=maybe(st.booleans()))),
)
SERVER_RESULT = st.builds(
    ns,
    server_location=maybe(st.builds(ns, hostname=maybe(st.just("127.0.0.1")),
                                    port=maybe(st.just(443)),
                                    ip_address=maybe(st.just("127.0.0.1")))),
    network_configuration=maybe(st.builds(ns, tls_server_name_indication=maybe(
        st.just("127.0.0.1")))),
    scan_result=maybe(SCAN_RESULT),
)

ANCHORS = trust_anchors(None, public=[])
WHEN = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def convert(server_result: Any) -> TlsScan:
    return to_snapshot(server_result, ANCHORS, custom_ca=False, scanned_at=WHEN)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SERVER_RESULT)
def test_any_shape_converts_and_every_check_judges_or_skips_with_a_reason(result: Any) -> None:
    # Given an sslyze-shaped result with fields missing or None anywhere
    # When it is converted
    scan = convert(result)
    # Then there is a snapshot, and each check judges it or says why it cannot
    assert isinstance(scan, TlsScan)
    for check in CHECKS:
        try:
            run(check, scan, tgt=target(host=scan.host or "127.0.0.1"))
        except Skip as skip:
            assert skip.reason.strip(), check.id


@settings(max_examples=60, deadline=None)
@given(CURVES.filter(lambda c: getattr(c, "supported_curves", MISSING) is None), st.data())
def test_missing_curves_degrade_only_the_curve_field(curves: Any, data: st.DataObject) -> None:
    # Given a complete TLS 1.2 enumeration of static-RSA suites, and no curve list
    suites = ns(accepted_cipher_suites=[ns(cipher_suite=ns(
        name="TLS_RSA_WITH_AES_128_CBC_SHA", openssl_name="AES128-SHA", key_size=128,
        is_anonymous=False), ephemeral_key=None)])
    done = ns(status=status("COMPLETED"), result=suites)
    empty = ns(status=status("COMPLETED"), result=ns(accepted_cipher_suites=[]))
    sr = ns(tls_1_2_cipher_suites=done, elliptic_curves=ns(status=status("COMPLETED"),
                                                           result=curves),
            **{a: empty for a in ("ssl_2_0_cipher_suites", "ssl_3_0_cipher_suites",
                                  "tls_1_0_cipher_suites", "tls_1_1_cipher_suites",
                                  "tls_1_3_cipher_suites")})
    # When converted
    scan = convert(ns(server_location=ns(hostname="127.0.0.1", port=443, ip_address=None),
                      network_configuration=None, scan_result=sr))
    # Then the protocols and suites are all there and the suite checks judge them
    assert scan.curves == ()
    assert scan.accepted_protocols == ("TLS 1.2",)
    by_id = {c.id: c for c in CHECKS}
    assert run(by_id["tls.no_forward_secrecy"], scan)
    # while the certificate checks skip, each naming what was missing
    try:
        run(by_id["tls.cert_expired"], scan)
    except Skip as skip:
        assert "certificate_info" in skip.reason
    else:
        raise AssertionError("tls.cert_expired judged a scan without certificates")


def test_one_unreadable_suite_leaves_the_protocol_known_and_the_others_listed() -> None:
    good = ns(cipher_suite=ns(name="TLS_RSA_WITH_AES_128_CBC_SHA"), ephemeral_key=None)
    broken = ns(cipher_suite=ns(name=None))
    done = ns(status=status("COMPLETED"), result=ns(accepted_cipher_suites=[broken, good]))
    scan = convert(ns(scan_result=ns(tls_1_2_cipher_suites=done)))
    assert scan.protocols["TLS 1.2"] is True
    assert [s.name for s in scan.suites] == ["TLS_RSA_WITH_AES_128_CBC_SHA"]
    assert "tls_1_2_cipher_suites" in scan.errors
    assert scan.protocols["TLS 1.3"] is None and scan.errors["tls_1_3_cipher_suites"]
