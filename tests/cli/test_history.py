"""egov-audit history and egov-audit diff over stored runs: three weeks of a city."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from egov_audit.cli.diff_cmd import diff
from egov_audit.cli.history_cmd import history
from egov_audit.model import Status
from egov_audit.result_io import dumps

from ..factories import make_outcome, make_report
from ..history.helpers import CSP, ENV, HSTS, IZIN, PORTAL, three_weeks


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store holding the three weeks, added through the command line."""
    path = tmp_path / "history.sqlite"
    monkeypatch.setenv("EGOV_AUDIT_HISTORY", str(path))
    files = []
    for report in three_weeks():
        f = tmp_path / f"{report.run.id[:8]}.json"
        f.write_text(dumps(report))
        files.append(str(f))
    result = CliRunner().invoke(history, [x for f in files for x in ("--add", f)])
    assert result.exit_code == 0, result.output
    return path


def test_history_lists_runs_with_counts_per_severity(store: Path) -> None:
    result = CliRunner().invoke(history, ["--format", "json"])
    assert result.exit_code == 0, result.output
    runs = json.loads(result.output)
    assert [r["run_id"][:8] for r in runs] == ["run-0003", "run-0002", "run-0001"]
    assert runs[0]["counts"] == {"critical": 1, "high": 1, "medium": 1, "low": 0, "info": 0}
    text = CliRunner().invoke(history, ["--opd", "DPMPTSP", "--last", "2"]).output
    assert "run-0003" in text and "run-0002" in text and "run-0001" not in text


def test_history_trend_per_opd(store: Path) -> None:
    result = CliRunner().invoke(history, ["--trend", "opd", "--format", "json"])
    trend = json.loads(result.output)
    assert [p["counts"]["critical"] for p in trend["Diskominfo"]] == [0, 0, 1]
    assert [p["counts"]["high"] for p in trend["DPMPTSP"]] == [1, 1, 1]
    assert "Diskominfo" in CliRunner().invoke(history, ["--trend", "opd"]).output


def test_diff_of_the_last_two_runs_tells_regressed_from_new(store: Path) -> None:
    # Given week 1 (HSTS open), week 2 (HSTS fixed), week 3 (HSTS back, .env new)
    # When diffing without arguments (previous → last)
    result = CliRunner().invoke(diff, ["--format", "json"])
    change = json.loads(result.output)
    # Then HSTS is regressed (not new), the .env file is new, CSP still open
    assert [f["check"] for f in change["regressed"]] == ["https.hsts_missing"]
    assert [f["check"] for f in change["new"]] == ["exposure.env_file"]
    assert [f["id"] for f in change["still_open"]] == [CSP.id]
    assert change["counts"]["fixed"] == 0
    assert result.exit_code == 1  # a new critical finding reaches the default gate


def test_diff_by_run_id_and_fixed_then_not_rechecked(store: Path, tmp_path: Path) -> None:
    runs = three_weeks()
    result = CliRunner().invoke(diff, [runs[0].run.id, runs[1].run.id[:8], "--format", "json"])
    change = json.loads(result.output)
    assert [f["id"] for f in change["fixed"]] == [HSTS.id]
    assert result.exit_code == 0
    # Given a fourth week in which the permits check errored and the .env check did not run
    week4 = make_report([make_outcome(PORTAL, [HSTS], results=[(HSTS.check, Status.FAIL)]),
                         make_outcome(IZIN, results=[(CSP.check, Status.ERROR)])],
                        id="run-0004", started_at="2026-11-04T01:00:00Z")
    f4 = tmp_path / "week4.json"
    f4.write_text(dumps(week4))
    assert CliRunner().invoke(history, ["--add", str(f4)]).exit_code == 0
    change = json.loads(CliRunner().invoke(diff, ["previous", "last", "--format",
                                                  "json"]).output)
    # Then neither the CSP nor the .env finding is "fixed": both are not re-checked
    assert [f["id"] for f in change["not_rechecked"]] == [ENV.id, CSP.id]
    assert change["fixed"] == [] and [f["id"] for f in change["still_open"]] == [HSTS.id]


def test_a_diff_of_two_files_opens_no_store(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOV_AUDIT_HISTORY", str(tmp_path / "never.sqlite"))
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    runs = three_weeks()
    a.write_text(dumps(runs[1]))
    b.write_text(dumps(runs[2]))
    result = CliRunner().invoke(diff, [str(a), str(b), "--format", "json"])
    change = json.loads(result.output)
    # Without history, a finding absent from the base is simply new
    assert {f["check"] for f in change["new"]} == {"https.hsts_missing", "exposure.env_file"}
    assert change["regressed"] == []
    assert not (tmp_path / "never.sqlite").exists()


def test_an_unknown_run_is_a_usage_error_naming_it(store: Path) -> None:
    result = CliRunner().invoke(diff, ["run-9999", "last"])
    assert result.exit_code == 2
    assert "no stored run 'run-9999'" in result.output
