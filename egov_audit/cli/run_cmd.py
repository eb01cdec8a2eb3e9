"""egov-audit run: the scheduled entry point (cron, systemd timers, CI)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import pipeline
from ..config import later_section_errors
from ..errors import ExitStatus
from ..model import RunReport
from ..notify import deliver, settings_from_config, summarise
from ..policy import packs_from_config, resolve_packs
from ..prioritise.sla import validate_sla
from .common import check_formats, handle_errors, print_summary, split_list
from .executor_options import ExecutorChoice, executor_options
from .gate_options import GateChoice, gate_options
from .options import output_options
from .progress import make_observer
from .scan_cmd import parse_fail_on
from .signals import exit_promptly, graceful_interrupts
from .terminal import clean


def run_directory(base: Path, report: RunReport) -> Path:
    """One directory per run, sortable by time: ``20261207T010000Z-1a2b3c4d``."""
    stamp = "".join(ch for ch in report.run.started_at if ch.isalnum())
    return base / f"{stamp}-{report.run.id[:8]}"


def signed_digest(signature: Path | None) -> str | None:
    """The canonical sha256 of the signed result, from ``signature.json``."""
    if signature is None:
        return None
    digest = json.loads(signature.read_text(encoding="utf-8"))["result"]["sha256"]
    return str(digest)


@click.command("run")
@click.option("-c", "--config", "config_path", required=True, type=click.Path(dir_okay=False),
              help="Audit configuration (TOML): services, scope, options, [history].")
@click.option("--history", "history", metavar="PATH|URL",
              help="History store (overrides [history] of the configuration).")
@output_options
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("egov-audit-reports"), show_default=True,
              help="Reports go to a new directory per run under this one.")
@click.option("--fail-on", default=None, metavar="SEVERITY",
              help="Exit 1 when a finding is at or above this severity (or 'none'). "
              "Default: scan.fail_on of the configuration, else high.")
@click.option("--fresh", is_flag=True,
              help="Do not resume an unfinished run of this configuration: start over.")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary output.")
@executor_options
@gate_options
@handle_errors
def run(config_path: str, history: str | None, formats: tuple[str, ...], lang: str,
        policies: tuple[str, ...], sign_key: str | None, out_dir: Path, fail_on: str | None,
        fresh: bool, quiet: bool, gate: GateChoice,
        executor: ExecutorChoice) -> None:
    """Run the configured audit, store it in history, write the reports.

    \b
    The scheduled entry point: every target of the configuration's
    [[services]] is audited; the result is stored in the history store (also
    when interrupted or incomplete, marked so); reports are written to a new
    directory under --output. --baseline/--fail-on-new compare with a stored
    run ('last' is the run before this one). Exit codes as for 'scan':
    0 clean, 1 gate failed, 2 usage or input error, 3 incomplete, 130 interrupted.

    A run that was killed or interrupted is resumed by the next 'run' of the
    same configuration: targets it finished are not audited again (--fresh
    starts over).
    """
    extra_formats = [f for f in split_list(formats) if f != "json"]
    check_formats(extra_formats)
    request = pipeline.build_request([], config_path=config_path)
    from ..history import HistoryStore, configured_store, display_location, resume
    from ..history.changes import since_previous

    # The later stages' sections: errors name the configuration file and line.
    with later_section_errors(request.config_path):
        request.executor = executor.resolve(request)  # a bad broker URL: exit 2 now
        validate_sla(request.config_sections.get("sla"))
        selected = split_list(policies) or packs_from_config(
            request.config_sections.get("policy"), request.config_path)
        prepared = gate.prepare(request)  # baseline 'last' is read before this run is stored
        selected = prepared.policies(selected)
        if selected:
            resolve_packs(selected, request.catalogue.checks)
        notifications = settings_from_config(request.config_sections.get("notifications"),
                                             request.config_path)
        location, keep_runs = configured_store(request.config_path, history)
    threshold = request.options.fail_on if fail_on is None else parse_fail_on(fail_on)
    store = HistoryStore.open(location)  # a broken store exits 2 before any traffic
    try:
        order = list(request.targets)
        resumption = resume.begin(store, request, fresh=fresh)
        if resumption.resumed and not quiet:
            click.echo(f"resuming the run started at {resumption.started_at}: "
                       f"{len(resumption.finished)} of {len(order)} target(s) already "
                       "audited", err=True)
        request.targets = resumption.remaining(order)
        observer = resume.CheckpointObserver(make_observer(quiet), store, resumption.key)
        with graceful_interrupts():
            report = resume.merge(pipeline.scan(request, observer), resumption, order)
            report = pipeline.post_process(report, policies=selected,
                                           sla=request.config_sections.get("sla"),
                                           installed=request.catalogue.checks)
            report = prepared.apply(report)
            report = since_previous(report, store)  # "new / fixed since the previous run"
            written = pipeline.write_reports(report, ["json", *extra_formats],
                                             run_directory(out_dir, report), lang=lang)
            signature = pipeline.sign(written, Path(sign_key)) if sign_key else None
            # An interrupted run is stored (marked so) and stays resumable.
            stored = store.record(report, signed_sha256=signed_digest(signature),
                                  keep_runs=keep_runs,
                                  finishes=None if report.run.interrupted else resumption.key)
            print_summary(report, [*written, *([signature] if signature else [])],
                          quiet=quiet)
    finally:
        store.close()
    verdict = prepared.verdict(report, threshold)
    if not quiet:
        click.echo(f"stored run {clean(stored.run_id)} in {clean(display_location(location))}",
                   err=True)
        for reason in verdict.reasons:
            click.echo(f"gate: {clean(reason)}", err=True)
    if notifications is not None:
        summary = summarise(report, gate_failed=verdict.status is ExitStatus.FINDINGS,
                            gate_reasons=verdict.reasons, reports=str(written[0].parent))
        for delivery in deliver(summary, notifications).deliveries:
            if not delivery.ok:  # reported, never fatal: the run is stored and written
                click.secho(f"warning: {delivery.channel} notification failed: "
                            f"{clean(delivery.error)}", fg="yellow", err=True)
    exit_promptly(int(verdict.status))
