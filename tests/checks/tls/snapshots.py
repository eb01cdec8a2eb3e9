"""Recorded-style TLS snapshots for judging checks without a network.

``good_scan()`` mirrors what the probe recorded for the lab's "good" server
(TLS 1.2+1.3, Mozilla-intermediate suites, EC P-256 leaf + intermediate from
the test CA). Tests derive flawed variants with ``dataclasses.replace`` for
what no local server can show: Heartbleed, ROBOT, SSL 2.0, RC4, a SHA-1
intermediate, OCSP Must-Staple...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from egov_audit.check import Check, CheckContext, Issue
from egov_audit.model import Service, Target
from egov_audit.probes.tls_model import (
    PROTOCOLS,
    CertificateDeployment,
    CertificateInfo,
    CipherSuite,
    TlsScan,
)

SCANNED_AT = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
HOST = "layanan.example.go.id"


def cert(**overrides: Any) -> CertificateInfo:
    base = CertificateInfo(
        subject=f"CN={HOST}", issuer="CN=Example Intermediate CA", common_names=(HOST,),
        dns_names=(HOST,), ip_addresses=(),
        not_before=SCANNED_AT - dt.timedelta(days=10),
        not_after=SCANNED_AT + dt.timedelta(days=80),
        key_type="EC", key_size=256, curve="secp256r1",
        signature_algorithm="ecdsa-with-SHA256", signature_hash="sha256",
        sha256=":".join(["AB"] * 32), serial="1f2e", is_ca=False,
        self_issued=False, self_signed=False,
    )
    return replace(base, **overrides)


INTERMEDIATE = cert(subject="CN=Example Intermediate CA", issuer="CN=Example Root CA",
                    common_names=("Example Intermediate CA",), dns_names=(), is_ca=True,
                    not_after=SCANNED_AT + dt.timedelta(days=900), sha256=":".join(["CD"] * 32))


def deployment(*chain: CertificateInfo, **overrides: Any) -> CertificateDeployment:
    received = chain or (cert(), INTERMEDIATE)
    base = CertificateDeployment(
        received=received, path=received, trust="public", trusted_by=("Mozilla", "Apple"),
        untrusted_reason=None, missing_issuer=None, anchor_served=False, valid_order=True,
        ocsp_stapled=True, ocsp_status="SUCCESSFUL",
    )
    return replace(base, **overrides)


def suite(protocol: str, name: str, **overrides: Any) -> CipherSuite:
    from egov_audit.probes.tls_convert import kex_of

    kex = kex_of(name)
    base = CipherSuite(
        protocol=protocol, name=name, openssl_name=name, key_size=128,
        anonymous="_anon_" in name, kex=kex,
        ephemeral_type="ECDH" if kex in ("ECDHE", "TLS13") else None,
        ephemeral_size=256 if kex in ("ECDHE", "TLS13") else None,
    )
    return replace(base, **overrides)


GOOD_SUITES = (
    suite("TLS 1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
    suite("TLS 1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
    suite("TLS 1.3", "TLS_AES_128_GCM_SHA256"),
    suite("TLS 1.3", "TLS_AES_256_GCM_SHA384"),
)


def protocols(*accepted: str) -> dict[str, bool | None]:
    return {p: p in accepted for p in PROTOCOLS}


def good_scan(**overrides: Any) -> TlsScan:
    base = TlsScan(
        host=HOST, port=443, sni=HOST, ip_address="192.0.2.10", scanned_at=SCANNED_AT,
        protocols=protocols("TLS 1.2", "TLS 1.3"), suites=GOOD_SUITES,
        curves=("X25519", "secp256r1"), deployments=(deployment(),),
        heartbleed=False, ccs_injection=False, robot="NOT_VULNERABLE_RSA_NOT_SUPPORTED",
        secure_renegotiation=True, client_renegotiation_dos=False, compression=False,
        fallback_scsv=True, extended_master_secret=True,
        mozilla={"modern": (("tls_versions", "TLS versions {'TLSv1.2'} are supported, "
                                             "but should be rejected."),),
                 "intermediate": (), "old": ()},
    )
    return replace(base, **overrides)


def target(host: str = HOST, **service: Any) -> Target:
    return Target(spec=f"https://{host}/", host=host, http_url=None,
                  https_url=f"https://{host}/", service=Service(**service))


def run(check: Check, scan: TlsScan, settings: Mapping[str, Any] | None = None,
        tgt: Target | None = None) -> list[Issue]:
    ctx = CheckContext(tgt or target(), {TlsScan: scan}, settings or {}, needs=check.needs)
    return check.run(ctx)


def severities(issues: Iterable[Issue], check: Check) -> list[str]:
    return [(i.severity or check.meta.severity).value for i in issues]
