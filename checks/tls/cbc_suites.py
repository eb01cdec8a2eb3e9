"""tls.cbc_suites"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import CipherSuite, TlsScan

from ._common import (
    GOOD_CIPHERS,
    NGINX_MOZILLA,
    get_scan,
    suite_list,
    suites_detail,
    weak_categories,
)
from ._suites import require_suites


def is_cbc(suite: CipherSuite) -> bool:
    return "_CBC_" in suite.name


@check(
    id="tls.cbc_suites",
    title="The server accepts CBC-mode cipher suites",
    severity=Severity.LOW,
    cwe=(327,),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation=f"""
        Offer only AEAD suites (AES-GCM, ChaCha20-Poly1305) and TLS 1.3; remove the
        *-CBC-* / *-SHA / *-SHA256 / *-SHA384 suites (OpenSSL names such as
        AES128-SHA, ECDHE-RSA-AES256-SHA384):
          nginx:  ssl_ciphers {GOOD_CIPHERS};
          Apache: SSLCipherSuite (same list)
          IIS:    remove the *_CBC_* suites from the cipher suite order policy.
        Keep a CBC suite only while an inventoried legacy client still needs it.
        Generator: {NGINX_MOZILLA}
    """,
    references=(
        "https://www.rfc-editor.org/rfc/rfc7457",
        "https://csrc.nist.gov/pubs/sp/800/52/r2/final",
        "https://wiki.mozilla.org/Security/Server_Side_TLS",
    ),
    tags=("cipher",),
)
def cbc_suites(ctx: CheckContext) -> Iterator[Issue]:
    """TLS's CBC mode authenticates before it encrypts, and its padding check has
    been a timing oracle again and again (Lucky Thirteen, POODLE TLS, the
    Zombie/GOLDENDOODLE families in appliances); under TLS 1.0 it is also open to
    BEAST. AEAD suites have none of these flaws."""
    scan = get_scan(ctx)
    require_suites(scan)
    # Suites weak for another reason (3DES, DES, export, NULL...) are
    # tls.weak_cipher_suites' finding; counted once, there.
    cbc = [s for s in scan.suites if is_cbc(s) and not weak_categories(s)]
    if not cbc:
        return
    aead_available = any(s.aead for s in scan.suites)
    legacy = sorted({s.protocol for s in cbc if s.protocol in ("SSL 3.0", "TLS 1.0")})
    reasons = []
    if not aead_available:
        reasons.append("no AEAD suite is offered, so every client uses CBC")
    if legacy:
        reasons.append(f"CBC under {' and '.join(legacy)} is open to BEAST-style attacks")
    yield Issue(
        evidence=f"{scan.endpoint} accepts {len({s.name for s in cbc})} CBC suite(s): "
                 f"{suite_list(cbc)}" + (f"; {'; '.join(reasons)}" if reasons else ""),
        severity=Severity.MEDIUM if reasons else None,
        details={"suites": suites_detail(cbc), "aead_available": aead_available},
    )
