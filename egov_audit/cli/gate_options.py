"""--baseline, --fail-on-new, --fail-on-policy and --suppressions, for scan and run.

One decorator adds the four options and hands the command a single
:class:`GateChoice`; the command then calls, in order::

    gate = choice.prepare(request)              # before the scan: bad input exits 2 now
    selected = gate.policies(selected)          # the gated packs are evaluated too
    report = gate.apply(post_processed_report)  # suppressions recorded in the result
    exit_promptly(int(gate.status(report, request.options.fail_on)))
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import ExitStatus, InputError
from ..gates import Gate, Verdict, baseline_ids, evaluate
from ..model import RunReport, Severity
from .common import split_list

if TYPE_CHECKING:
    from ..gates.suppressions import SuppressionFile
    from ..runner import AuditRequest


@dataclass(frozen=True)
class PreparedGate:
    baseline: frozenset[str] | None
    packs: tuple[str, ...]
    suppressions: SuppressionFile | None

    def policies(self, selected: Sequence[str] | None) -> list[str] | None:
        """The pack selection with every gated pack added (None keeps the default)."""
        if not self.packs:
            return None if selected is None else list(selected)
        from ..policy import DEFAULT_PACKS

        base = DEFAULT_PACKS if selected is None else selected  # [] means "no packs"
        return list(dict.fromkeys([*base, *self.packs]))

    def apply(self, report: RunReport) -> RunReport:
        if self.suppressions is None:
            return report
        from ..gates.suppressions import apply_suppressions

        return apply_suppressions(report, self.suppressions)

    def verdict(self, report: RunReport, fail_on: Severity | None) -> Verdict:
        return evaluate(report, Gate(fail_on=fail_on, baseline=self.baseline,
                                     policies=self.packs))

    def status(self, report: RunReport, fail_on: Severity | None) -> ExitStatus:
        return self.verdict(report, fail_on).status


@dataclass(frozen=True)
class GateChoice:
    baseline: str | None = None
    fail_on_new: bool = False
    fail_on_policy: tuple[str, ...] = ()
    suppressions: str | None = None
    history: str | None = None  # store for --baseline last

    def prepare(self, request: AuditRequest) -> PreparedGate:
        """Read the baseline, the suppression file and the gated packs now, so a
        bad file exits 2 before any target is contacted."""
        configured = _configured_gates(request)
        fail_on_new = self.fail_on_new or bool(configured.get("fail_on_new", False))
        ref = self.baseline or configured.get("baseline") or ("last" if fail_on_new else None)
        baseline = baseline_ids(self._load_baseline(ref, request)) if ref else None
        packs: tuple[str, ...] = ()
        wanted = [*split_list(self.fail_on_policy), *configured.get("fail_on_policy", [])]
        if wanted:
            from ..policy import resolve_packs

            packs = tuple(dict.fromkeys(p.id for p in resolve_packs(
                list(dict.fromkeys(wanted)), request.catalogue.checks)))
        path = self.suppressions or _configured_suppressions(request)
        loaded = None
        if path:
            from ..gates.suppressions import load_suppressions

            loaded = load_suppressions(path)
        return PreparedGate(baseline, packs, loaded)

    def _load_baseline(self, ref: str, request: AuditRequest) -> RunReport:
        if Path(ref).is_file() or ref.endswith(".json"):
            from ..result_io import load_result

            return load_result(ref)
        from ..history import HistoryStore, configured_store

        location, _keep = configured_store(request.config_path, self.history)
        with HistoryStore.open(location) as store:
            return store.load(ref)


_GATE_KEYS: dict[str, type] = {"baseline": str, "fail_on_new": bool, "fail_on_policy": list}


def _configured_gates(request: AuditRequest) -> dict[str, Any]:
    """``[gates]`` of the configuration: baseline, fail_on_new, fail_on_policy;
    the command-line options add to it (a flag given there wins)."""
    section = request.config_sections.get("gates")
    if section is None:
        return {}
    expected = 'baseline = "last", fail_on_new = true, fail_on_policy = ["bssn-4-2021"]'
    if not isinstance(section, dict):
        raise InputError("[gates] must be a table", source=request.config_path,
                         expected=expected, key=("gates",))
    for key, value in section.items():
        kind = _GATE_KEYS.get(key)
        if kind is None or not isinstance(value, kind) or (
                isinstance(value, list) and not all(isinstance(v, str) for v in value)):
            raise InputError(f"gates.{key} is not valid", source=request.config_path,
                             expected=expected, key=("gates", key))
    return dict(section)


def _configured_suppressions(request: AuditRequest) -> str | None:
    """``[suppressions] path`` of the configuration, relative to the file."""
    section = request.config_sections.get("suppressions")
    if section is None:
        return None
    if not isinstance(section, dict) or set(section) - {"path"} \
            or not isinstance(section.get("path"), str):
        raise InputError("[suppressions] takes one key, path", source=request.config_path,
                         expected='path = "suppressions.toml"', key=("suppressions",))
    path = Path(section["path"])
    if not path.is_absolute() and request.config_path:
        path = Path(request.config_path).parent / path
    return str(path)


def gate_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Adds the gate options and passes them to the command as ``gate: GateChoice``."""

    @functools.wraps(func)
    def wrapper(*args: Any, baseline: str | None, fail_on_new: bool,
                fail_on_policy: tuple[str, ...], suppressions: str | None,
                **kwargs: Any) -> Any:
        choice = GateChoice(baseline, fail_on_new, fail_on_policy, suppressions,
                            kwargs.get("history"))
        return func(*args, gate=choice, **kwargs)

    options = [
        click.option("--baseline", metavar="RESULT.json|RUN",
                     help="Accepted state: a result file, or a stored run ('last', "
                     "'previous', a run id). Only findings absent from it count for "
                     "--fail-on."),
        click.option("--fail-on-new", is_flag=True,
                     help="Only findings new since the baseline count for --fail-on "
                     "(baseline default: the last stored run)."),
        click.option("--fail-on-policy", "fail_on_policy", multiple=True, metavar="PACK",
                     help="Exit 1 when this policy pack has failing controls "
                     "(repeatable; the pack is evaluated even if not in --policy)."),
        click.option("--suppressions", type=click.Path(dir_okay=False), metavar="FILE",
                     help="Accepted findings (TOML): muted in every report, not counted "
                     "for --fail-on until they expire."),
    ]
    out: Callable[..., Any] = wrapper
    for option in reversed(options):
        out = option(out)
    return out
