"""egov-audit diff"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ExitStatus
from ..gates.diff import RunDiff, diff_runs
from ..model import RunReport
from ..result_io import load_result
from .common import SEVERITY_STYLE, handle_errors
from .history_cmd import history_options, open_history
from .scan_cmd import parse_fail_on
from .terminal import clean, json_text

if TYPE_CHECKING:
    from ..history import HistoryStore


class _Runs:
    """Results by file path or by stored run reference; the store opens only when
    a reference needs it, so a diff of two files never creates one."""

    def __init__(self, history: str | None, config_path: str | None) -> None:
        self._where = (history, config_path)
        self._store: HistoryStore | None = None

    def store(self) -> HistoryStore:
        if self._store is None:
            self._store = open_history(*self._where)
        return self._store

    def load(self, ref: str) -> tuple[RunReport, bool]:
        if Path(ref).is_file() or ref.endswith(".json"):
            return load_result(ref), False
        return self.store().load(ref), True

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


@click.command()
@click.argument("base", default="previous", required=False)
@click.argument("current", default="last", required=False)
@history_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--fail-on", default="high", show_default=True, metavar="SEVERITY",
              help="Exit 1 when a NEW or REGRESSED finding is at or above this severity "
              "(or 'none').")
@handle_errors
def diff(base: str, current: str, history: str | None, config_path: str | None, fmt: str,
         fail_on: str) -> None:
    """What changed from BASE to CURRENT: new, regressed, fixed, still open.

    Each of BASE and CURRENT is a result file, or a run in the history store: a
    run id (or its first 8+ characters), 'last' or 'previous'. Without
    arguments: previous → last.

    A finding counts as fixed only when its check ran again on the target and
    passed; otherwise it is listed as not re-checked. With a stored BASE, a
    finding seen in a run before BASE, gone in BASE and back in CURRENT is
    regressed. Exit 1 when a new or regressed finding reaches --fail-on, so a
    pipeline can gate on regressions only.
    """
    gate = parse_fail_on(fail_on)
    runs = _Runs(history, config_path)
    try:
        before, stored = runs.load(base)
        after, _ = runs.load(current)
        seen = runs.store().finding_ids_before(before.run.id) if stored else frozenset()
    finally:
        runs.close()
    change = diff_runs(before, after, seen)
    if fmt == "json":
        # Stored results hold what servers sent: no raw control or bidi character
        # reaches the terminal, in either format.
        click.echo(json_text(change.to_dict()))
    else:
        _print(change)
    sys.exit(int(ExitStatus.FINDINGS if change.new_at_or_above(gate) else ExitStatus.CLEAN))


def _print(change: RunDiff) -> None:
    click.echo(f"{len(change.new)} new, {len(change.regressed)} regressed, "
               f"{len(change.fixed)} fixed, {len(change.still_open)} still open, "
               f"{len(change.not_rechecked)} not re-checked")
    for title, findings in (("new", change.new), ("back", change.regressed),
                            ("fixed", change.fixed)):
        for f in findings:
            tag = click.style(f"[{f.severity.value.upper():8}]", fg=SEVERITY_STYLE[f.severity])
            click.echo(f"  {title:5} {tag} {clean(f.check)}  {clean(f.location)}")
    units = change.by_unit()
    if units:
        click.echo("\nby unit / service:")
        for unit, counts in units.items():
            parts = ", ".join(f"{counts.get(k, 0)} {k.replace('_', ' ')}"
                              for k in ("new", "regressed", "fixed", "still_open",
                                        "not_rechecked"))
            click.echo(f"  {clean(unit)}: {parts}")
