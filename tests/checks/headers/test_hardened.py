"""A fully hardened service: the header families must find nothing at LOW or above."""

from __future__ import annotations

from egov_audit.model import Severity, Status

from ...conftest import AuditFn, ServeFn
from .._web.servers import site

FAMILIES = ["headers", "cookies", "cors", "disclosure", "hygiene"]


def test_hardened_service_has_no_findings_at_low_or_above(serve: ServeFn, audit: AuditFn) -> None:
    # Given a service that sends every recommended header, a __Host- session cookie,
    # a valid security.txt and no third-party code, behind an HTTP→HTTPS redirect
    target = site(serve)
    # When all five families run
    report = audit([target], checks=FAMILIES)
    # Then nothing at LOW or above is reported, no check errors, and the grade is A+
    serious = [f for f in report.findings if f.severity.rank >= Severity.LOW.rank]
    assert serious == [], [(f.check, f.evidence.text) for f in serious]
    errors = [r for r in report.results if r.status is Status.ERROR]
    assert errors == [], errors
    (grade,) = [f for f in report.findings if f.check == "headers.grade"]
    assert grade.details["grade"] == "A+", grade.details
    # The session cookie's value never reaches a finding
    assert "s3cr3t" not in repr(report)
