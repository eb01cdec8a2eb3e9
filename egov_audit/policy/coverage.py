"""Which controls of a pack the installed checks can evidence automatically."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import Pack


@dataclass(frozen=True)
class PackCoverage:
    pack: Pack
    automated: tuple[str, ...]  # control ids with at least one installed check
    manual: tuple[str, ...]  # control ids no installed check evidences

    @property
    def total(self) -> int:
        return len(self.pack.controls)

    @property
    def percent(self) -> float:
        return 100.0 * len(self.automated) / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "pack": self.pack.id,
            "title": self.pack.title,
            "controls": self.total,
            "automated": len(self.automated),
            "percent": round(self.percent, 1),
            "automated_controls": list(self.automated),
            "manual_controls": list(self.manual),
        }


def coverage(pack: Pack, check_ids: Iterable[str]) -> PackCoverage:
    ids = frozenset(check_ids)
    automated = tuple(c.id for c in pack.controls if c.expand(ids))
    manual = tuple(c.id for c in pack.controls if c.id not in set(automated))
    return PackCoverage(pack, automated, manual)


def unmapped_checks(packs: Iterable[Pack], check_ids: Iterable[str]) -> list[str]:
    """Installed checks that no control of any of ``packs`` maps."""
    packs = list(packs)
    return sorted(c for c in check_ids
                  if not any(ctrl.covers(c) for p in packs for ctrl in p.controls))
