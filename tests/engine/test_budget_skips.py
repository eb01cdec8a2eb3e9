"""What the per-host request budget cuts is reported as skipped, with the reason."""

from __future__ import annotations

from egov_audit.demo.server import html
from egov_audit.model import Status
from tests.conftest import AuditFn, ServeFn


def test_checks_whose_input_the_budget_cut_are_skipped_not_errors(
        serve: ServeFn, audit: AuditFn) -> None:
    # Given a site and a budget far too small for the families asked for
    server = serve({"/": html("<html><body><a href='/a'>a</a></body></html>")})
    report = audit([server.url("/")], checks=("errors.*", "exposure.*", "integrity.*"),
                   request_budget=2)
    # Then no check errs because of the budget: each cut one says so
    cut = [r for r in report.results if r.status is Status.SKIPPED
           and "request budget of 2 for host 127.0.0.1 reached" in (r.reason or "")]
    assert len(cut) > 10
    assert [r for r in report.results if r.status is Status.ERROR] == []
    # and the run records the refusals
    assert report.run.requests["127.0.0.1"]["over_budget"] > 0
    assert report.run.requests["127.0.0.1"]["sent"] <= 2
