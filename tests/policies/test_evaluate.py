"""Evaluation semantics on constructed results: pass, fail, incomplete, not assessed."""

from __future__ import annotations

import pytest

from egov_audit.model import Severity, Status
from egov_audit.policy.evaluate import (
    MEMADAI,
    PERLU_PENINGKATAN,
    TIDAK_MEMADAI,
    RunIndex,
    bssn_verdict,
    evaluate_control,
    evaluate_pack,
    known_checks,
)
from egov_audit.policy.model import Control, ControlStatus

from .factories import A, B, finding_id, pack, report

KNOWN = frozenset({"fam.one", "fam.two", "other.three"})
P, F, E, S = Status.PASS, Status.FAIL, Status.ERROR, Status.SKIPPED


def status_of(checks: tuple[str, ...], rows: list) -> ControlStatus:  # type: ignore[type-arg]
    control = Control(id="C1", title="c", checks=checks)
    status, _, _ = evaluate_control(control, RunIndex.of(report(rows)), KNOWN)
    return status


def test_pass_needs_every_mapped_check_to_have_run_without_failing() -> None:
    # Given both checks of the family passed (one on each target)
    rows = [(A, "fam.one", P, ()), (B, "fam.two", P, ())]
    # Then the control passes
    assert status_of(("fam.*",), rows) is ControlStatus.PASS


def test_a_mapped_check_that_did_not_run_prevents_a_pass() -> None:
    # Given fam.two is installed but was not run
    rows = [(A, "fam.one", P, ())]
    # Then the control is incomplete, never pass
    assert status_of(("fam.*",), rows) is ControlStatus.INCOMPLETE


@pytest.mark.parametrize("other", [E, S])
def test_errors_and_skips_make_a_control_incomplete(other: Status) -> None:
    rows = [(A, "fam.one", P, ()), (A, "fam.two", other, ())]
    assert status_of(("fam.*",), rows) is ControlStatus.INCOMPLETE


def test_an_error_on_one_target_is_incomplete_even_if_another_target_passed() -> None:
    rows = [(A, "fam.one", P, ()), (B, "fam.one", E, ())]
    assert status_of(("fam.one",), rows) is ControlStatus.INCOMPLETE


def test_a_skip_on_one_target_and_a_pass_on_another_still_passes() -> None:
    # A skipped check did not apply to that target; it ran and passed elsewhere
    rows = [(A, "fam.one", P, ()), (B, "fam.one", S, ())]
    assert status_of(("fam.one",), rows) is ControlStatus.PASS


def test_any_failure_fails_the_control_and_lists_the_findings() -> None:
    # Given fam.two failed on B (and errors elsewhere do not hide it)
    rows = [(A, "fam.one", E, ()), (B, "fam.two", F, (Severity.MEDIUM, Severity.LOW))]
    control = Control(id="C1", title="c", checks=("fam.*",))
    status, checks, findings = evaluate_control(control, RunIndex.of(report(rows)), KNOWN)
    assert status is ControlStatus.FAIL
    assert checks == ("fam.one", "fam.two")
    assert findings == tuple(sorted([finding_id("fam.two", B, 0), finding_id("fam.two", B, 1)]))


def test_informational_findings_do_not_fail_a_control() -> None:
    rows = [(A, "fam.one", F, (Severity.INFO,)), (A, "fam.two", P, ())]
    assert status_of(("fam.*",), rows) is ControlStatus.PASS


def test_a_fail_result_without_findings_is_still_a_failure() -> None:
    rows = [(A, "fam.one", F, ())]
    assert status_of(("fam.one",), rows) is ControlStatus.FAIL


def test_no_checks_or_none_run_is_not_assessed() -> None:
    rows = [(A, "other.three", P, ())]
    assert status_of((), rows) is ControlStatus.NOT_ASSESSED
    assert status_of(("fam.*",), rows) is ControlStatus.NOT_ASSESSED
    # a glob matching nothing installed is not assessed either
    assert status_of(("nothing.*",), rows) is ControlStatus.NOT_ASSESSED


def test_only_errors_is_incomplete_not_not_assessed() -> None:
    rows = [(A, "fam.one", E, ()), (A, "fam.two", E, ())]
    assert status_of(("fam.*",), rows) is ControlStatus.INCOMPLETE


