"""Risk ranking and the remediation plan (issue 9).

Contract with the CLI:

    prioritise(report, sla=None) -> RunReport

adds ``report.extensions["risk"]`` (finding id → score, rank, factors and the
"why this is first" sentence, see :mod:`egov_audit.prioritise.risk`) and
``report.extensions["plan"]`` (findings grouped by the action that fixes
them, ordered by risk removed, see :mod:`egov_audit.prioritise.plan`). Deterministic:
the same report and SLA give the same extensions, byte for byte; dates count
from the run's ``started_at``, never from today.

The stages build typed values (:class:`RiskRanking`, :class:`Plan`); the
report keeps their JSON form, which is the result contract, so storing,
signing and shipping a report never needs to know these types. Readers parse
a section once: ``Plan.from_json(report.extensions["plan"])``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..model import RunReport
from .plan import build_plan
from .plan_model import Plan, PlanItem, PlanNote, SlaTerm
from .risk import rank
from .risk_model import FindingRisk, RiskFactors, RiskRanking
from .sla import validate_sla

__all__ = ["FindingRisk", "Plan", "PlanItem", "PlanNote", "RiskFactors", "RiskRanking",
           "SlaTerm", "prioritise"]


def prioritise(report: RunReport, sla: Mapping[str, Any] | None = None) -> RunReport:
    """Return ``report`` with the ``risk`` and ``plan`` extensions (re)computed.

    Raises :class:`egov_audit.errors.InputError` when ``sla`` (the ``[sla]``
    section of the configuration) is malformed, or when the report's stored
    plan is. When re-rendering a stored result without an SLA, the SLA
    recorded in its plan is reused so the dates do not change.
    """
    previous = report.extensions.get("plan")
    if sla is None and previous is not None:
        sla = Plan.from_json(previous).sla
    effective = validate_sla(sla)
    risk = rank(report)
    plan = build_plan(report, risk, effective)
    return replace(report, extensions={**report.extensions, "risk": risk.to_json(),
                                       "plan": plan.to_json()})
