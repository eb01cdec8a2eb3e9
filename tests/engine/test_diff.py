"""Comparing two runs: new, fixed, still open, not re-checked."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from egov_audit.cli import main
from egov_audit.demo.server import html
from egov_audit.gates.diff import diff_runs
from egov_audit.model import Severity, Status

from ..conftest import ServeFn
from ..factories import make_finding, make_outcome, make_report, make_target

PORTAL = make_target("https://portal.example.go.id/", name="Portal", opd="Diskominfo")
IZIN = make_target("https://izin.example.go.id/", name="Perizinan", opd="DPMPTSP")


def test_a_finding_is_fixed_only_when_its_check_passed_again() -> None:
    # Given two findings in the base run
    hsts = make_finding("https.hsts_missing", PORTAL.spec, id="a" * 20)
    csp = make_finding("headers.csp_missing", IZIN.spec, id="b" * 20)
    base = make_report([make_outcome(PORTAL, [hsts]), make_outcome(IZIN, [csp])])
    # When the next run passes the HSTS check, but the permits target errored
    current = make_report([
        make_outcome(PORTAL, results=[("https.hsts_missing", Status.PASS)]),
        make_outcome(IZIN, results=[("headers.csp_missing", Status.ERROR)]),
    ], id="run-2")
    change = diff_runs(base, current)
    # Then only HSTS is fixed; the CSP finding is not re-checked, never "fixed"
    assert [f.id for f in change.fixed] == [hsts.id]
    assert [f.id for f in change.not_rechecked] == [csp.id]
    assert change.new == () and change.still_open == ()
    assert change.by_unit() == {"DPMPTSP / Perizinan": {"not_rechecked": 1},
                                "Diskominfo / Portal": {"fixed": 1}}


def test_new_findings_gate_by_severity() -> None:
    old = make_finding("https.hsts_missing", PORTAL.spec, id="a" * 20)
    new = make_finding("exposure.env_file", PORTAL.spec, Severity.CRITICAL, id="c" * 20)
    base = make_report([make_outcome(PORTAL, [old])])
    current = make_report([make_outcome(PORTAL, [old, new])])
    change = diff_runs(base, current)
    assert [f.id for f in change.still_open] == [old.id]
    assert change.new_at_or_above(Severity.HIGH) == [new]
    assert change.new_at_or_above(None) == []


def test_diff_command_on_two_real_scans(serve: ServeFn, tmp_path: Path, ca_file: Path) -> None:
    # Given a site scanned once without HSTS
    hsts = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    site = serve({"/": html("ok")}, tls=True)
    args = ["scan", "--checks", "https", "--rate", "200", "--ca-bundle", str(ca_file),
            "--fail-on", "none", "-q", site.url("/")]
    runner = CliRunner()
    assert runner.invoke(main, [*args, "-o", str(tmp_path / "a")]).exit_code == 0
    # When HSTS is enabled and the site is scanned again
    site.routes["/"] = html("ok", headers=[hsts])
    assert runner.invoke(main, [*args, "-o", str(tmp_path / "b")]).exit_code == 0
    result = runner.invoke(main, ["diff", str(tmp_path / "a" / "result.json"),
                                  str(tmp_path / "b" / "result.json"), "--format", "json"])
    # Then the HSTS finding is reported fixed and nothing is new (exit 0)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [f["check"] for f in data["fixed"]] == ["https.hsts_missing"]
    assert data["counts"]["new"] == 0
    # and the reverse direction is a regression that gates (medium ≥ --fail-on medium)
    back = runner.invoke(main, ["diff", str(tmp_path / "b" / "result.json"),
                                str(tmp_path / "a" / "result.json"), "--fail-on", "medium"])
    assert back.exit_code == 1
    assert "1 new" in back.output
