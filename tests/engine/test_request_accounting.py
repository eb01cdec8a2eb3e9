"""The request budget from the configuration, and run.requests in the result."""

from __future__ import annotations

from pathlib import Path

import pytest

from egov_audit.config import load_config
from egov_audit.demo.server import html, redirect
from egov_audit.errors import InputError
from egov_audit.options import ScanOptions
from egov_audit.result_io import report_to_dict, validate

from ..conftest import AuditFn, ServeFn


def test_the_default_politeness_is_the_most_the_issue_allows() -> None:
    options = ScanOptions()
    assert options.rate == 10.0 and options.connections == 4
    assert options.request_budget == 600


def test_the_budget_comes_from_the_scan_section(tmp_path: Path) -> None:
    path = tmp_path / "audit.toml"
    path.write_text("[scan]\nrequest_budget = 150\n")
    config = load_config(path)
    assert ScanOptions().with_overrides(config.scan).request_budget == 150


@pytest.mark.parametrize("value, fragment", [
    ("-1", "scan.request_budget cannot be negative"),
    ("'many'", "scan.request_budget has the wrong type"),
])
def test_a_bad_budget_names_the_line(tmp_path: Path, value: str, fragment: str) -> None:
    path = tmp_path / "audit.toml"
    path.write_text(f"[scan]\nrate = 2\nrequest_budget = {value}\n")
    with pytest.raises(InputError, match=fragment) as info:
        load_config(path)
    assert info.value.line == 3


def test_the_result_records_requests_per_host(serve: ServeFn, audit: AuditFn) -> None:
    # Given one host audited as two targets, the second redirecting to the first
    site = serve({"/": html("<html><body>portal</body></html>")})
    site.routes["/start"] = redirect(site.url("/"))
    report = audit([site.url("/"), site.url("/start")], checks=("headers.*",))
    # Then run.requests counts what the host received and what was shared
    counts = report.run.requests["127.0.0.1"]
    assert counts["sent"] == len(site.requests)
    assert counts["shared"] >= 1 and counts["over_budget"] == 0
    data = report_to_dict(report)
    validate(data)
    assert data["run"]["requests"]["127.0.0.1"] == counts
