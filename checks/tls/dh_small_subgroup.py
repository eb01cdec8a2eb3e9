"""tls.dh_small_subgroup"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import get_scan, suite_list
from ._dh import MAX_TESTED_BITS, fingerprint, groups, untested
from ._suites import require_suites
from .dh_composite_group import FFDHE_REMEDIATION


@check(
    id="tls.dh_small_subgroup",
    title="The server's Diffie-Hellman group has small subgroups (not a safe prime)",
    severity=Severity.MEDIUM,
    cwe=(326, 327),
    needs=(TlsScan,),
    confidence=Confidence.FIRM,
    remediation=FFDHE_REMEDIATION,
    references=(
        "https://eprint.iacr.org/2016/995",
        "https://www.rfc-editor.org/rfc/rfc7919",
        "https://www.rfc-editor.org/rfc/rfc2785",
    ),
    tags=("cipher",),
)
def dh_small_subgroup(ctx: CheckContext) -> Iterator[Issue]:
    """When p-1 has small factors, a client can send a public key of small order
    and learn the server's secret exponent piece by piece if the server reuses
    it (many TLS stacks do); when the server's own generator has small order,
    every session key can be computed by anyone who records the handshake."""
    scan = get_scan(ctx)
    require_suites(scan)
    judged = groups(scan.suites)
    if not judged and untested(scan.suites):
        raise Skip("the DH suites' group was not observed by the probe")
    if judged and all(v.prime is None for v, _ in judged):
        raise Skip(f"the DH group is not a known one and larger than the {MAX_TESTED_BITS} "
                   "bits tested here")
    for verdict, used in judged:
        if verdict.smooth_generator:
            why = (f"its generator {verdict.generator} has an order made only of small "
                   f"primes, so every exchange can be solved factor by factor")
            severity: Severity | None = Severity.HIGH
        elif verdict.small_subgroups:
            shown = ", ".join(map(str, verdict.small_factors[:8])) or "none below 65536"
            why = (f"the prime is not a safe prime, so p-1 has subgroups a client can "
                   f"confine keys to (small factors of p-1: {shown})")
            severity = None
        else:
            continue
        yield Issue(
            key=fingerprint(used[0].dh_prime or 0)[:16],
            evidence=f"{scan.endpoint} uses {verdict.name}: {why}; suites {suite_list(used)}",
            severity=severity,
            details={"dh_bits": verdict.bits, "generator": verdict.generator,
                     "small_factors": list(verdict.small_factors[:16]),
                     "suites": [s.name for s in used]},
        )
