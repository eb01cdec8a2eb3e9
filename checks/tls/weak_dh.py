"""tls.weak_dh"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan, suite_list
from ._dh import known_group
from ._suites import require_suites


@check(
    id="tls.weak_dh",
    title="The server uses finite-field Diffie-Hellman groups smaller than 2048 bits",
    severity=Severity.MEDIUM,
    cwe=(326,),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Prefer ECDHE and drop DHE suites; if DHE must stay, use the RFC 7919
        ffdhe2048 (or larger) group:
          nginx:  ssl_dhparam /etc/nginx/ffdhe2048.pem;   (from https://ssl-config.mozilla.org/ffdhe2048.txt)
          Apache: SSLOpenSSLConfCmd DHParameters "/etc/ssl/ffdhe2048.pem"
          IIS:    set ServerMinKeyBitLength=2048 (DWORD) under
                  SCHANNEL\\KeyExchangeAlgorithms\\Diffie-Hellman.
    """,
    references=(
        "https://weakdh.org/",
        "https://www.rfc-editor.org/rfc/rfc7919",
        "https://csrc.nist.gov/pubs/sp/800/52/r2/final",
    ),
    tags=("cipher",),
)
def weak_dh(ctx: CheckContext) -> Iterator[Issue]:
    """Diffie-Hellman groups below 2048 bits can be broken by well-funded
    attackers (Logjam showed 1024-bit groups within reach), exposing the
    sessions that rely on them."""
    scan = get_scan(ctx)
    require_suites(scan)
    weak = [s for s in scan.suites
            if s.ephemeral_type == "DH" and s.ephemeral_size is not None
            and s.ephemeral_size < 2048]
    if not weak:
        return
    smallest = min(s.ephemeral_size or 0 for s in weak)
    # A widely shared 1024-bit group (RFC 2409 group 2 above all) is the one a
    # single precomputation breaks for every server using it (Logjam).
    shared = sorted({k.label for s in weak if s.dh_prime is not None
                     and (k := known_group(s.dh_prime)) is not None})
    named = f" ({', '.join(shared)}, a group shared by many servers)" if shared else ""
    yield Issue(
        evidence=f"{scan.endpoint} negotiates a {smallest}-bit DH group{named} with "
                 f"{suite_list(weak)}",
        severity=Severity.HIGH if smallest < 1024 or (shared and smallest <= 1024) else None,
        details={"smallest_dh_bits": smallest, "well_known_groups": shared,
                 "suites": [{"protocol": s.protocol, "name": s.name,
                             "dh_bits": s.ephemeral_size} for s in weak]},
    )
