"""Which protocols' suite lists are available to judge."""

from __future__ import annotations

from egov_audit.check import Skip
from egov_audit.probes.tls_model import PROTOCOLS, TlsScan


def require_suites(scan: TlsScan) -> None:
    """Skip when no protocol's suites could be enumerated; partial lists are
    judged as far as they go (errors are in the details)."""
    if not any(scan.protocol_known(p) for p in PROTOCOLS):
        raise Skip("no cipher suites could be enumerated: "
                   + "; ".join(f"{k}: {v}" for k, v in scan.errors.items()))
