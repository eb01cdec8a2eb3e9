"""sslyze's result for one server → the frozen :class:`TlsScan` checks read.

Imported only when a scan has run, so sslyze stays out of ``import egov_audit``.
Every scan command that did not complete leaves ``None`` in its field and a
reason in ``TlsScan.errors``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .tls_chain import TrustAnchors, describe, judge_chain
from .tls_model import PROTOCOLS, CertificateDeployment, CipherSuite, TlsScan

# sslyze attribute per protocol name, in PROTOCOLS order.
_SUITE_COMMANDS = dict(zip(PROTOCOLS, (
    "ssl_2_0_cipher_suites", "ssl_3_0_cipher_suites", "tls_1_0_cipher_suites",
    "tls_1_1_cipher_suites", "tls_1_2_cipher_suites", "tls_1_3_cipher_suites",
), strict=True))

MOZILLA_PROFILES = ("modern", "intermediate", "old")


def kex_of(iana_name: str) -> str:
    """Key exchange of a suite from its IANA name (TLS 1.3 suites carry none)."""
    if iana_name.startswith("SSL_CK_"):
        return "RSA"  # SSL 2.0 only had RSA key transport
    if "_WITH_" not in iana_name:
        return "TLS13"
    tokens = iana_name.split("_WITH_")[0].split("_")[1:]
    if not tokens:
        return "other"
    if "anon" in tokens:  # anonymous DH is ephemeral, just unauthenticated
        return "DHE" if tokens[0] == "DH" else "ECDHE"
    return tokens[0] if tokens[0] in ("ECDHE", "DHE", "RSA", "ECDH", "DH", "PSK", "SRP") \
        else "other"


def _completed(attempt: Any, name: str, errors: dict[str, str]) -> Any:
    """The attempt's result, or None with the reason recorded."""
    status = getattr(attempt.status, "name", str(attempt.status))
    if status == "COMPLETED":
        return attempt.result
    if status == "ERROR":
        reason = getattr(attempt.error_reason, "name", str(attempt.error_reason))
        trace = attempt.error_trace
        detail = f": {trace.exc_type.__name__}: {trace}" if trace is not None else ""
        errors[name] = f"{reason.lower().replace('_', ' ')}{detail}"[:300]
    else:
        errors[name] = "not scheduled"
    return None


def _suite(protocol: str, accepted: Any) -> CipherSuite:
    cs = accepted.cipher_suite
    key = accepted.ephemeral_key
    return CipherSuite(
        protocol=protocol,
        name=cs.name,
        openssl_name=cs.openssl_name,
        key_size=cs.key_size,
        anonymous=cs.is_anonymous,
        kex=kex_of(cs.name),
        ephemeral_type=getattr(key, "type_name", None),
        ephemeral_size=getattr(key, "size", None),
        ephemeral_curve=getattr(key, "curve_name", None),
    )


def _deployment(dep: Any, anchors: TrustAnchors) -> CertificateDeployment:
    received = list(dep.received_certificate_chain)
    verdict = judge_chain(received, anchors)
    errors = {
        _store_name(r.trust_store): r.validation_error or "ok"
        for r in dep.path_validation_results
    }
    ocsp = dep.ocsp_response
    return CertificateDeployment(
        received=tuple(describe(c) for c in received),
        path=tuple(describe(c) for c in verdict.path),
        trust=verdict.trust,
        trusted_by=verdict.trusted_by,
        untrusted_reason=verdict.untrusted_reason,
        missing_issuer=verdict.missing_issuer,
        anchor_served=verdict.anchor_served,
        valid_order=dep.received_chain_has_valid_order,
        validation_errors=errors,
        ocsp_stapled=ocsp is not None,
        ocsp_status=getattr(getattr(ocsp, "response_status", None), "name", None),
        must_staple=bool(dep.leaf_certificate_has_must_staple_extension),
    )


