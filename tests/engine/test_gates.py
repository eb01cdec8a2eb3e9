"""The exit-code matrix of every gate: severity, baseline / new only, suppressions, policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from egov_audit.errors import ExitStatus, InputError
from egov_audit.gates import Gate, baseline_ids, evaluate, exit_status
from egov_audit.gates.suppressions import apply_suppressions, load_suppressions
from egov_audit.model import RunReport, Severity, Status, TargetStatus
from egov_audit.policy.compliance_model import (
    Compliance,
    ControlOutcome,
    PackCompliance,
    StatusCounts,
)
from egov_audit.policy.model import ControlStatus

from ..factories import make_finding, make_outcome, make_report, make_target

PORTAL = make_target("https://portal.example.go.id/", name="Portal", opd="Diskominfo")
OLD_HIGH = make_finding("headers.csp_missing", PORTAL.spec, Severity.HIGH, id="1" * 20)
NEW_HIGH = make_finding("exposure.env_file", PORTAL.spec, Severity.HIGH, id="2" * 20)
NEW_MEDIUM = make_finding("https.hsts_missing", PORTAL.spec, Severity.MEDIUM, id="3" * 20)
BASELINE = make_report([make_outcome(PORTAL, [OLD_HIGH])], id="base")


def report(*findings: Any, incomplete: bool = False, interrupted: bool = False,
           policy: str | None = None) -> RunReport:
    status = TargetStatus.PARTIAL if incomplete else TargetStatus.OK
    r = make_report([make_outcome(PORTAL, findings, results=[("tls.x", Status.PASS)],
                                  status=status)], interrupted=interrupted)
    if policy is not None:
        controls = (ControlOutcome("C1", "One", "Satu", ControlStatus(policy), (), ()),
                    ControlOutcome("C2", "Two", "Dua", ControlStatus.PASS, (), ()))
        pack = PackCompliance("City pack", "1", "city.toml",
                              StatusCounts.of([c.status for c in controls]), None, controls)
        r = replace(r, extensions={"compliance": Compliance({"city": pack}).to_json()})
    return r


def suppress(r: RunReport, tmp: Path, expires: str) -> RunReport:
    f = tmp / "s.toml"
    f.write_text(f'[[suppress]]\ncheck = "headers.*"\ntarget = "portal.example.go.id"\n'
                 f'justification = "legacy viewer"\napprover = "Kabid"\nexpires = {expires}\n')
    return apply_suppressions(r, load_suppressions(f), today=date(2026, 12, 7))


H = Severity.HIGH
BASE = baseline_ids(BASELINE)


@pytest.mark.parametrize(("name", "build", "gate", "expected"), [
    ("clean", lambda t: report(), Gate(H), ExitStatus.CLEAN),
    ("finding at the gate", lambda t: report(OLD_HIGH), Gate(H), ExitStatus.FINDINGS),
    ("finding below the gate", lambda t: report(NEW_MEDIUM), Gate(H), ExitStatus.CLEAN),
    ("gate off", lambda t: report(OLD_HIGH), Gate(None), ExitStatus.CLEAN),
    ("gate off, incomplete", lambda t: report(OLD_HIGH, incomplete=True), Gate(None),
     ExitStatus.INCOMPLETE),
    ("findings win over incomplete", lambda t: report(OLD_HIGH, incomplete=True), Gate(H),
     ExitStatus.FINDINGS),
    ("interrupted wins over findings", lambda t: report(OLD_HIGH, interrupted=True), Gate(H),
     ExitStatus.INTERRUPTED),
    ("baseline: known high only", lambda t: report(OLD_HIGH, NEW_MEDIUM),
     Gate(H, baseline=BASE), ExitStatus.CLEAN),
    ("baseline: a new high", lambda t: report(OLD_HIGH, NEW_HIGH), Gate(H, baseline=BASE),
     ExitStatus.FINDINGS),
    ("baseline: new only, incomplete", lambda t: report(OLD_HIGH, incomplete=True),
     Gate(H, baseline=BASE), ExitStatus.INCOMPLETE),
    ("suppressed high", lambda t: suppress(report(OLD_HIGH), t, "2027-01-31"), Gate(H),
     ExitStatus.CLEAN),
    ("suppression expires today: still applies",
     lambda t: suppress(report(OLD_HIGH), t, "2026-12-07"), Gate(H), ExitStatus.CLEAN),
    ("expired suppression", lambda t: suppress(report(OLD_HIGH), t, "2026-12-06"), Gate(H),
     ExitStatus.FINDINGS),
    ("suppression does not hide another check",
     lambda t: suppress(report(OLD_HIGH, NEW_HIGH), t, "2027-01-31"), Gate(H),
     ExitStatus.FINDINGS),
    ("policy fails", lambda t: report(policy="fail"), Gate(None, policies=("city",)),
     ExitStatus.FINDINGS),
    ("policy fails, severity gate passes", lambda t: report(NEW_MEDIUM, policy="fail"),
     Gate(H, policies=("city",)), ExitStatus.FINDINGS),
    ("policy incomplete is not failing", lambda t: report(policy="incomplete"),
     Gate(None, policies=("city",)), ExitStatus.CLEAN),
    ("policy not gated", lambda t: report(policy="fail"), Gate(None), ExitStatus.CLEAN),
])
def test_exit_code_matrix(name: str, build: Any, gate: Gate, expected: ExitStatus,
                          tmp_path: Path) -> None:
    assert evaluate(build(tmp_path), gate).status is expected, name


def test_the_verdict_says_which_findings_and_controls_failed() -> None:
    verdict = evaluate(report(OLD_HIGH, NEW_HIGH, policy="fail"),
                       Gate(H, baseline=BASE, policies=("city",)))
    assert [f.id for f in verdict.findings] == [NEW_HIGH.id]
    assert verdict.controls == {"city": ("C1",)}
    assert verdict.reasons == ["1 finding(s) at or above the gate",
                               "policy city: 1 failing control(s): C1"]


def test_a_gated_pack_that_was_not_evaluated_is_an_input_error() -> None:
    with pytest.raises(InputError, match="'bssn-4-2021' was not evaluated"):
        evaluate(report(), Gate(None, policies=("bssn-4-2021",)))


def test_the_simple_gate_keeps_its_contract() -> None:
    assert exit_status(report(OLD_HIGH), H) is ExitStatus.FINDINGS
    assert exit_status(report(OLD_HIGH), None) is ExitStatus.CLEAN
