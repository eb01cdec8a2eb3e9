"""The demo city shows every personal-data problem the pii family knows."""

from __future__ import annotations

from pathlib import Path

from egov_audit.audit import build_request
from egov_audit.demo.portal import build_portal
from egov_audit.runner import run_audit


def test_demo_plants_are_found(tmp_path: Path) -> None:
    # Given the demo portal with the pii plants
    with build_portal(tmp_path / "demo") as portal:
        targets = [t for t in portal.targets()
                   if t.service.name in ("Bantuan Sosial (Bansos)", "Pendaftaran Online Adminduk")]
        request = build_request([], targets=targets, overrides={
            "ca_bundle": str(portal.ca_file), "rate": 100.0, "connections": 4,
            "checks": ("pii",)})
        # When the pii family audits the two services
        report = run_audit(request, workdir=tmp_path)
    found = {(o.target.service.name, f.check) for o in report.outcomes for f in o.findings}
    bansos, daftar = "Bantuan Sosial (Bansos)", "Pendaftaran Online Adminduk"
    # Then each planted problem is reported
    assert {(bansos, c) for c in ("pii.bulk_exposure", "pii.identifiers_exposed",
                                  "pii.partially_masked", "pii.document_metadata",
                                  "pii.identifier_in_url", "pii.cacheable_response")} <= found
    assert {(daftar, c) for c in ("pii.form_plain_http", "pii.identifier_in_url",
                                  "pii.tracker_on_form", "pii.privacy_notice_missing")} <= found
    # and the officer's contact page and the privacy notice page are not findings
    locations = {f.location for f in report.findings}
    assert not [loc for loc in locations if loc.endswith(("/kontak", "/kebijakan-privasi"))]
    (xlsx,) = [f for f in report.findings if f.check == "pii.bulk_exposure"
               and f.location.endswith(".xlsx")]
    assert xlsx.details["counts"] == {"kk": 40, "nik": 40, "phone": 40}
