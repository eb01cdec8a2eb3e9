"""Compliance of one service or unit, from the stored rows of its newest run.

A run's ``extensions.compliance`` judges the whole run; an officer reporting to
one unit needs that unit's standing. The policy engine's own rules
(:func:`egov_audit.policy.evaluate.evaluate_control`, :func:`bssn_verdict`) are
applied to an index built from the unit's targets only, so the dashboard can
never judge more kindly than the report would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ..model import Severity, Status
from ..policy.evaluate import SERIOUS, RunIndex, bssn_verdict, evaluate_control
from ..policy.loader import builtin_packs
from ..policy.model import Control, ControlStatus, Pack
from .queries import CheckFacts

BSSN = "bssn-4-2021"
UU_PDP = "uu-pdp-2022"
MATRIX_PACKS = ("uu-pdp-2022", "bssn-4-2021", "iso-27001-2022")
_STATUSES = {s.value: s for s in Status}
_SEVERITIES = {s.value: s for s in Severity}


@dataclass(frozen=True)
class PackStanding:
    status: str  # fail | incomplete | pass | not_assessed (the worst control status)
    verdict: str | None  # BSSN wording, for packs that carry a verdict
    summary: dict[str, int]
    controls: dict[str, str]  # control id -> status


@cache
def packs() -> dict[str, Pack]:
    return builtin_packs()


def index_of(facts: Iterable[CheckFacts]) -> RunIndex:
    index = RunIndex()
    for f in facts:
        for check, statuses in f.statuses.items():
            index.statuses[check].update(_STATUSES[s] for s in statuses if s in _STATUSES)
        for check, fid, severity in f.findings:
            sev = _SEVERITIES.get(severity, Severity.INFO)
            index.observed[check].add(fid)
            index.severity[fid] = sev
            (index.info if sev is Severity.INFO else index.failing)[check].add(fid)
    return index


_EXPANDED: dict[tuple[str, str, frozenset[str]], frozenset[str]] = {}


def _expanded(pack: Pack, control: Control, known: frozenset[str]) -> frozenset[str]:
    """The control's checks among ``known``, memoised: matching every control's
    patterns against every check id is the slow part, and services of one run
    share the same known checks."""
    key = (pack.id, control.id, known)
    found = _EXPANDED.get(key)
    if found is None:
        if len(_EXPANDED) > 10_000:
            _EXPANDED.clear()
        found = _EXPANDED[key] = frozenset(control.expand(known))
    return found


def standing(pack: Pack, index: RunIndex) -> PackStanding:
    known = frozenset(index.statuses) | frozenset(index.observed)
    summary = {s.value: 0 for s in ControlStatus}
    controls = {}
    serious = False
    for control in pack.controls:
        status, _checks, findings = evaluate_control(control, index,
                                                     _expanded(pack, control, known))
        summary[status.value] += 1
        controls[control.id] = status.value
        serious = serious or any(index.severity.get(f) in SERIOUS for f in findings)
    worst = next((s for s in ("fail", "incomplete", "pass") if summary[s]), "not_assessed")
    verdict = bssn_verdict(summary, serious) if pack.verdict == "bssn" else None
    return PackStanding(worst, verdict, summary, controls)


def standing_of(pack_id: str, facts: Iterable[CheckFacts]) -> PackStanding | None:
    pack = packs().get(pack_id)
    return None if pack is None else standing(pack, index_of(facts))
