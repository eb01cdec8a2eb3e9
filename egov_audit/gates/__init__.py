"""What a run is judged against, for CI pipelines and scheduled audits.

- :mod:`.verdict`: the gate (severity, new since a baseline, failing policy
  controls) and the exit status it gives;
- :mod:`.suppressions`: accepted findings with a justification, an approver
  and an expiry, muted in every report;
- :mod:`.diff`: two results compared by their stable finding ids (new, fixed,
  still open, not re-checked), for ``egov-audit diff``, the history and the
  dashboard.

The names below are the ones programs use (see docs/ci-gates.md).
"""

from __future__ import annotations

from .verdict import (
    Gate,
    Verdict,
    baseline_ids,
    counted_findings,
    evaluate,
    exit_status,
    failing_controls,
    suppressed_ids,
)

__all__ = ["Gate", "Verdict", "baseline_ids", "counted_findings", "evaluate", "exit_status",
           "failing_controls", "suppressed_ids"]
