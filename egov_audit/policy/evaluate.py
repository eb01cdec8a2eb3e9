"""Evaluate packs against a run: a status per control, a summary per pack.

Pure functions of the report and the packs, so a stored result re-evaluated
offline gives exactly the compliance the live run gave.

Rules (also in docs/policies.md):

* a control with no checks, or none of whose checks produced a result, is
  **not assessed**;
* it **fails** when a mapped check produced a finding of severity low or
  above on any target (informational findings are observations, not failures,
  unless the control asks for them to be reviewed: then they make it
  incomplete and are listed);
* it **passes** only when every mapped check ran and did not fail on at least
  one target, and no mapped check errored anywhere;
* anything else (errors, skips, mapped checks that did not run) is
  **incomplete**: never a pass on the strength of checks that did not run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..model import RunReport, Severity, Status
from .compliance_model import (
    MEMADAI,
    PERLU_PENINGKATAN,
    TIDAK_MEMADAI,
    ControlOutcome,
    PackCompliance,
    StatusCounts,
)
from .model import Control, ControlStatus, Pack

__all__ = ["FAIL_SHARE_TIDAK_MEMADAI", "MEMADAI", "PERLU_PENINGKATAN", "SERIOUS",
           "TIDAK_MEMADAI", "RunIndex", "bssn_verdict", "control_refs", "evaluate_control",
           "evaluate_pack", "known_checks"]

# Verdict thresholds documented in docs/policies.md.
FAIL_SHARE_TIDAK_MEMADAI = 0.25
SERIOUS = frozenset({Severity.CRITICAL, Severity.HIGH})


@dataclass
class RunIndex:
    """What the run says about each check, over all targets."""

    statuses: dict[str, set[Status]] = field(default_factory=lambda: defaultdict(set))
    failing: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    info: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    observed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    severity: dict[str, Severity] = field(default_factory=dict)

    @classmethod
    def of(cls, report: RunReport) -> RunIndex:
        index = cls()
        for r in report.results:
            index.statuses[r.check].add(r.status)
        for f in report.findings:
            index.observed[f.check].add(f.id)
            index.severity[f.id] = f.severity
            if f.severity is Severity.INFO:
                index.info[f.check].add(f.id)
            else:
                index.failing[f.check].add(f.id)
        return index

    def failed(self, check: str) -> bool:
        # A FAIL without any recorded finding is still a failure (never upgraded to pass).
        return bool(self.failing.get(check)) or (
            Status.FAIL in self.statuses.get(check, ()) and not self.observed.get(check))

    def ok(self, check: str) -> bool:
        """Ran on at least one target without a failure there."""
        statuses = self.statuses.get(check, set())
        return Status.PASS in statuses or (Status.FAIL in statuses and not self.failed(check))


def known_checks(report: RunReport, installed: Iterable[str]) -> frozenset[str]:
    """Check ids a glob may expand to: installed ones, plus those the result names."""
    recorded = (c.get("id") for c in report.catalogue.get("checks", ()) if isinstance(c, Mapping))
    return frozenset(installed) | {c for c in recorded if isinstance(c, str)} | {
        r.check for r in report.results}


def evaluate_control(control: Control, index: RunIndex, known: frozenset[str]
                     ) -> tuple[ControlStatus, tuple[str, ...], tuple[str, ...]]:
    """(status, concrete checks, failing finding ids) of one control."""
    checks = control.expand(known)
    if not checks:
        return ControlStatus.NOT_ASSESSED, checks, ()
    failed = [c for c in checks if index.failed(c)]
    if failed:
        findings = sorted({f for c in failed for f in index.failing.get(c, ())})
        return ControlStatus.FAIL, checks, tuple(findings)
    if control.review_info:
        observed = sorted({f for c in checks for f in index.info.get(c, ())})
        if observed:  # e.g. trackers seen: a person must judge the transfer
            return ControlStatus.INCOMPLETE, checks, tuple(observed)
    if not any(index.statuses.get(c) for c in checks):
        return ControlStatus.NOT_ASSESSED, checks, ()
    errored = any(Status.ERROR in index.statuses.get(c, ()) for c in checks)
    if not errored and all(index.ok(c) for c in checks):
        return ControlStatus.PASS, checks, ()
    return ControlStatus.INCOMPLETE, checks, ()


def bssn_verdict(summary: Mapping[str, int], serious_failure: bool) -> str | None:
    """BSSN audit conclusion for the effectiveness evidence a remote scan gives.

    None when no control could be evaluated (nothing to conclude from).
    """
    evaluated = summary["pass"] + summary["fail"]
    if evaluated == 0:
        return None
    if serious_failure or summary["fail"] >= FAIL_SHARE_TIDAK_MEMADAI * evaluated:
        return TIDAK_MEMADAI
    if summary["fail"] or summary["incomplete"]:
        return PERLU_PENINGKATAN
    return MEMADAI


def evaluate_pack(pack: Pack, report: RunReport, known: frozenset[str],
                  index: RunIndex | None = None) -> PackCompliance:
    """The compliance of one pack: every control's status, the counts, the verdict."""
    index = index or RunIndex.of(report)
    controls = []
    serious = False
    for control in pack.controls:
        status, checks, findings = evaluate_control(control, index, known)
        serious = serious or any(index.severity.get(f) in SERIOUS for f in findings)
        controls.append(ControlOutcome(control.id, control.title,
                                       control.title_id or control.title, status, checks,
                                       findings))
    summary = StatusCounts.of([c.status for c in controls])
    verdict = bssn_verdict(summary.to_json(), serious) if pack.verdict == "bssn" else None
    return PackCompliance(pack.title, pack.version, pack.source, summary, verdict,
                          tuple(controls))


def control_refs(check_id: str, packs: Iterable[Pack]) -> tuple[str, ...]:
    """Every ``pack:control`` reference a finding of ``check_id`` carries, sorted."""
    return tuple(sorted({p.ref(c) for p in packs for c in p.controls if c.covers(check_id)}))
