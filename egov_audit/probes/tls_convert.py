"""sslyze's result for one server → the frozen :class:`TlsScan` checks read.

Imported only when a scan has run, so sslyze stays out of ``import egov_audit``.

The conversion is total: sslyze's result types change between releases, and a
server can drive them into shapes nobody tested (``supported_curves`` is None,
not ``[]``, when a server offers no ECDH at all). So every scan command is read
on its own, and whatever cannot be read leaves ``None`` (or an empty tuple) in
its field with the reason in ``TlsScan.errors``: only the checks that need that
part skip, each saying why, and the rest of the endpoint is still judged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from .tls_chain import TrustAnchors, deployment
from .tls_model import PROTOCOLS, CertificateDeployment, CipherSuite, TlsScan

T = TypeVar("T")

# sslyze attribute per protocol name, in PROTOCOLS order.
_SUITE_COMMANDS = dict(zip(PROTOCOLS, (
    "ssl_2_0_cipher_suites", "ssl_3_0_cipher_suites", "tls_1_0_cipher_suites",
    "tls_1_1_cipher_suites", "tls_1_2_cipher_suites", "tls_1_3_cipher_suites",
), strict=True))

MOZILLA_PROFILES = ("modern", "intermediate", "old")
# A DH prime larger than this is not kept: no real server sends one, and a
# hostile one would only make the primality test in the checks slow.
MAX_DH_BYTES = 2048  # 16384 bits


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


def _unreadable(exc: BaseException) -> str:
    return f"cannot read the result: {type(exc).__name__}: {exc}"[:300]


def _guarded(name: str, errors: dict[str, str], read: Callable[..., T], *args: Any
             ) -> T | None:
    """``read(*args)``, or None with the reason under ``name`` when the result has
    a shape this code does not know."""
    try:
        return read(*args)
    except Exception as exc:
        errors[name] = _unreadable(exc)
        return None


def _completed(attempt: Any, name: str, errors: dict[str, str]) -> Any:
    """The attempt's result, or None with the reason recorded."""
    if attempt is None:
        errors[name] = "no result"
        return None
    status = getattr(attempt, "status", None)
    status = getattr(status, "name", str(status))
    if status == "COMPLETED":
        result = getattr(attempt, "result", None)
        if result is None:
            errors[name] = "completed without a result"
        return result
    if status == "ERROR":
        reason = getattr(attempt, "error_reason", None)
        reason = str(getattr(reason, "name", reason))
        trace = getattr(attempt, "error_trace", None)
        detail = f": {trace.exc_type.__name__}: {trace}" if trace is not None else ""
        errors[name] = f"{reason.lower().replace('_', ' ')}{detail}"[:300]
    else:
        errors[name] = "not scheduled"
    return None


def _items(value: Any) -> list[Any]:
    """A list from a field sslyze may leave None."""
    return [] if value is None else list(value)


def _big_int(value: Any) -> int | None:
    if not isinstance(value, bytes | bytearray | memoryview) or not 0 < len(value) <= MAX_DH_BYTES:
        return None
    return int.from_bytes(bytes(value), "big")


def _suite(protocol: str, accepted: Any) -> CipherSuite:
    cs = accepted.cipher_suite
    name = cs.name
    if not isinstance(name, str) or not name:
        raise ValueError(f"a cipher suite without a name: {name!r}")
    key = getattr(accepted, "ephemeral_key", None)
    size = getattr(key, "size", None)
    kind = getattr(key, "type_name", None)
    return CipherSuite(
        protocol=protocol,
        name=name,
        openssl_name=str(getattr(cs, "openssl_name", None) or name),
        key_size=int(getattr(cs, "key_size", None) or 0),
        anonymous=bool(getattr(cs, "is_anonymous", "_anon_" in name)),
        kex=kex_of(name),
        ephemeral_type=kind if isinstance(kind, str) else None,
        ephemeral_size=size if isinstance(size, int) else None,
        ephemeral_curve=getattr(key, "curve_name", None),
        dh_prime=_big_int(getattr(key, "prime", None)),
        dh_generator=_big_int(getattr(key, "generator", None)),
    )


def _accepted(result: Any) -> list[Any]:
    return _items(result.accepted_cipher_suites)


def _suites(sr: Any, errors: dict[str, str]
            ) -> tuple[dict[str, bool | None], list[CipherSuite]]:
    protocols: dict[str, bool | None] = {}
    suites: list[CipherSuite] = []
    for protocol, attr in _SUITE_COMMANDS.items():
        result = _completed(getattr(sr, attr, None), attr, errors)
        accepted = _guarded(attr, errors, _accepted, result) if result is not None else None
        if accepted is None:
            protocols[protocol] = None
            continue
        protocols[protocol] = bool(accepted)
        for item in accepted:
            # One unreadable suite leaves the protocol's list partial, not unknown:
            # the protocol was accepted either way.
            converted = _guarded(attr, errors, _suite, protocol, item)
            if converted is not None:
                suites.append(converted)
    return protocols, suites


