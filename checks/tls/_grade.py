"""An SSL Labs-like letter grade, from the snapshot alone.

The grade starts at A and every weakness found *caps* it (the grade is the
lowest cap); A+ is an uncapped endpoint that also offers only modern,
forward-secret AEAD suites with TLS 1.3. The table of caps is documented in
docs/tls.md; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from egov_audit.probes.tls_model import TlsScan

from ._common import hostname_matches, served_non_roots, weak_categories
from ._dh import groups
from ._issuer import MISSING_INTERMEDIATE, issuer_problem
from .cert_weak_key import too_weak
from .cert_weak_signature import weak_hash

GRADES = ("A+", "A", "A-", "B", "C", "D", "E", "F")


@dataclass(frozen=True)
class Cap:
    grade: str
    reason: str


def _protocol_caps(scan: TlsScan) -> Iterator[Cap]:
    accepted = set(scan.accepted_protocols)
    if "SSL 2.0" in accepted:
        yield Cap("F", "SSL 2.0 accepted")
    if "SSL 3.0" in accepted:
        yield Cap("C", "SSL 3.0 accepted")
    if accepted & {"TLS 1.0", "TLS 1.1"}:
        yield Cap("B", "TLS 1.0/1.1 accepted")
    if scan.protocols.get("TLS 1.2") is False:
        yield Cap("C", "TLS 1.2 not supported")
    if scan.protocols.get("TLS 1.3") is False:
        yield Cap("A-", "TLS 1.3 not supported")


def _suite_caps(scan: TlsScan) -> Iterator[Cap]:
    for suite in scan.suites:
        for cat in weak_categories(suite):
            yield Cap(cat.grade_cap, f"{cat.label} suite accepted ({suite.name})")
        if suite.ephemeral_type == "DH" and suite.ephemeral_size:
            if suite.ephemeral_size < 1024:
                yield Cap("F", f"DH group of {suite.ephemeral_size} bits")
            elif suite.ephemeral_size < 2048:
                yield Cap("B", f"DH group of {suite.ephemeral_size} bits")
    for verdict, _ in groups(scan.suites):
        if verdict.prime is False or verdict.smooth_generator:
            flaw = "composite modulus" if verdict.prime is False else "small-order generator"
            yield Cap("F", f"broken DH group ({verdict.bits}-bit, {flaw})")
        elif verdict.small_subgroups:
            yield Cap("B", "DH group with small subgroups (not a safe prime)")
    static = [s for s in scan.suites if not s.forward_secret and not s.anonymous]
    if scan.suites and not any(s.forward_secret for s in scan.suites):
        yield Cap("B", "no forward-secret suite offered")
    elif static:
        yield Cap("A-", "suites without forward secrecy accepted")


def _certificate_caps(scan: TlsScan, host: str) -> Iterator[Cap]:
    for dep in scan.deployments:
        leaf = dep.leaf
        if not hostname_matches(host, leaf):
            yield Cap("F", "certificate does not match the host name")
        if dep.trust == "none":
            if issuer_problem(dep) == MISSING_INTERMEDIATE:
                yield Cap("B", "incomplete certificate chain")
            else:
                yield Cap("F", f"certificate not trusted ({dep.untrusted_reason})")
        for cert in served_non_roots(dep):
            if cert.not_after < scan.scanned_at:
                yield Cap("F", "expired certificate in the chain")
            if cert.not_before > scan.scanned_at:
                yield Cap("F", "certificate not yet valid")
            if too_weak(cert):
                small = (cert.key_type == "RSA" and cert.key_size < 1024) or (
                    cert.key_type == "EC" and cert.key_size < 224)
                yield Cap("F" if small else "B",
                          f"{cert.key_type} {cert.key_size}-bit certificate key")
            digest = weak_hash(cert)
            if digest is not None:
                yield Cap("F", f"{digest.upper()}-signed certificate in the chain")


def _vulnerability_caps(scan: TlsScan) -> Iterator[Cap]:
    if scan.heartbleed:
        yield Cap("F", "Heartbleed")
    if scan.ccs_injection:
        yield Cap("F", "OpenSSL CCS injection")
    if scan.robot and scan.robot.startswith("VULNERABLE"):
        yield Cap("F", "ROBOT oracle")
    if scan.secure_renegotiation is False:
        yield Cap("C", "no secure renegotiation")
    if scan.compression:
        yield Cap("C", "TLS compression (CRIME)")
    legacy = {"SSL 3.0", "TLS 1.0", "TLS 1.1"} & set(scan.accepted_protocols)
    if legacy and scan.fallback_scsv is False:
        yield Cap("A-", "no TLS_FALLBACK_SCSV while legacy versions are on")


def caps(scan: TlsScan, host: str) -> list[Cap]:
    found: list[Cap] = []
    for source in (_protocol_caps(scan), _suite_caps(scan), _certificate_caps(scan, host),
                   _vulnerability_caps(scan)):
        for cap in source:
            if cap not in found:
                found.append(cap)
    return found


def plus_worthy(scan: TlsScan) -> bool:
    """A+: TLS 1.3, nothing older than 1.2, every suite forward-secret AEAD,
    extended master secret, no client-initiated renegotiation."""
    return (
        bool(scan.protocols.get("TLS 1.3"))
        and set(scan.accepted_protocols) <= {"TLS 1.2", "TLS 1.3"}
        and all(s.forward_secret and s.aead for s in scan.suites)
        and scan.extended_master_secret is not False
        and not scan.client_renegotiation_dos
    )


def grade(scan: TlsScan, host: str) -> tuple[str, list[Cap]]:
    found = caps(scan, host)
    if not found:
        return ("A+" if plus_worthy(scan) else "A"), found
    worst = max(found, key=lambda c: GRADES.index(c.grade))
    return worst.grade, found