def _store_name(store: Any) -> str:
    name = str(getattr(store, "name", store))
    return "custom CA bundle" if name.lower().startswith("supplied") else name


def _mozilla(server_result: Any) -> tuple[dict[str, tuple[tuple[str, str], ...]],
                                          dict[str, str]]:
    from sslyze.mozilla_tls_profile.tls_config_checker import (
        MozillaTlsConfiguration,
        ServerNotCompliantWithTlsConfiguration,
        ServerScanResultIncomplete,
        TlsConfigurationEnum,
        check_server_against_tls_configuration,
    )

    deviations: dict[str, tuple[tuple[str, str], ...]] = {}
    errors: dict[str, str] = {}
    for profile in MOZILLA_PROFILES:
        config = MozillaTlsConfiguration.get(TlsConfigurationEnum[f"MOZILLA_{profile.upper()}"])
        try:
            check_server_against_tls_configuration(server_result, config)
            deviations[profile] = ()
        except ServerNotCompliantWithTlsConfiguration as exc:
            deviations[profile] = tuple(sorted(exc.issues.items()))
        except ServerScanResultIncomplete as exc:
            errors[profile] = str(exc)
    return deviations, errors


def to_snapshot(server_result: Any, anchors: TrustAnchors, *, custom_ca: bool,
                scanned_at: dt.datetime | None = None) -> TlsScan:
    """Convert a COMPLETED sslyze ServerScanResult."""
    loc = server_result.server_location
    net = server_result.network_configuration
    sr = server_result.scan_result
    errors: dict[str, str] = {}

    protocols: dict[str, bool | None] = {}
    suites: list[CipherSuite] = []
    for protocol, attr in _SUITE_COMMANDS.items():
        result = _completed(getattr(sr, attr), attr, errors)
        if result is None:
            protocols[protocol] = None
            continue
        protocols[protocol] = bool(result.accepted_cipher_suites)
        suites.extend(_suite(protocol, a) for a in result.accepted_cipher_suites)

    curves_result = _completed(sr.elliptic_curves, "elliptic_curves", errors)
    cert_result = _completed(sr.certificate_info, "certificate_info", errors)
    deployments = tuple(
        _deployment(d, anchors) for d in (cert_result.certificate_deployments if cert_result
                                          else ())
    )

    def flag(attr: str, field: str) -> Any:
        result = _completed(getattr(sr, attr), attr, errors)
        return None if result is None else getattr(result, field)

    robot = flag("robot", "robot_result")
    reneg = _completed(sr.session_renegotiation, "session_renegotiation", errors)
    mozilla, mozilla_errors = _mozilla(server_result)
    return TlsScan(
        host=loc.hostname,
        port=loc.port,
        sni=net.tls_server_name_indication,
        ip_address=loc.ip_address or loc.hostname,
        scanned_at=scanned_at or dt.datetime.now(dt.UTC),
        protocols=protocols,
        suites=tuple(suites),
        # sslyze says None, not [], when the server offers no ECDH at all.
        curves=tuple(c.name for c in curves_result.supported_curves or ()) if curves_result
        else None,
        deployments=deployments,
        heartbleed=flag("heartbleed", "is_vulnerable_to_heartbleed"),
        ccs_injection=flag("openssl_ccs_injection", "is_vulnerable_to_ccs_injection"),
        robot=robot.name if robot is not None else None,
        secure_renegotiation=reneg.supports_secure_renegotiation if reneg else None,
        client_renegotiation_dos=reneg.is_vulnerable_to_client_renegotiation_dos if reneg
        else None,
        compression=flag("tls_compression", "supports_compression"),
        fallback_scsv=flag("tls_fallback_scsv", "supports_fallback_scsv"),
        extended_master_secret=flag("tls_extended_master_secret", "supports_ems_extension"),
        custom_ca=custom_ca,
        errors=errors,
        mozilla=mozilla,
        mozilla_errors=mozilla_errors,
    )
