"""Risk score per finding: how urgently it should be fixed, from 0 to 100.

The score is a product of weights, each in (0, 1], so that every factor can
only lower it and the most dangerous combination is exactly 100::

    score = 100 × severity × confidence × exposure × (criticality + data) / 2

``data`` is the weight of the service's data classification; for a finding
that itself exposes personal data, it is raised to the weight of the volume of
records involved (see :func:`volume_weight`). The weights live in this module
(documented in docs/prioritisation.md) so that a score can be recomputed by
hand from the factors recorded next to it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Finding, RunReport, Service, Target
from .risk_model import Factor, FindingRisk, PersonalDataFactor, RiskFactors, RiskRanking

SEVERITY = {"critical": 1.0, "high": 0.75, "medium": 0.5, "low": 0.25, "info": 0.05}
CONFIDENCE = {"certain": 1.0, "firm": 0.9, "tentative": 0.6}
EXPOSURE = {"internet": 1.0, "internal": 0.6}
CRITICALITY = {"vital": 1.0, "high": 0.85, "medium": 0.7, "low": 0.55}
DATA = {"specific": 1.0, "personal": 0.85, "internal": 0.65, "public": 0.5}

# Personal-data findings: the data weight grows with the number of records,
# from "personal" (one record) to "specific" (1,000 records or more) on a log scale.
_VOLUME_FLOOR = DATA["personal"]
_VOLUME_FULL = 1000

_PII_CWES = frozenset({359})  # Exposure of Private Personal Information
_PII_TAGS = frozenset({"pii", "personal-data", "personal_data", "data-pribadi"})

_EXPOSURE_WORDS = {"internet": "Internet-facing", "internal": "internal-only"}


@dataclass(frozen=True, slots=True)
class Risk:
    """A finding's score before ranking: the factors and the words behind them."""

    finding_id: str
    score: float
    factors: RiskFactors
    reasons: tuple[str, ...]  # the words behind the factors, worst first


def targets_by_spec(report: RunReport) -> dict[str, Target]:
    """Findings name their target by spec; this finds the Target (and its service)."""
    return {o.target.spec: o.target for o in report.outcomes}


def personal_data_count(finding: Finding) -> int | None:
    """The number of personal-data values a finding reports, if it says.

    PII checks put counts in ``details``: ``total`` or ``counts`` (identifier
    type → n). Anything else (missing, malformed, negative) reads as unknown.
    """
    details = finding.details if isinstance(finding.details, Mapping) else {}
    total = details.get("total")
    if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
        return total
    counts = details.get("counts")
    if isinstance(counts, Mapping):
        values = [v for v in counts.values()
                  if isinstance(v, int) and not isinstance(v, bool) and v >= 0]
        if values:
            return sum(values)
    return None


def is_personal_data(finding: Finding) -> bool:
    """True for findings that expose personal data: the ``pii`` family, CWE-359,
    or a ``personal_data``/``tags`` marker in the details."""
    if finding.check.split(".", 1)[0] == "pii" or _PII_CWES.intersection(finding.cwe):
        return True
    details = finding.details if isinstance(finding.details, Mapping) else {}
    return details.get("personal_data") is True or _tagged(details)


def exposes_personal_data(finding: Finding) -> bool:
    """True when the finding shows personal data actually readable by others: it
    counted records, carries an explicit marker, or is a CWE-359 finding of the
    ``pii`` family. A form served over plain HTTP or a missing privacy notice
    handles personal data without publishing any, so it is not an exposure."""
    count = personal_data_count(finding)
    if count is not None:
        return count > 0
    details = finding.details if isinstance(finding.details, Mapping) else {}
    if details.get("personal_data") is True or _tagged(details):
        return True
    return finding.check.split(".", 1)[0] == "pii" and bool(_PII_CWES.intersection(finding.cwe))


def _tagged(details: Mapping[str, Any]) -> bool:
    tags = details.get("tags")
    return isinstance(tags, list | tuple) and any(
        isinstance(t, str) and t.lower() in _PII_TAGS for t in tags
    )


def _specific(finding: Finding) -> bool:
    """PII checks list UU PDP Pasal 4(2) cues (health, children, finance...) they saw."""
    details = finding.details if isinstance(finding.details, Mapping) else {}
    cues = details.get("specific_data")
    return isinstance(cues, list) and bool(cues)


