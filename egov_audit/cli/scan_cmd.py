"""egov-audit scan

The engine (runner, HTTP client, policies) is imported inside :func:`scan`,
not here: ``scan --help`` and the commands that reuse this module's option
helpers start without it, and a scan can start work that does not need it
(such as the TLS scanner's own process) before paying for it.
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..model import Severity
from .common import (
    check_formats,
    handle_errors,
    post_process,
    print_summary,
    sign,
    split_list,
    write_reports,
)
from .executor_options import ExecutorChoice, executor_options
from .gate_options import GateChoice, gate_options
from .options import output_options, request_budget_option
from .progress import make_observer
from .signals import exit_promptly, graceful_interrupts
from .terminal import clean

if TYPE_CHECKING:
    from ..registry import Catalogue


def prepare_report_stages(catalogue: Catalogue) -> threading.Thread:
    """Load, in the background, what the stages after the scan need: the rest of
    the check catalogue (its digest is recorded), the policy packs and the
    remediation actions. Nothing here touches the network, and the scan itself
    runs in a child process, so the parent is idle while it waits: done now,
    this work costs no wall time; done after the scan (about half a second),
    it made a ``--checks 'tls.*'`` run slower than the sslyze command line.
    A failure here is ignored: the same calls after the scan report it."""
    def load() -> None:
        from ..policy.loader import builtin_packs
        from ..prioritise.fixes import load_catalogue as load_actions

        for step in (catalogue.load_all, builtin_packs, load_actions):
            try:
                step()
            except Exception:
                continue

    thread = threading.Thread(target=load, name="egov-audit-prepare-reports", daemon=True)
    thread.start()
    return thread


def may_scan_tls(include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Whether a check selection can include the tls family (read before the
    catalogue is loaded, so by family name: a wrong guess only costs an idle
    child process, killed at exit)."""
    if any(p in ("tls", "tls.*", "*") for p in exclude):
        return False
    return not include or any(fnmatch.fnmatchcase("tls", p.split(".", 1)[0]) for p in include)


def parse_fail_on(value: str) -> Severity | None:
    if value.lower() == "none":
        return None
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--fail-on") from None


@click.command()
@click.argument("targets", nargs=-1)
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              help="Audit configuration (TOML): options, scope and the service inventory.")
@click.option("--checks", "checks", multiple=True,
              help="Run only checks matching these ids, families or globs (repeatable, "
              "comma-separated), e.g. --checks tls,https.hsts_*.")
@click.option("--skip", "skip", multiple=True, help="Skip checks matching these patterns.")
@output_options
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("egov-audit-report"), show_default=True,
              help="Directory the reports are written to.")
@click.option("--fail-on", default=None, metavar="SEVERITY",
              help="Exit 1 when a finding is at or above this severity "
              "(critical|high|medium|low|info|none). Default: high.")
@click.option("--ca-bundle", type=click.Path(dir_okay=False),
              help="Extra trusted CA certificates (PEM), e.g. the institution's private CA.")
@click.option("--insecure", is_flag=True,
              help="Do not verify certificates for HTTP checks (TLS checks still judge them).")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Connect/read timeout, seconds.")
@click.option("--rate", type=click.FloatRange(min=0.01),
              help="Requests per second per host (polite default: 10).")
@click.option("--connections", type=click.IntRange(min=1),
              help="Concurrent connections per host (default 4).")
@click.option("--workers", type=click.IntRange(min=1), help="Targets audited in parallel.")
@click.option("--deadline", type=click.FloatRange(min=1),
              help="Time budget of the whole run, seconds (default 3600).")
@click.option("--target-deadline", type=click.FloatRange(min=1),
              help="Time budget of one target, all its probes and checks, seconds "
              "(default 120); a target still running then is recorded as unfinished.")
@click.option("--request-deadline", type=click.FloatRange(min=0.5),
              help="Total time of one request, connect to last byte, redirects "
              "included, seconds (default 30).")
