"""What changed since the previous stored run, recorded in the result.

``egov-audit run`` calls :func:`since_previous` before it writes the reports,
so every format can say "new since the previous run" and "fixed since the
previous run" without a second file: ``extensions["history"]`` (contract 1.1,
docs/result-contract.md). Fixed and not re-checked findings are no longer in
this run's ``findings``, so the section keeps a short record of each.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..gates.diff import diff_runs
from ..model import Finding, RunReport
from .connect import HistoryError
from .store import HistoryStore


def _brief(f: Finding) -> dict[str, Any]:
    return {"id": f.id, "check": f.check, "severity": f.severity.value, "target": f.target,
            "location": f.location, "title": f.title}


def since_previous(report: RunReport, store: HistoryStore) -> RunReport:
    """``report`` with ``extensions["history"]`` comparing it with the newest run in
    ``store`` (call it before storing ``report``); unchanged when the store is empty."""
    try:
        previous = store.load("last")
    except HistoryError:
        return report  # the first run: nothing to compare with
    change = diff_runs(previous, report, store.finding_ids_before(previous.run.id))
    section = {
        "previous_run": previous.run.id,
        "previous_started_at": previous.run.started_at,
        "new": [f.id for f in change.new],
        "regressed": [f.id for f in change.regressed],
        "still_open": [f.id for f in change.still_open],
        "fixed": [_brief(f) for f in change.fixed],
        "not_rechecked": [_brief(f) for f in change.not_rechecked],
    }
    return replace(report, extensions={**dict(report.extensions), "history": section})