def test_known_checks_include_those_named_by_the_result() -> None:
    # A check recorded in the result (e.g. from a plugin no longer installed) still counts
    r = report([(A, "plugin.gone", P, ())], catalogue=["plugin.listed"])
    assert known_checks(r, {"fam.one"}) == {"fam.one", "plugin.gone", "plugin.listed"}


def test_pack_summary_counts_every_status_and_keeps_the_shape() -> None:
    p = pack(("ok", ["fam.one"]), ("bad", ["fam.two"]), ("half", ["fam.*"]), ("none", []))
    rows = [(A, "fam.one", P, ()), (A, "fam.two", F, (Severity.LOW,))]
    known = frozenset({"fam.one", "fam.two", "fam.three"})
    section = evaluate_pack(p, report(rows), known).to_json()
    assert set(section) == {"title", "version", "source", "summary", "verdict", "controls"}
    assert section["summary"] == {"pass": 1, "fail": 2, "incomplete": 0, "not_assessed": 1}
    assert section["verdict"] is None  # only BSSN has a verdict
    by_id = {c["id"]: c for c in section["controls"]}
    assert set(by_id["bad"]) == {"id", "title", "title_id", "status", "checks", "findings"}
    assert by_id["half"]["status"] == "fail"  # fam.two failed, fam.three did not run
    assert by_id["none"] == {"id": "none", "title": "control none", "title_id": "control none",
                             "status": "not_assessed", "checks": [], "findings": []}


@pytest.mark.parametrize(
    ("summary", "serious", "expected"),
    [
        ({"pass": 0, "fail": 0, "incomplete": 3, "not_assessed": 5}, False, None),
        ({"pass": 10, "fail": 0, "incomplete": 0, "not_assessed": 50}, False, MEMADAI),
        ({"pass": 10, "fail": 0, "incomplete": 1, "not_assessed": 50}, False, PERLU_PENINGKATAN),
        ({"pass": 10, "fail": 1, "incomplete": 0, "not_assessed": 50}, False, PERLU_PENINGKATAN),
        ({"pass": 10, "fail": 1, "incomplete": 0, "not_assessed": 50}, True, TIDAK_MEMADAI),
        ({"pass": 3, "fail": 1, "incomplete": 0, "not_assessed": 50}, False, TIDAK_MEMADAI),
    ],
)
def test_bssn_verdict_thresholds(summary: dict[str, int], serious: bool,
                                 expected: str | None) -> None:
    assert bssn_verdict(summary, serious) == expected


def test_bssn_verdict_is_tidak_memadai_when_a_failed_control_has_a_high_finding() -> None:
    controls = [(f"K{n}", [f"fam.c{n}"]) for n in range(10)]
    p = pack(*controls, verdict="bssn")
    rows = [(A, f"fam.c{n}", P, ()) for n in range(9)] + [(A, "fam.c9", F, (Severity.HIGH,))]
    known = frozenset(f"fam.c{n}" for n in range(10))
    assert evaluate_pack(p, report(rows), known).verdict == TIDAK_MEMADAI
    rows[-1] = (A, "fam.c9", F, (Severity.LOW,))
    assert evaluate_pack(p, report(rows), known).verdict == PERLU_PENINGKATAN
    rows[-1] = (A, "fam.c9", P, ())
    assert evaluate_pack(p, report(rows), known).verdict == MEMADAI


def test_a_control_that_reviews_informational_findings_is_incomplete_and_lists_them() -> None:
    # Given a tracker inventory check (info) under a cross-border-transfer control
    control = Control(id="pasal-56", title="transfer", checks=("fam.one",), review_info=True)
    rows = [(A, "fam.one", F, (Severity.INFO,))]
    status, _, findings = evaluate_control(control, RunIndex.of(report(rows)), KNOWN)
    # Then a person must judge it: incomplete, with the observations listed
    assert status is ControlStatus.INCOMPLETE
    assert findings == (finding_id("fam.one", A, 0),)
    # and without observations the same control passes
    clean = [(A, "fam.one", P, ())]
    assert evaluate_control(control, RunIndex.of(report(clean)), KNOWN)[0] is ControlStatus.PASS
