"""The demo's planted exposures are found, and only those, on its PPDB service."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from egov_audit.audit import build_request
from egov_audit.demo.plants.exposure import FAKE_APP_KEY, FAKE_DB_PASSWORD, FAKE_TELEGRAM
from egov_audit.demo.portal import build_portal
from egov_audit.runner import run_audit

from ..portal import FAMILIES, check_ids


def test_demo_ppdb_service_shows_every_planted_problem(tmp_path: Path) -> None:
    with build_portal(tmp_path / "demo") as portal:
        (ppdb,) = [t for t in portal.targets() if t.service.opd == "Dinas Pendidikan"]
        request = build_request([], targets=[ppdb], overrides={
            "rate": 500.0, "connections": 8, "checks": FAMILIES, "ca_bundle": str(portal.ca_file)})
        report = run_audit(request, workdir=tmp_path)
    assert check_ids(report) == {
        "exposure.git_metadata", "exposure.env_file", "exposure.directory_listing",
        "secrets.credential_assignment", "secrets.telegram_bot_token",
        "errors.debug_page", "integrity.cloaking", "integrity.gambling_spam",
        "integrity.referrer_redirect",
    }
    dumped = json.dumps([asdict(f) for f in report.findings], default=str)
    for raw in (FAKE_APP_KEY, FAKE_DB_PASSWORD, FAKE_TELEGRAM):
        assert raw not in dumped
