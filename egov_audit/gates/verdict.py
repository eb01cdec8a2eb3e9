"""The CI gate: from a report and the gate settings to an exit status.

What counts for ``--fail-on``: every finding at or above the threshold,
except findings muted by an active suppression (they stay in every report,
marked) and, with a baseline, findings the baseline already had. The policy
gate fails on any failing control of a selected pack.

Precedence (the exit-code contract, docs/ci-gates.md): interrupted (130)
wins, then a gate failure (1), then an incomplete run (3), else clean (0).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import ExitStatus, InputError
from ..model import Finding, RunReport, Severity
from ..policy.compliance_model import Compliance
from ..policy.model import ControlStatus


@dataclass(frozen=True)
class Gate:
    """What makes a run fail.

    ``baseline`` is the finding ids of the accepted state (a previous result):
    when it is set, only findings absent from it count for ``fail_on``.
    """

    fail_on: Severity | None = Severity.HIGH
    baseline: frozenset[str] | None = None
    policies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    status: ExitStatus
    findings: tuple[Finding, ...] = ()  # the findings that failed the gate
    controls: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # pack -> failing

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.findings:
            out.append(f"{len(self.findings)} finding(s) at or above the gate")
        for pack, controls in self.controls.items():
            out.append(f"policy {pack}: {len(controls)} failing control(s): "
                       + ", ".join(controls))
        return out


def suppressed_ids(report: RunReport) -> frozenset[str]:
    """Finding ids muted by an active suppression (``extensions["suppressions"]``)."""
    section = report.extensions.get("suppressions")
    if not isinstance(section, Mapping):
        return frozenset()
    findings = section.get("findings")
    return frozenset(findings) if isinstance(findings, Mapping) else frozenset()


def counted_findings(report: RunReport, gate: Gate) -> tuple[Finding, ...]:
    """The findings that count for ``gate.fail_on``."""
    if gate.fail_on is None:
        return ()
    muted = suppressed_ids(report)
    threshold = gate.fail_on.rank
    return tuple(f for f in report.findings
                 if f.severity.rank >= threshold and f.id not in muted
                 and (gate.baseline is None or f.id not in gate.baseline))


def failing_controls(report: RunReport, packs: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Failing controls of each pack in ``packs`` (only packs that fail are listed).

    A pack the report was not evaluated against is an input error: a gate that
    silently passes because its policy never ran would be worse than none."""
    raw = report.extensions.get("compliance")
    # Parsed once, with the field named when a stored result is malformed.
    compliance = Compliance.from_json(raw) if raw is not None else Compliance({})
    out: dict[str, tuple[str, ...]] = {}
    for pack in packs:
        section = compliance.packs.get(pack)
        if section is None:
            raise InputError(f"policy pack {pack!r} was not evaluated in this run",
                             expected="a pack selected with --policy or [policy]")
        failing = tuple(c.id for c in section.controls if c.status is ControlStatus.FAIL)
        if failing:
            out[pack] = failing
    return out


def evaluate(report: RunReport, gate: Gate) -> Verdict:
    if report.run.interrupted:
        return Verdict(ExitStatus.INTERRUPTED)
    findings = counted_findings(report, gate)
    controls = failing_controls(report, gate.policies)
    if findings or controls:
        return Verdict(ExitStatus.FINDINGS, findings, controls)
    if report.incomplete:
        return Verdict(ExitStatus.INCOMPLETE)
    return Verdict(ExitStatus.CLEAN)


def exit_status(report: RunReport, fail_on: Severity | None) -> ExitStatus:
    """1 when a finding reaches ``fail_on`` (this wins), 3 when the run is incomplete,
    130 when it was interrupted, else 0. Suppressed findings do not count."""
    return evaluate(report, Gate(fail_on=fail_on)).status


def baseline_ids(report: RunReport) -> frozenset[str]:
    return frozenset(f.id for f in report.findings)
