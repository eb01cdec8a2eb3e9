"""The CI gate: from a report and a threshold to an exit status."""

from __future__ import annotations

from .errors import ExitStatus
from .model import RunReport, Severity


def exit_status(report: RunReport, fail_on: Severity | None) -> ExitStatus:
    """1 when a finding reaches ``fail_on`` (this wins), 3 when the run is incomplete,
    130 when it was interrupted, else 0."""
    if report.run.interrupted:
        return ExitStatus.INTERRUPTED
    if fail_on is not None and any(f.severity.rank >= fail_on.rank for f in report.findings):
        return ExitStatus.FINDINGS
    if report.incomplete:
        return ExitStatus.INCOMPLETE
    return ExitStatus.CLEAN