@request_budget_option
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary output.")
@executor_options
@gate_options
@handle_errors
def scan(
    targets: tuple[str, ...],
    config_path: str | None,
    checks: tuple[str, ...],
    skip: tuple[str, ...],
    formats: tuple[str, ...],
    lang: str,
    policies: tuple[str, ...],
    sign_key: str | None,
    out_dir: Path,
    fail_on: str | None,
    ca_bundle: str | None,
    insecure: bool,
    timeout: float | None,
    rate: float | None,
    connections: int | None,
    workers: int | None,
    deadline: float | None,
    target_deadline: float | None,
    request_deadline: float | None,
    request_budget: int | None,
    quiet: bool,
    gate: GateChoice,
    executor: ExecutorChoice,
) -> None:
    """Audit TARGETS: URLs, host names, IP addresses, or @FILE with one per line.

    \b
    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input
    error, 3 incomplete run (a target or check errored, or ran out of time),
    130 interrupted (Ctrl-C or SIGTERM: the partial report is still written;
    a second signal exits at once).

    Only audit systems you are authorised to audit.
    """
    if may_scan_tls(tuple(split_list(checks)), tuple(split_list(skip))):
        # First of all: the TLS scanner's process imports sslyze (a third of a
        # second) while this one imports the engine and plans the run.
        from ..probes.tls_batch import prestart

        prestart()
    from ..audit import build_request
    from ..config import later_section_errors
    from ..policy import packs_from_config, resolve_packs
    from ..prioritise.sla import validate_sla
    from ..runner import run_audit

    overrides: dict[str, object] = {
        "timeout": timeout,
        "rate": rate,
        "connections": connections,
        "workers": workers,
        "deadline": deadline,
        "target_deadline": target_deadline,
        "request_deadline": request_deadline,
        "request_budget": request_budget,
        "ca_bundle": ca_bundle,
    }
    if checks:
        overrides["checks"] = tuple(split_list(checks))
    if skip:
        overrides["skip"] = tuple(split_list(skip))
    if insecure:
        overrides["verify_tls"] = False
    extra_formats = [f for f in split_list(formats) if f != "json"]
    if extra_formats:  # loading the renderers costs a tenth of a second before the scan
        check_formats(extra_formats)
    request = build_request(targets, config_path=config_path, overrides=overrides)
    prepare_report_stages(request.catalogue)
    # Validate the later stages' configuration before the scan, not after it; their
    # errors name the configuration file and line like the scan's own.
    with later_section_errors(request.config_path):
        request.executor = executor.resolve(request)  # a bad broker URL: exit 2 now
        validate_sla(request.config_sections.get("sla"))
        selected = split_list(policies) or packs_from_config(
            request.config_sections.get("policy"), request.config_path)
        if selected:
            resolve_packs(selected, request.catalogue.checks)  # unknown pack: exit 2 now
        prepared = gate.prepare(request)  # a bad baseline or suppression file: exit 2 now
    selected = prepared.policies(selected)
    if fail_on is not None:  # "none" must be able to switch a configured gate off
        request.options = replace(request.options, fail_on=parse_fail_on(fail_on))
    with graceful_interrupts():
        report = run_audit(request, make_observer(quiet))
        report = post_process(report, policies=selected, sla=request.config_sections.get("sla"),
                              installed=request.catalogue.checks)
        report = prepared.apply(report)
        # The JSON result is the canonical artifact: always written, first.
        written = write_reports(report, ["json", *extra_formats], out_dir, lang=lang)
        signature = sign(written, sign_key)
        print_summary(report, [*written, *([signature] if signature else [])], quiet=quiet)
    verdict = prepared.verdict(report, request.options.fail_on)
    if not quiet:
        for reason in verdict.reasons:
            click.echo(f"gate: {clean(reason)}", err=True)
    exit_promptly(int(verdict.status))
