"""The ``compliance`` section of a result as typed values: per pack, per control status.

:func:`egov_audit.policy.evaluate.evaluate_pack` builds a
:class:`PackCompliance` per selected pack; the result stores ``to_json()`` of the
:class:`Compliance` (the contract's JSON, unchanged), and readers of a stored
result parse it once with :meth:`Compliance.from_json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..json_fields import JsonFields
from .model import ControlStatus

_STATUSES = tuple(s.value for s in ControlStatus)
# BSSN audit wording (Perka BSSN 15/2024 Bab I.G), the only verdict scheme so far.
MEMADAI = "Memadai"
PERLU_PENINGKATAN = "Perlu Peningkatan"
TIDAK_MEMADAI = "Tidak Memadai"
VERDICTS = (MEMADAI, PERLU_PENINGKATAN, TIDAK_MEMADAI)


@dataclass(frozen=True, slots=True)
class ControlOutcome:
    """One control's status in a run, with the checks behind it and the findings
    that made it fail (or that a person must review)."""

    id: str
    title: str
    title_id: str  # the Indonesian title, or the English one when the pack has none
    status: ControlStatus
    checks: tuple[str, ...]
    findings: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "title_id": self.title_id,
                "status": self.status.value, "checks": list(self.checks),
                "findings": list(self.findings)}

    @classmethod
    def from_json(cls, f: JsonFields) -> ControlOutcome:
        return cls(f.text("id"), f.text("title"), f.text("title_id"),
                   ControlStatus(f.choice("status", _STATUSES)), f.texts("checks"),
                   f.texts("findings"))


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """How many controls of a pack have each status."""

    passed: int = 0
    failed: int = 0
    incomplete: int = 0
    not_assessed: int = 0

    @classmethod
    def of(cls, statuses: list[ControlStatus]) -> StatusCounts:
        return cls(*(statuses.count(s) for s in ControlStatus))

    def to_json(self) -> dict[str, int]:
        return {"pass": self.passed, "fail": self.failed, "incomplete": self.incomplete,
                "not_assessed": self.not_assessed}

    @classmethod
    def from_json(cls, f: JsonFields) -> StatusCounts:
        return cls(*(f.integer(s, 0) for s in _STATUSES))


@dataclass(frozen=True, slots=True)
class PackCompliance:
    """One policy pack evaluated against a run."""

    title: str
    version: str
    source: str
    summary: StatusCounts
    verdict: str | None  # the BSSN audit conclusion, for packs with that scheme
    controls: tuple[ControlOutcome, ...]

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "version": self.version, "source": self.source,
                "summary": self.summary.to_json(), "verdict": self.verdict,
                "controls": [c.to_json() for c in self.controls]}

    @classmethod
    def from_json(cls, f: JsonFields) -> PackCompliance:
        verdict = None if f.raw("verdict", "a verdict or null") is None else f.choice(
            "verdict", VERDICTS)
        return cls(f.text("title"), f.text("version"), f.text("source"),
                   StatusCounts.from_json(f.obj("summary")), verdict,
                   tuple(ControlOutcome.from_json(c) for c in f.objects("controls")))


@dataclass(frozen=True, slots=True)
class Compliance:
    """``extensions["compliance"]``: pack id → :class:`PackCompliance`, in selection order."""

    packs: Mapping[str, PackCompliance]

    def to_json(self) -> dict[str, Any]:
        return {pack_id: pack.to_json() for pack_id, pack in self.packs.items()}

    @classmethod
    def from_json(cls, value: object, path: str = "extensions.compliance") -> Compliance:
        """Parse a stored section; InputError naming the field when it is malformed."""
        section = JsonFields(value, path)
        return cls({pack_id: PackCompliance.from_json(p) for pack_id, p in section.entries()})
