"""tls.dh_composite_group"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan, suite_list
from ._dh import MAX_TESTED_BITS, fingerprint, groups, untested
from ._suites import require_suites

FFDHE_REMEDIATION = """
        Replace the DH parameters with a well-known safe-prime group, the RFC 7919
        ffdhe2048 group or larger (or drop DHE suites and keep ECDHE):
          nginx:  ssl_dhparam /etc/nginx/ffdhe2048.pem;   (from https://ssl-config.mozilla.org/ffdhe2048.txt)
          Apache: SSLOpenSSLConfCmd DHParameters "/etc/ssl/ffdhe2048.pem"
          Java:   jdk.tls.namedGroups="x25519,secp256r1,ffdhe2048"
        Never generate DH parameters with a tool that does not check primality,
        and never copy parameters from an unknown source.
"""


@check(
    id="tls.dh_composite_group",
    title="The server's Diffie-Hellman modulus is not a prime number",
    severity=Severity.HIGH,
    cwe=(326, 327),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation=FFDHE_REMEDIATION,
    references=(
        "https://www.rfc-editor.org/rfc/rfc7919",
        "https://eprint.iacr.org/2016/995",
        "https://weakdh.org/",
    ),
    tags=("cipher",),
)
def dh_composite_group(ctx: CheckContext) -> Iterator[Issue]:
    """Diffie-Hellman is only as hard as the discrete logarithm modulo p; when p
    is composite the problem splits into its factors' much smaller ones, and a
    composite modulus is also the mark of a deliberately backdoored group."""
    scan = get_scan(ctx)
    require_suites(scan)
    judged = groups(scan.suites)
    if not judged and untested(scan.suites):
        raise Skip("the DH suites' group was not observed by the probe")
    if judged and all(v.prime is None for v, _ in judged):
        raise Skip(f"the DH group is not a known one and larger than the {MAX_TESTED_BITS} "
                   "bits tested here")
    for verdict, used in judged:
        if verdict.prime is not False:
            continue
        yield Issue(
            key=fingerprint(used[0].dh_prime or 0)[:16],
            evidence=f"{scan.endpoint} uses a {verdict.bits}-bit DH modulus that is composite "
                     f"(a Miller-Rabin witness proves it) with {suite_list(used)}",
            details={"dh_bits": verdict.bits, "generator": verdict.generator,
                     "suites": [s.name for s in used]},
        )
