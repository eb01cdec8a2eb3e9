"""tls.weak_cipher_suites"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import GOOD_CIPHERS, NGINX_MOZILLA, get_scan, suite_list, weak_categories
from ._suites import require_suites


@check(
    id="tls.weak_cipher_suites",
    title="The server accepts broken cipher suites (NULL, EXPORT, anonymous, RC4, DES, 3DES, MD5)",
    severity=Severity.HIGH,
    cwe=(327, 326),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation=f"""
        Offer only AEAD suites with ECDHE key exchange (the Mozilla "intermediate" list):
          nginx:  ssl_ciphers {GOOD_CIPHERS};
                  ssl_prefer_server_ciphers off;
          Apache: SSLCipherSuite (same list); SSLHonorCipherOrder off
          IIS:    set the TLS cipher suite order policy (gpedit: Network > SSL
                  Configuration Settings) or IIS Crypto's "Best Practices" template,
                  and disable the RC4, DES, 3DES and NULL ciphers under SCHANNEL\\Ciphers.
        Generator: {NGINX_MOZILLA}
    """,
    references=(
        "https://www.rfc-editor.org/rfc/rfc7465",
        "https://sweet32.info/",
        "https://csrc.nist.gov/pubs/sp/800/52/r2/final",
        "https://cyber.dhs.gov/bod/18-01/",
    ),
    tags=("cipher",),
)
def weak_cipher_suites(ctx: CheckContext) -> Iterator[Issue]:
    """Suites without encryption (NULL), without server authentication
    (anonymous), with export-grade or 56-bit keys, RC4, 64-bit-block 3DES or MD5
    let an attacker read or alter traffic, or impersonate the server."""
    scan = get_scan(ctx)
    require_suites(scan)
    offending = [(s, weak_categories(s)) for s in scan.suites]
    offending = [(s, cats) for s, cats in offending if cats]
    if not offending:
        return
    by_category: dict[str, list[str]] = {}
    worst = Severity.INFO
    for suite, cats in offending:
        for cat in cats:
            names = by_category.setdefault(cat.label, [])
            if suite.name not in names:
                names.append(suite.name)
            worst = cat.severity if cat.severity.rank > worst.rank else worst
    summary = "; ".join(f"{label}: {', '.join(names)}" for label, names in by_category.items())
    suites = [s for s, _ in offending]
    yield Issue(
        evidence=f"{scan.endpoint} accepts {len({s.name for s in suites})} weak suite(s) — "
                 f"{summary} (by protocol: {suite_list(suites)})",
        severity=worst,
        details={
            "categories": {k: v for k, v in by_category.items()},
            "suites": [{"protocol": s.protocol, "name": s.name,
                        "categories": [c.id for c in cats]} for s, cats in offending],
            "untested": dict(scan.errors),
        },
    )