def volume_weight(count: int) -> float:
    """0.85 for one record, rising with log10 to 1.0 at 1,000 records or more."""
    if count <= 1:
        return _VOLUME_FLOOR
    share = min(1.0, math.log10(count) / math.log10(_VOLUME_FULL))
    return round(_VOLUME_FLOOR + (1.0 - _VOLUME_FLOOR) * share, 4)


def _weight(table: Mapping[str, float], value: str, default: str) -> tuple[str, float]:
    """Unknown values (a hand-edited result) fall back to the documented default."""
    key = value if value in table else default
    return key, table[key]


def score_finding(finding: Finding, service: Service) -> Risk:
    sev, w_sev = _weight(SEVERITY, finding.severity.value, "medium")
    conf, w_conf = _weight(CONFIDENCE, finding.confidence.value, "firm")
    exp, w_exp = _weight(EXPOSURE, service.exposure, "internet")
    crit, w_crit = _weight(CRITICALITY, service.criticality, "medium")
    cls, w_cls = _weight(DATA, service.data_classification, "internal")
    w_data = w_cls
    personal = is_personal_data(finding)
    count = personal_data_count(finding) if personal else None
    if personal:
        w_data = max(w_cls, volume_weight(count if count is not None else 1))
        if _specific(finding):
            w_data = DATA["specific"]
    context = (w_crit + w_data) / 2
    score = round(100 * w_sev * w_conf * w_exp * context, 1)
    factors = RiskFactors(
        severity=Factor(sev, w_sev),
        confidence=Factor(conf, w_conf),
        exposure=Factor(exp, w_exp),
        criticality=Factor(crit, w_crit),
        data_classification=Factor(cls, w_cls),
        personal_data=PersonalDataFactor(personal, count, personal and _specific(finding),
                                         w_data),
        context=round(context, 4),
    )
    return Risk(finding.id, score, factors,
                _reasons(sev, conf, exp, crit, cls, personal, count,
                         personal and _specific(finding)))


def _reasons(sev: str, conf: str, exp: str, crit: str, cls: str, personal: bool,
             count: int | None, specific: bool) -> tuple[str, ...]:
    """The factors in plain words, in the order a person weighs them."""
    words = [f"a {sev}-severity finding ({conf} confidence"
             + ("; a person should confirm it)" if conf == "tentative" else ")")]
    words.append(f"on an {_EXPOSURE_WORDS[exp]} service of {crit} criticality "
                 f"holding {cls} data")
    if personal:
        words.append(("that itself exposes personal data" if count is None
                      else f"that itself exposes {count:,} personal-data value(s)")
                     + (", including specific data (UU PDP Pasal 4(2))" if specific else ""))
    return tuple(words)


def explain(risk: Risk, rank: int, total: int) -> str:
    """The "why this is first" sentence of a finding, with the arithmetic behind it."""
    f = risk.factors
    arithmetic = (
        f"100 × {f.severity.weight} severity × {f.confidence.weight} confidence"
        f" × {f.exposure.weight} exposure × ({f.criticality.weight} criticality"
        f" + {f.personal_data.weight} data) / 2 = {risk.score}"
    )
    return (f"Ranked {rank} of {total}: " + " ".join(risk.reasons)
            + f". Score: {arithmetic}.")


def rank(report: RunReport) -> RiskRanking:
    """The ``risk`` section: finding id → score, rank, factors and explanation.

    Ties are broken by severity, then check id, target and finding id, so the
    order never depends on the order the targets finished in.
    """
    targets = targets_by_spec(report)
    risks: list[tuple[Risk, Finding]] = []
    for finding in report.findings:
        target = targets.get(finding.target)
        service = target.service if target is not None else Service()
        risks.append((score_finding(finding, service), finding))
    ordered = sorted(risks, key=lambda rf: (-rf[0].score, -rf[1].severity.rank,
                                            rf[1].check, rf[1].target, rf[1].id))
    unique: dict[str, Risk] = {}
    for risk, _ in ordered:  # the same fingerprint twice: keep the first (worst)
        unique.setdefault(risk.finding_id, risk)
    return RiskRanking({
        risk.finding_id: FindingRisk(risk.score, number, risk.factors,
                                     explain(risk, number, len(unique)))
        for number, risk in enumerate(unique.values(), start=1)
    })

