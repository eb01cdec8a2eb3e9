"""Who issued a chain nobody trusts: a missing intermediate, an unknown issuer,
or a known interception or development CA.

The probe reports a chain whose leaf's issuer is neither sent nor a known root
as ``MISSING_ISSUER``; that alone does not say which. Publicly trusted CAs
name where their certificate can be fetched (the AIA caIssuers URL, required of
them by the CA/Browser Forum baseline requirements), so a leaf that carries
one lacks an intermediate the server should send. A leaf without one was made
by a private or ad-hoc CA: the certificate itself must be replaced. A chain
leading to a CA in data/known_untrusted_cas.toml is named as such, whatever
else it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from egov_audit.datafiles import load_toml
from egov_audit.probes.tls_model import MISSING_ISSUER, CertificateDeployment, CertificateInfo

MISSING_INTERMEDIATE = "missing_intermediate"
UNKNOWN_ISSUER = "unknown_issuer"
KNOWN_UNTRUSTED_CA = "known_untrusted_ca"


@dataclass(frozen=True)
class KnownCa:
    id: str
    label: str
    kind: str  # interception | development
    names: tuple[str, ...]
    key_ids: tuple[str, ...]
    key_public: bool
    reference: str


@lru_cache(maxsize=1)
def known_cas() -> tuple[KnownCa, ...]:
    package = resources.files(__name__.rpartition(".")[0])
    data = load_toml(package.joinpath("data/known_untrusted_cas.toml"), "known CAs").data
    return tuple(
        KnownCa(c["id"], c["label"], c["kind"], tuple(n.casefold() for n in c["names"]),
                tuple(k.lower().replace(":", "") for k in c.get("key_ids", ())),
                bool(c.get("key_public", False)), c["reference"])
        for c in data["ca"]
    )


def _attribute_values(rfc4514: str) -> set[str]:
    """'CN=a,O=b\\, c' → {'a', 'b, c'}, casefolded. Escapes are undone only as far
    as matching needs; a name that does not parse matches nothing."""
    values: set[str] = set()
    current: list[str] = []
    escaped = False
    for ch in rfc4514[:2000]:  # names are short; a hostile one is cut
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in ",+":
            values.add("".join(current))
            current = []
        else:
            current.append(ch)
    values.add("".join(current))
    return {v.partition("=")[2].strip().casefold() for v in values if "=" in v}


def _matches(ca: KnownCa, cert: CertificateInfo) -> bool:
    names = _attribute_values(cert.subject) | _attribute_values(cert.issuer)
    if names & set(ca.names):
        return True
    ids = {cert.authority_key_id, cert.subject_key_id} - {None}
    return bool(ids & set(ca.key_ids))


def known_ca(dep: CertificateDeployment) -> KnownCa | None:
    """The known interception or development CA the chain leads to, if any."""
    for cert in (*dep.received, *dep.path):
        for ca in known_cas():
            if _matches(ca, cert):
                return ca
    return None


def issuer_problem(dep: CertificateDeployment) -> str | None:
    """For an untrusted chain whose issuer is missing: which problem it is."""
    if dep.trust != "none" or dep.untrusted_reason != MISSING_ISSUER:
        return None
    if known_ca(dep) is not None:
        return KNOWN_UNTRUSTED_CA
    last = dep.path[-1] if dep.path else dep.leaf
    return MISSING_INTERMEDIATE if last.aia_ca_issuers else UNKNOWN_ISSUER
