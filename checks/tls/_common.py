"""Helpers shared by the tls checks: getting the scan, naming suites and certificates."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from egov_audit.check import CheckContext, Skip
from egov_audit.datafiles import load_toml
from egov_audit.model import Severity
from egov_audit.probes.tls_model import (
    CertificateDeployment,
    CertificateInfo,
    CipherSuite,
    TlsScan,
)

NGINX_MOZILLA = "https://ssl-config.mozilla.org/"
# Mozilla "intermediate" TLS 1.2 suites (OpenSSL names), for remediation snippets.
GOOD_CIPHERS = ":".join((
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
))


def get_scan(ctx: CheckContext) -> TlsScan:
    scan = ctx.get(TlsScan)
    if scan.not_applicable:
        raise Skip(scan.not_applicable)
    return scan


def require(scan: TlsScan, *commands: str) -> None:
    """Skip, with sslyze's reason, when a scan command this check needs did not run."""
    failed = [f"{c}: {scan.errors[c]}" for c in commands if c in scan.errors]
    if failed:
        raise Skip("could not be tested (" + "; ".join(failed) + ")")


def deployments(scan: TlsScan) -> tuple[CertificateDeployment, ...]:
    require(scan, "certificate_info")
    if not scan.deployments:
        raise Skip("the server sent no certificate")
    return scan.deployments


def deployment_key(scan: TlsScan, index: int) -> str:
    """Issue key: empty for the usual single chain, the leaf key type otherwise."""
    if len(scan.deployments) < 2:
        return ""
    return f"{scan.deployments[index].leaf.key_type}#{index}"


def served_non_roots(dep: CertificateDeployment) -> Iterator[CertificateInfo]:
    """The leaf and intermediates the server sends; a self-signed root is the
    client's own copy that matters, so the one on the wire is not judged."""
    for cert in dep.received:
        if not cert.self_signed or cert is dep.leaf:
            yield cert


def suite_list(suites: Iterable[CipherSuite]) -> str:
    """'TLS 1.2: A, B; TLS 1.0: C' — suites by name, grouped by protocol."""
    grouped: dict[str, list[str]] = {}
    for s in suites:
        grouped.setdefault(s.protocol, [])
        if s.name not in grouped[s.protocol]:
            grouped[s.protocol].append(s.name)
    return "; ".join(f"{p}: {', '.join(names)}" for p, names in grouped.items())


def suites_detail(suites: Iterable[CipherSuite]) -> list[dict[str, object]]:
    return [
        {"protocol": s.protocol, "name": s.name, "openssl_name": s.openssl_name,
         "kex": s.kex, "ephemeral_size": s.ephemeral_size}
        for s in suites
    ]


# -- weak suite categories (data/ciphers.toml) ------------------------------------

@dataclass(frozen=True)
class Category:
    id: str
    label: str
    match: tuple[str, ...]
    severity: Severity
    grade_cap: str

    def covers(self, suite: CipherSuite) -> bool:
        return any(m in suite.name for m in self.match)


@lru_cache(maxsize=1)
def categories() -> tuple[Category, ...]:
    package = resources.files(__name__.rpartition(".")[0])
    data = load_toml(package.joinpath("data/ciphers.toml"), "cipher categories").data
    return tuple(
        Category(c["id"], c["label"], tuple(c["match"]), Severity.parse(c["severity"]),
                 c["grade_cap"])
        for c in data["category"]
    )


def weak_categories(suite: CipherSuite) -> tuple[Category, ...]:
    found = [c for c in categories() if c.covers(suite)]
    if suite.anonymous and not any(c.id == "anon" for c in found):
        found += [c for c in categories() if c.id == "anon"]
    return tuple(found)


# -- host names ------------------------------------------------------------------

def hostname_matches(host: str, cert: CertificateInfo) -> bool:
    """RFC 6125 as browsers apply it: SANs only (no CN fallback), a wildcard
    only as the whole left-most label and covering exactly one label, IP
    addresses only against IP SANs."""
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        ip = None
    if ip is not None:
        return any(_same_ip(ip, value) for value in cert.ip_addresses)
    name = _idna(host)
    for pattern in cert.dns_names:
        p = _idna(pattern)
        if p == name:
            return True
        if p.startswith("*.") and "*" not in p[2:] and p.count(".") >= 2:
            head, _, rest = name.partition(".")
            if head and rest == p[2:]:
                return True
    return False


def _same_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, value: str) -> bool:
    try:
        return ipaddress.ip_address(value) == ip
    except ValueError:
        return False


def _idna(name: str) -> str:
    name = name.strip().rstrip(".").lower()
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


def chain_details(dep: CertificateDeployment) -> dict[str, object]:
    """What every certificate finding carries: the leaf, the chain and its trust."""
    return {
        "leaf": dep.leaf.evidence(),
        "chain": [c.subject for c in dep.received],
        "trust": dep.trust,
        "trusted_by": list(dep.trusted_by),
    }


CERT_REFERENCES = (
    "https://www.rfc-editor.org/rfc/rfc5280",
    "https://cabforum.org/baseline-requirements/",
    "https://csrc.nist.gov/pubs/sp/800/52/r2/final",
)
