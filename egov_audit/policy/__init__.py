"""Policy packs: map findings to the controls of laws and standards (issue 8).

Contract with the rest of the tool (the CLI calls exactly this):

    apply_policies(report, selected) -> RunReport

* fills ``Finding.controls`` of every finding with ``"<pack-id>:<control-id>"``
  references from every installed pack (and any custom pack selected);
* adds ``report.extensions["compliance"]``: a mapping pack id → summary of the
  selected packs (``selected=None`` means :data:`DEFAULT_PACKS`), the JSON
  form of a :class:`Compliance` (read a stored one with ``Compliance.from_json``).

It is pure: re-evaluating a stored result gives the same compliance as the
live run did (on the same installation).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from ..errors import InputError
from ..model import RunReport
from .compliance_model import Compliance, ControlOutcome, PackCompliance, StatusCounts
from .evaluate import RunIndex, control_refs, evaluate_pack, known_checks
from .loader import builtin_packs, lint_pack, load_pack_file
from .model import Control, ControlStatus, Pack

__all__ = [
    "DEFAULT_PACKS",
    "Compliance",
    "Control",
    "ControlOutcome",
    "ControlStatus",
    "Pack",
    "PackCompliance",
    "StatusCounts",
    "apply_policies",
    "resolve_packs",
]

# Indonesian law first, then the international standard most SPBE audits cite.
DEFAULT_PACKS: tuple[str, ...] = ("uu-pdp-2022", "bssn-4-2021", "iso-27001-2022")


def _installed_checks() -> frozenset[str]:
    from ..registry import load_catalogue

    return frozenset(load_catalogue().checks)


def _looks_like_file(spec: str) -> bool:
    return spec.endswith(".toml") or "/" in spec or "\\" in spec or Path(spec).is_file()


def resolve_packs(selected: Sequence[str] | None, installed: Iterable[str]) -> list[Pack]:
    """Packs named by id (built-in) or by file (custom), in the order given.

    A custom pack must lint without errors against the installed checks, and
    must not reuse a built-in pack's id (findings would cite it ambiguously).
    """
    builtins = builtin_packs()
    packs: list[Pack] = []
    for spec in DEFAULT_PACKS if selected is None else selected:
        if spec in builtins:
            pack = builtins[spec]
        elif _looks_like_file(spec):
            pack = load_pack_file(spec)
            if pack.id in builtins:
                raise InputError(f"pack id {pack.id!r} is already used by a built-in pack",
                                 source=spec, line=1, expected="a new id for a custom pack")
            errors = [p for p in lint_pack(pack, installed) if p.level == "error"]
            if errors:
                first = errors[0]
                raise InputError(first.message, source=first.source, line=first.line)
        else:
            raise InputError(f"unknown policy pack {spec!r}",
                             expected="one of " + ", ".join(builtins) + ", or a pack file")
        if all(p.id != pack.id for p in packs):
            packs.append(pack)
    return packs


def apply_policies(
    report: RunReport,
    selected: Sequence[str] | None = None,
    installed: Iterable[str] | None = None,
) -> RunReport:
    """Map every finding to its controls and add the compliance of the selected packs.

    ``installed`` is the catalogue's check ids when the caller has already loaded
    it (a scan has); otherwise the catalogue is loaded here.
    """
    installed = frozenset(installed) if installed is not None else _installed_checks()
    chosen = resolve_packs(selected, installed)
    mapping = list(builtin_packs().values()) + [p for p in chosen if not p.builtin]
    outcomes = tuple(
        replace(o, findings=tuple(replace(f, controls=control_refs(f.check, mapping))
                                  for f in o.findings))
        for o in report.outcomes
    )
    mapped = replace(report, outcomes=outcomes)
    known = known_checks(mapped, installed)
    index = RunIndex.of(mapped)
    compliance = Compliance({p.id: evaluate_pack(p, mapped, known, index) for p in chosen})
    return replace(mapped, extensions={**dict(report.extensions),
                                       "compliance": compliance.to_json()})


def packs_from_config(
    section: object, source: str | None = None
) -> list[str] | None:
    """The ``[policy] packs = [...]`` selection of a configuration file.

    Pack files are resolved relative to the configuration file, like ``ca_bundle``.
    """
    if section is None:
        return None
    if not isinstance(section, dict) or set(section) - {"packs"}:
        raise InputError("[policy] takes one key, packs", source=source,
                         expected='packs = ["bssn-4-2021", "city-standard.toml"]')
    packs = section.get("packs", [])
    if not isinstance(packs, list) or not all(isinstance(p, str) and p for p in packs):
        raise InputError("[policy] packs must be a list of pack ids or pack files",
                         source=source, expected='packs = ["uu-pdp-2022", "bssn-4-2021"]')
    base = Path(source).parent if source else Path(".")
    return [str((base / p).resolve()) if _looks_like_file(p) else p for p in packs] or None
