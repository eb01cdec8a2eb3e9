"""JSON forms of what crosses the broker: scan options and one target's outcome.

Celery is configured for JSON only: a pickle from Redis would let anyone who
can write to the broker run code on every worker. The outcome's JSON form is
the result contract's own (``result_io``), so nothing a report needs is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from ..model import RunInfo, RunReport, Severity, TargetOutcome
from ..options import ScanOptions
from ..result_io import report_from_dict, report_to_dict

_EMPTY_RUN = RunInfo(id="-", started_at="-", finished_at="-", duration_s=0.0, options={})


def outcome_to_dict(outcome: TargetOutcome) -> dict[str, Any]:
    data = report_to_dict(RunReport("1.1", {}, _EMPTY_RUN, (outcome,), {}))
    return {"target": data["targets"][0], "results": data["results"],
            "findings": data["findings"]}


def outcome_from_dict(data: Mapping[str, Any]) -> TargetOutcome:
    report = report_from_dict({
        "schema_version": "1.1", "tool": {}, "run": _EMPTY_RUN.__dict__,
        "targets": [data["target"]], "results": data["results"],
        "findings": data["findings"],
    })
    return report.outcomes[0]


def options_from_dict(data: Mapping[str, Any]) -> ScanOptions:
    """The inverse of :meth:`ScanOptions.to_dict` (unknown keys are ignored)."""
    known = {f.name for f in fields(ScanOptions)}
    values = {k: v for k, v in data.items() if k in known}
    values["checks"] = tuple(values.get("checks", ("*",)))
    values["skip"] = tuple(values.get("skip", ()))
    fail_on = values.get("fail_on")
    values["fail_on"] = Severity(fail_on) if fail_on else None
    values["settings"] = {k: dict(v) for k, v in values.get("settings", {}).items()}
    return ScanOptions(**values)
