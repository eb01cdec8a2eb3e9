"""Risk ranking and the remediation plan (issue 9).

Contract with the CLI:

    prioritise(report, sla=None) -> RunReport

adds ``report.extensions["risk"]`` (finding id → score and its explanation)
and ``report.extensions["plan"]`` (findings grouped by the action that fixes
them, ordered by risk removed). Deterministic: the same report gives the same
plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import RunReport


def prioritise(report: RunReport, sla: Mapping[str, Any] | None = None) -> RunReport:
    """Placeholder until prioritisation lands: returns the report unchanged."""
    return report
