"""egov-audit diff"""

from __future__ import annotations

import sys

import click

from ..diff import RunDiff, diff_runs
from ..errors import ExitStatus
from ..result_io import load_result
from .common import SEVERITY_STYLE, handle_errors
from .scan_cmd import parse_fail_on
from .terminal import clean, json_text


@click.command()
@click.argument("base", type=click.Path(dir_okay=False))
@click.argument("current", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--fail-on", default="high", show_default=True, metavar="SEVERITY",
              help="Exit 1 when a NEW finding is at or above this severity (or 'none').")
@handle_errors
def diff(base: str, current: str, fmt: str, fail_on: str) -> None:
    """What changed from BASE to CURRENT (two stored results): new, fixed, still open.

    A finding counts as fixed only when its check ran again on the target and
    passed; otherwise it is listed as not re-checked. Exit 1 when a new finding
    reaches --fail-on, so a pipeline can gate on regressions only.
    """
    change = diff_runs(load_result(base), load_result(current))
    if fmt == "json":
        # Stored results hold what servers sent: no raw control or bidi character
        # reaches the terminal, in either format.
        click.echo(json_text(change.to_dict()))
    else:
        _print(change)
    gate = parse_fail_on(fail_on)
    sys.exit(int(ExitStatus.FINDINGS if change.new_at_or_above(gate) else ExitStatus.CLEAN))


def _print(change: RunDiff) -> None:
    click.echo(f"{len(change.new)} new, {len(change.fixed)} fixed, "
               f"{len(change.still_open)} still open, "
               f"{len(change.not_rechecked)} not re-checked")
    for title, findings in (("new", change.new), ("fixed", change.fixed)):
        for f in findings:
            tag = click.style(f"[{f.severity.value.upper():8}]", fg=SEVERITY_STYLE[f.severity])
            click.echo(f"  {title:5} {tag} {clean(f.check)}  {clean(f.location)}")
    units = change.by_unit()
    if units:
        click.echo("\nby unit / service:")
        for unit, counts in units.items():
            parts = ", ".join(f"{counts.get(k, 0)} {k.replace('_', ' ')}"
                              for k in ("new", "fixed", "still_open", "not_rechecked"))
            click.echo(f"  {clean(unit)}: {parts}")
