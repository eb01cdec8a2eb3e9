"""The ``risk`` section of a result as typed values: finding id → score, rank, factors, why.

:func:`egov_audit.prioritise.risk.rank` builds a :class:`RiskRanking`; the
result stores ``to_json()`` of it (the contract's JSON, unchanged), and readers
of a stored result parse it once with :meth:`RiskRanking.from_json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..json_fields import JsonFields


@dataclass(frozen=True, slots=True)
class Factor:
    """One factor of the score: the value it was read from and its weight."""

    value: str
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "weight": self.weight}

    @classmethod
    def from_json(cls, fields: JsonFields) -> Factor:
        _exact(fields, ("value", "weight"))
        return cls(fields.text("value"), fields.number("weight"))


@dataclass(frozen=True, slots=True)
class PersonalDataFactor:
    """Whether the finding itself exposes personal data, how many records, and
    the data weight that results (see :func:`~egov_audit.prioritise.risk.volume_weight`)."""

    involved: bool
    records: int | None
    specific: bool
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {"involved": self.involved, "records": self.records,
                "specific": self.specific, "weight": self.weight}

    @classmethod
    def from_json(cls, fields: JsonFields) -> PersonalDataFactor:
        _exact(fields, ("involved", "records", "specific", "weight"))
        return cls(fields.flag("involved"), fields.optional_integer("records", 0),
                   fields.flag("specific"), fields.number("weight"))


@dataclass(frozen=True, slots=True)
class RiskFactors:
    """Every value and weight behind a score, so it can be recomputed by hand."""

    severity: Factor
    confidence: Factor
    exposure: Factor
    criticality: Factor
    data_classification: Factor
    personal_data: PersonalDataFactor
    context: float  # (criticality + data) / 2

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity.to_json(),
            "confidence": self.confidence.to_json(),
            "exposure": self.exposure.to_json(),
            "criticality": self.criticality.to_json(),
            "data_classification": self.data_classification.to_json(),
            "personal_data": self.personal_data.to_json(),
            "context": self.context,
        }

    @classmethod
    def from_json(cls, fields: JsonFields) -> RiskFactors:
        """Strict: exactly the keys this version writes, each of its type."""
        _exact(fields, _FACTOR_KEYS)
        return cls(
            severity=Factor.from_json(fields.obj("severity")),
            confidence=Factor.from_json(fields.obj("confidence")),
            exposure=Factor.from_json(fields.obj("exposure")),
            criticality=Factor.from_json(fields.obj("criticality")),
            data_classification=Factor.from_json(fields.obj("data_classification")),
            personal_data=PersonalDataFactor.from_json(fields.obj("personal_data")),
            context=fields.number("context"),
        )


_FACTOR_KEYS = ("severity", "confidence", "exposure", "criticality", "data_classification",
                "personal_data", "context")


def _exact(fields: JsonFields, keys: tuple[str, ...]) -> None:
    """Factors are read as typed only when nothing would be lost writing them back."""
    if set(fields.names()) != set(keys):
        raise InputError(f"malformed result: {fields.path} has other keys",
                         expected="exactly " + ", ".join(keys))


@dataclass(frozen=True, slots=True)
class FindingRisk:
    """How urgently one finding should be fixed.

    ``factors`` is a :class:`RiskFactors` when it has the shape this version
    writes. The contract leaves it an open object (results written by other
    tools, or by hand, may record other factors), so anything else is kept as
    the JSON object it is rather than refused: no renderer reads it.
    """

    score: float  # 0-100
    rank: int  # 1 = fix first
    factors: RiskFactors | Mapping[str, Any]
    why: str  # the "why this is first" sentence, with the arithmetic

    def to_json(self) -> dict[str, Any]:
        factors = (self.factors.to_json() if isinstance(self.factors, RiskFactors)
                   else dict(self.factors))
        return {"score": self.score, "rank": self.rank, "factors": factors, "why": self.why}

    @classmethod
    def from_json(cls, fields: JsonFields) -> FindingRisk:
        score, rank = fields.number("score"), fields.integer("rank", 1)
        recorded = fields.mapping("factors")
        factors: RiskFactors | Mapping[str, Any]
        try:
            factors = RiskFactors.from_json(fields.obj("factors"))
        except InputError:
            factors = recorded
        return cls(score, rank, factors, fields.text("why"))


@dataclass(frozen=True, slots=True)
class RiskRanking:
    """``extensions["risk"]``: finding id → :class:`FindingRisk`, in rank order."""

    findings: Mapping[str, FindingRisk]

    def get(self, finding_id: str) -> FindingRisk | None:
        return self.findings.get(finding_id)

    def to_json(self) -> dict[str, Any]:
        return {fid: risk.to_json() for fid, risk in self.findings.items()}

    @classmethod
    def from_json(cls, value: object, path: str = "extensions.risk") -> RiskRanking:
        """Parse a stored section; InputError naming the field when it is malformed."""
        section = JsonFields(value, path)
        return cls({fid: FindingRisk.from_json(entry) for fid, entry in section.entries()})