def _deployment(dep: Any, anchors: TrustAnchors) -> CertificateDeployment:
    received = _items(dep.received_certificate_chain)
    if not received:
        raise ValueError("the certificate chain is empty")
    errors = {
        _store_name(getattr(r, "trust_store", "unknown store")):
            getattr(r, "validation_error", None) or "ok"
        for r in _items(getattr(dep, "path_validation_results", None))
    }
    ocsp = getattr(dep, "ocsp_response", None)
    valid_order = getattr(dep, "received_chain_has_valid_order", None)
    return deployment(
        received, anchors,
        valid_order=valid_order if isinstance(valid_order, bool) else None,
        validation_errors=errors,
        ocsp_stapled=ocsp is not None,
        ocsp_status=getattr(getattr(ocsp, "response_status", None), "name", None),
        must_staple=bool(getattr(dep, "leaf_certificate_has_must_staple_extension", False)),
    )


def _deployments(sr: Any, anchors: TrustAnchors, errors: dict[str, str]
                 ) -> tuple[CertificateDeployment, ...]:
    result = _completed(getattr(sr, "certificate_info", None), "certificate_info", errors)
    if result is None:
        return ()
    raw = _guarded("certificate_info", errors, lambda: _items(result.certificate_deployments))
    done: list[CertificateDeployment] = []
    problems: list[str] = []
    for dep in raw or ():
        try:
            done.append(_deployment(dep, anchors))
        except Exception as exc:
            problems.append(_unreadable(exc))
    if problems and not done:
        errors["certificate_info"] = problems[0]
    elif problems:
        # The chains that were read are judged; which one was not is said here.
        errors["certificate_info (other chains)"] = "; ".join(problems)[:300]
    return tuple(done)


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
            deviations[profile] = tuple(sorted((str(k), _ordered_sets(str(v)))
                                               for k, v in exc.issues.items()))
        except ServerScanResultIncomplete as exc:
            errors[profile] = str(exc)
        except Exception as exc:  # sslyze's checker tripping on a shape it did not expect
            errors[profile] = f"the profile checker failed: {type(exc).__name__}: {exc}"[:300]
    return deviations, errors


# sslyze words some deviations with a Python set ("{'TLSv1', 'TLSv1.1'}"), whose
# order changes from one process to the next: sorted, the evidence (and so a
# signed report) is the same on every run. [^{}] stops at the next brace, so
# the search stays linear.
_SET_LITERAL = re.compile(r"\{([^{}]{1,4096})\}")


def _ordered_sets(text: str) -> str:
    return _SET_LITERAL.sub(lambda m: "{" + ", ".join(sorted(m.group(1).split(", "))) + "}", text)


def _flag(sr: Any, attr: str, field: str, errors: dict[str, str]) -> Any:
    result = _completed(getattr(sr, attr, None), attr, errors)
    if result is None:
        return None
    value = _guarded(attr, errors, lambda: getattr(result, field))
    return value


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _names(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(n for v in values if isinstance(n := getattr(v, "name", None), str))


def to_snapshot(server_result: Any, anchors: TrustAnchors, *, custom_ca: bool,
                scanned_at: dt.datetime | None = None) -> TlsScan:
    """Convert a COMPLETED sslyze ServerScanResult."""
    loc = getattr(server_result, "server_location", None)
    net = getattr(server_result, "network_configuration", None)
    sr = getattr(server_result, "scan_result", None)
    errors: dict[str, str] = {}
    host = str(getattr(loc, "hostname", None) or "")
    port = getattr(loc, "port", None)

    protocols, suites = _suites(sr, errors)
    curves_result = _completed(getattr(sr, "elliptic_curves", None), "elliptic_curves", errors)
    # sslyze says None, not [], when the server offers no ECDH at all.
    curves = _guarded("elliptic_curves", errors,
                      lambda: _names(_items(curves_result.supported_curves))) \
        if curves_result is not None else None
    deployments = _deployments(sr, anchors, errors)
    robot = _flag(sr, "robot", "robot_result", errors)
    reneg = _completed(getattr(sr, "session_renegotiation", None), "session_renegotiation",
                       errors)
    try:
        mozilla, mozilla_errors = _mozilla(server_result)
    except Exception as exc:
        mozilla, mozilla_errors = {}, {p: _unreadable(exc) for p in MOZILLA_PROFILES}
    return TlsScan(
        host=host,
        port=port if isinstance(port, int) else 0,
        sni=str(getattr(net, "tls_server_name_indication", None) or host),
        ip_address=str(getattr(loc, "ip_address", None) or host),
        scanned_at=scanned_at or dt.datetime.now(dt.UTC),
        protocols=protocols,
        suites=tuple(suites),
        curves=curves,
        deployments=deployments,
        heartbleed=_bool(_flag(sr, "heartbleed", "is_vulnerable_to_heartbleed", errors)),
        ccs_injection=_bool(_flag(sr, "openssl_ccs_injection", "is_vulnerable_to_ccs_injection",
                                  errors)),
        robot=robot_name if isinstance(robot_name := getattr(robot, "name", None), str)
        else None,
        secure_renegotiation=_bool(getattr(reneg, "supports_secure_renegotiation", None)),
        client_renegotiation_dos=_bool(
            getattr(reneg, "is_vulnerable_to_client_renegotiation_dos", None)),
        compression=_bool(_flag(sr, "tls_compression", "supports_compression", errors)),
        fallback_scsv=_bool(_flag(sr, "tls_fallback_scsv", "supports_fallback_scsv", errors)),
        extended_master_secret=_bool(_flag(sr, "tls_extended_master_secret",
                                           "supports_ems_extension", errors)),
        custom_ca=custom_ca,
        errors=errors,
        mozilla=mozilla,
        mozilla_errors=mozilla_errors,
    )
