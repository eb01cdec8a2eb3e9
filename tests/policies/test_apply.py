"""apply_policies: every finding lists its controls; compliance is pure and re-computable."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from egov_audit.cli import main
from egov_audit.demo.server import html
from egov_audit.model import Severity, Status
from egov_audit.policy import apply_policies
from egov_audit.result_io import dumps, load_result, validate

from ..conftest import AuditFn, ServeFn, pair
from .factories import A, report

HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def test_every_finding_lists_controls_from_all_packs_sorted() -> None:
    # Given a run where https.unavailable failed
    r = report([(A, "https.unavailable", Status.FAIL, (Severity.HIGH,))])
    # When policies are applied with a narrow selection
    mapped = apply_policies(r, ["uu-ite"])
    (finding,) = mapped.findings
    # Then the finding cites controls of every installed pack, not only the selected one
    assert list(finding.controls) == sorted(finding.controls)
    packs = {ref.split(":", 1)[0] for ref in finding.controls}
    assert {"uu-pdp-2022", "bssn-4-2021", "iso-27001-2022", "cisa-bod-18-01"} <= packs
    assert "bssn-4-2021:K43" in finding.controls
    assert "uu-pdp-2022:pasal-35" in finding.controls
    # and compliance holds only the selected pack
    assert list(mapped.extensions["compliance"]) == ["uu-ite"]
    # and the input report is untouched (pure)
    assert r.findings[0].controls == ()


def test_default_selection_and_bssn_verdict() -> None:
    r = report([(A, "https.unavailable", Status.FAIL, (Severity.HIGH,))])
    compliance = apply_policies(r, None).extensions["compliance"]
    assert list(compliance) == ["uu-pdp-2022", "bssn-4-2021", "iso-27001-2022"]
    bssn = compliance["bssn-4-2021"]
    assert bssn["verdict"] == "Tidak Memadai"  # a failed control with a high finding
    assert compliance["iso-27001-2022"]["verdict"] is None
    k43 = next(c for c in bssn["controls"] if c["id"] == "K43")
    assert k43["status"] == "fail" and len(k43["findings"]) == 1
    k1 = next(c for c in bssn["controls"] if c["id"] == "K1")
    assert k1 == {"id": "K1", "title": k1["title"], "title_id": k1["title_id"],
                  "status": "not_assessed", "checks": [], "findings": []}


def test_other_extensions_are_kept_and_the_result_stays_valid() -> None:
    r = report([(A, "https.unavailable", Status.PASS, ())])
    r = replace(r, extensions={"other": {"x": 1}})
    mapped = apply_policies(r, ["bssn-4-2021", "owasp-asvs-5.0"])
    assert mapped.extensions["other"] == {"x": 1}
    validate(json.loads(dumps(mapped)))  # the compliance section fits the result contract


def test_live_run_and_offline_re_evaluation_agree(serve: ServeFn, audit: AuditFn,
                                                  tmp_path: Path) -> None:
    # Given a real HTTPS server without HSTS and a plain-HTTP side serving content
    https = serve({"/": html("<h1>Layanan</h1>")}, tls=True)
    http = serve({"/": html("<h1>Layanan</h1>", headers=[HSTS])})
    live = apply_policies(audit([pair(http, https)], checks=["https"]),
                          ["bssn-4-2021", "uu-pdp-2022"])
    assert any(f.controls for f in live.findings)
    path = tmp_path / "run" / "result.json"
    path.parent.mkdir()
    path.write_text(dumps(live), encoding="utf-8")
    # When the stored result is re-evaluated offline, in the library and through the CLI
    offline = apply_policies(load_result(path), ["bssn-4-2021", "uu-pdp-2022"])
    result = CliRunner().invoke(main, ["render", str(path), "--policy", "bssn-4-2021",
                                       "--policy", "uu-pdp-2022", "-o", str(tmp_path / "out")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    rendered = json.loads((tmp_path / "out" / "result.json").read_text(encoding="utf-8"))
    # Then the compliance is exactly the live run's
    assert offline.extensions["compliance"] == live.extensions["compliance"]
    assert rendered["extensions"]["compliance"] == json.loads(dumps(live))["extensions"][
        "compliance"]
    assert [f.controls for f in offline.findings] == [f.controls for f in live.findings]
    bssn = live.extensions["compliance"]["bssn-4-2021"]
    statuses = {c["id"]: c["status"] for c in bssn["controls"]}
    assert statuses["K7"] == "fail"  # https.* failed: HSTS missing, plain HTTP served
    assert statuses["K46"] == "not_assessed"  # only certificate checks map it; tls did not run
    assert statuses["K44"] == "incomplete"  # https.unavailable passed, the tls protocol checks
    assert statuses["K1"] == "not_assessed"  # did not run: never a pass


def test_a_custom_city_pack_is_evaluated_and_cited_by_findings(tmp_path: Path) -> None:
    # Given a city's own pack file mapping one control to the HTTPS family
    path = tmp_path / "kota.toml"
    path.write_text(
        'format = 1\nid = "kota-contoh"\ntitle = "Kota Contoh"\nversion = "2025"\n'
        'source = "Perwal Kota Contoh 1/2025"\nlanguages = ["id"]\n\n'
        '[[controls]]\nid = "KC-1"\ntitle_id = "Hanya HTTPS"\nchecks = ["https.*"]\n',
        encoding="utf-8")
    r = report([(A, "https.unavailable", Status.FAIL, (Severity.HIGH,))])
    # When it is selected by file name
    mapped = apply_policies(r, [str(path)])
    # Then it is evaluated and findings cite it next to the built-in packs
    section = mapped.extensions["compliance"]["kota-contoh"]
    assert section["source"] == "Perwal Kota Contoh 1/2025"
    assert section["controls"][0]["status"] == "fail"
    assert section["controls"][0]["title"] == section["controls"][0]["title_id"] == "Hanya HTTPS"
    assert "kota-contoh:KC-1" in mapped.findings[0].controls
    assert "bssn-4-2021:K44" in mapped.findings[0].controls
