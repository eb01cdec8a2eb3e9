"""egov-audit history"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from .common import handle_errors
from .terminal import clean, json_text

if TYPE_CHECKING:  # SQLAlchemy loads only when a command opens a store
    from ..history import HistoryStore, StoredRun, TrendPoint

SEVERITY_ABBR = (("critical", "C"), ("high", "H"), ("medium", "M"), ("low", "L"), ("info", "I"))


def history_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--history and -c: which store, for every command that reads or writes one."""
    func = click.option("--history", "history", metavar="PATH|URL",
                        help="History store: a SQLite file or a database URL. Default: "
                        "[history] of the configuration, else $EGOV_AUDIT_HISTORY, else "
                        "history.sqlite in the user data directory.")(func)
    return click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
                        help="Audit configuration whose [history] names the store.")(func)


def open_history(history: str | None, config_path: str | None) -> HistoryStore:
    from ..history import HistoryStore, configured_store

    location, _keep = configured_store(config_path, history)
    return HistoryStore.open(location)


@click.command()
@history_options
@click.option("--service", help="Only runs that audited this service; count only its findings.")
@click.option("--opd", help="Only runs that audited this owning unit; count only its findings.")
@click.option("--last", "last", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many runs to list, and the window of --trend.")
@click.option("--trend", type=click.Choice(["service", "opd"]),
              help="Open findings by severity per service or per OPD over the last runs.")
@click.option("--add", "add", multiple=True, type=click.Path(dir_okay=False),
              help="Store existing result files first (e.g. to back-fill history).")
@click.option("--copy-to", "copy_to", metavar="PATH|URL",
              help="Copy every stored run to another store (e.g. from SQLite to a shared "
              "PostgreSQL), oldest first; runs already there are skipped.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@handle_errors
def history(history: str | None, config_path: str | None, service: str | None,
            opd: str | None, last: int, trend: str | None, add: tuple[str, ...],
            copy_to: str | None, fmt: str) -> None:
    """Stored runs, newest first, with open findings per severity; or trends.

    \b
    egov-audit history --opd DPMPTSP
    egov-audit history --trend opd --last 8
    egov-audit history --copy-to postgresql://egov_audit@db.example/egov_audit
    """
    from ..result_io import load_result

    with open_history(history, config_path) as store:
        for path in add:
            stored = store.record(load_result(path))
            click.echo(f"stored {clean(stored.run_id)} from {clean(path)}", err=True)
        if copy_to is not None:
            _copy(store, copy_to)
            return
        if trend:
            _show_trend(store.trend(trend, last=last), fmt)
        else:
            _show_runs(store.runs(service=service, opd=opd, limit=last), fmt)


def _copy(source: HistoryStore, location: str) -> None:
    from ..history import HistoryStore
    from ..history.connect import display_location
    from ..history.transfer import copy_runs

    with HistoryStore.open(location) as destination:
        done = copy_runs(source, destination)
    click.echo(f"copied {len(done.copied)} run(s) to {clean(display_location(location))}; "
               f"{len(done.skipped)} already there", err=True)


def _show_runs(runs: list[StoredRun], fmt: str) -> None:
    if fmt == "json":
        click.echo(json_text([{"seq": r.seq, "run_id": r.run_id, "started_at": r.started_at,
                               "finished_at": r.finished_at, "status": r.status,
                               "targets": r.targets, "counts": r.counts,
                               "signed_sha256": r.signed_sha256} for r in runs]))
        return
    if not runs:
        click.echo("no stored runs")
        return
    head = " ".join(f"{a:>4}" for _s, a in SEVERITY_ABBR)
    click.echo(f"{'#':>4}  {'run':36}  {'started':20}  {'status':11} {'tgts':>4} {head}  signed")
    for r in runs:
        counts = " ".join(f"{r.counts.get(s, 0):>4}" for s, _a in SEVERITY_ABBR)
        click.echo(f"{r.seq:>4}  {clean(r.run_id):36}  {clean(r.started_at):20}  "
                   f"{r.status:11} {r.targets:>4} {counts}  {'yes' if r.signed_sha256 else '-'}")


def _show_trend(table: dict[str, list[TrendPoint]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json_text({name: [{"run_id": p.run_id, "started_at": p.started_at,
                                      "counts": p.counts} for p in points]
                              for name, points in table.items()}))
        return
    if not table:
        click.echo("no stored runs")
        return
    for name, points in table.items():
        click.echo(clean(name))
        for p in points:
            counts = "  ".join(f"{a} {p.counts.get(s, 0):>3}" for s, a in SEVERITY_ABBR)
            click.echo(f"  {clean(p.started_at):20}  {clean(p.run_id)[:8]}  {counts}")
