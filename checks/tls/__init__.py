"""Family tls (being built)."""

from egov_audit.check import Check

CHECKS: tuple[Check, ...] = ()
