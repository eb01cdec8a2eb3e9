"""tls.no_forward_secrecy"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import GOOD_CIPHERS, NGINX_MOZILLA, get_scan, suite_list, suites_detail
from ._suites import require_suites


@check(
    id="tls.no_forward_secrecy",
    title="The server accepts cipher suites without forward secrecy (static RSA/DH key exchange)",
    severity=Severity.MEDIUM,
    cwe=(327,),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation=f"""
        Remove the suites whose key exchange is plain RSA (TLS_RSA_WITH_*, OpenSSL
        names without ECDHE/DHE such as AES128-SHA, AES256-GCM-SHA384) or static
        (EC)DH; keep ECDHE suites:
          nginx:  ssl_ciphers {GOOD_CIPHERS};
          Apache: SSLCipherSuite (same list)
          IIS:    remove TLS_RSA_WITH_* from the cipher suite order policy.
        Generator: {NGINX_MOZILLA}
    """,
    references=(
        "https://csrc.nist.gov/pubs/sp/800/52/r2/final",
        "https://robotattack.org/",
    ),
    tags=("cipher",),
)
def no_forward_secrecy(ctx: CheckContext) -> Iterator[Issue]:
    """With static RSA key exchange every recorded session can be decrypted later
    by whoever obtains the server's private key (a breach, a seizure, a backup),
    and the server is exposed to ROBOT-style oracles."""
    scan = get_scan(ctx)
    require_suites(scan)
    static = [s for s in scan.suites if not s.forward_secret and not s.anonymous]
    if not static:
        return
    fs_available = any(s.forward_secret for s in scan.suites)
    yield Issue(
        evidence=f"{scan.endpoint} accepts {len({s.name for s in static})} suite(s) without "
                 f"forward secrecy: {suite_list(static)}"
                 + ("" if fs_available else "; no forward-secret suite is offered at all"),
        details={"suites": suites_detail(static), "forward_secrecy_available": fs_available},
    )
