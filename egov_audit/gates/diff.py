"""What changed between two runs: new, regressed, fixed, still open, not re-checked.

Finding ids are stable across runs (check, target, redacted location, salted
key), so two results can be compared without touching any target. A finding
that disappeared only counts as *fixed* when its check ran again on that
target and passed; if the target errored or the check was not selected, the
finding is *not re-checked*, never silently "fixed".

With the history of earlier runs (the finding ids seen before the base run),
a finding absent from the base but seen earlier is *regressed* — fixed once,
back now — rather than new. Both are absent from the base, so both count for
a gate on what is new.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from ..model import Finding, RunReport, Severity, Status


@dataclass(frozen=True)
class RunDiff:
    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    still_open: tuple[Finding, ...]
    not_rechecked: tuple[Finding, ...]
    base_run: str
    current_run: str
    services: dict[str, str]  # target spec -> "OPD / service" label, from both runs
    regressed: tuple[Finding, ...] = ()  # absent from the base, seen in an earlier run

    def new_at_or_above(self, severity: Severity | None) -> list[Finding]:
        """New and regressed findings (both absent from the base) at or above ``severity``."""
        if severity is None:
            return []
        return [f for f in (*self.new, *self.regressed) if f.severity.rank >= severity.rank]

    def by_unit(self) -> dict[str, dict[str, int]]:
        """Counts of new / fixed / still open per owning unit and service."""
        table: dict[str, Counter[str]] = {}
        for name, findings in (("new", self.new), ("regressed", self.regressed),
                               ("fixed", self.fixed),
                               ("still_open", self.still_open),
                               ("not_rechecked", self.not_rechecked)):
            for f in findings:
                table.setdefault(self.services.get(f.target, f.target), Counter())[name] += 1
        return {unit: dict(counts) for unit, counts in sorted(table.items())}

    def to_dict(self) -> dict[str, Any]:
        def ids(findings: Iterable[Finding]) -> list[dict[str, str]]:
            return [{"id": f.id, "check": f.check, "severity": f.severity.value,
                     "target": f.target, "location": f.location, "title": f.title}
                    for f in findings]

        return {
            "base_run": self.base_run,
            "current_run": self.current_run,
            "counts": {"new": len(self.new), "regressed": len(self.regressed),
                       "fixed": len(self.fixed),
                       "still_open": len(self.still_open),
                       "not_rechecked": len(self.not_rechecked)},
            "by_unit": self.by_unit(),
            "new": ids(self.new),
            "regressed": ids(self.regressed),
            "fixed": ids(self.fixed),
            "still_open": ids(self.still_open),
            "not_rechecked": ids(self.not_rechecked),
        }


def _label(report: RunReport) -> dict[str, str]:
    labels = {}
    for o in report.outcomes:
        service = o.target.service
        labels[o.target.spec] = " / ".join(
            p for p in (service.opd or "(no OPD)", service.name or o.target.spec) if p)
    return labels


def _order(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (-f.severity.rank, f.check, f.target, f.id)))


def diff_runs(base: RunReport, current: RunReport,
              seen_before: AbstractSet[str] = frozenset()) -> RunDiff:
    """``seen_before``: finding ids of the runs before ``base`` (from the history
    store); without it nothing is regressed, everything absent from base is new."""
    before = {f.id: f for f in base.findings}
    after = {f.id: f for f in current.findings}
    passed = {(r.check, r.target) for r in current.results if r.status is Status.PASS}
    gone = [f for fid, f in before.items() if fid not in after]
    absent = [f for fid, f in after.items() if fid not in before]
    return RunDiff(
        new=_order(f for f in absent if f.id not in seen_before),
        regressed=_order(f for f in absent if f.id in seen_before),
        fixed=_order(f for f in gone if (f.check, f.target) in passed),
        still_open=_order(f for fid, f in after.items() if fid in before),
        not_rechecked=_order(f for f in gone if (f.check, f.target) not in passed),
        base_run=base.run.id,
        current_run=current.run.id,
        services={**_label(base), **_label(current)},
    )
