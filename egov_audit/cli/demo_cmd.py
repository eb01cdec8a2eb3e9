"""egov-audit demo"""

from __future__ import annotations

from pathlib import Path

import click

from ..audit import build_request
from ..demo.portal import build_portal
from ..errors import ExitStatus
from ..runner import run_audit
from .common import (
    check_formats,
    handle_errors,
    post_process,
    print_summary,
    sign,
    split_list,
    write_reports,
)
from .options import output_options
from .progress import make_observer
from .signals import exit_promptly, graceful_interrupts


@click.command()
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("egov-audit-demo"), show_default=True,
              help="Directory the demo reports are written to.")
@output_options
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary output.")
@handle_errors
def demo(out_dir: Path, formats: tuple[str, ...], lang: str, policies: tuple[str, ...],
         sign_key: str | None, quiet: bool) -> None:
    """Audit a built-in, deliberately misconfigured imitation city portal.

    The portal runs inside this process on 127.0.0.1 only (random free ports,
    plain HTTP and HTTPS with a certificate authority minted on the fly); it is
    audited with every installed check and the reports are written to OUTPUT.
    No traffic leaves this machine.
    """
    # Without -f the demo also writes the HTML report: it is there to be looked at.
    extra = [f for f in split_list(formats) or ["html"] if f != "json"]
    check_formats(extra)
    with graceful_interrupts():
        with build_portal() as portal:
            targets = portal.targets()
            if not quiet:
                click.echo(f"demo portal: {len(targets)} services on loopback (127.0.0.0/8)",
                           err=True)
            # The demo servers are ours and local, several on one address: the polite
            # per-host defaults meant for fragile public servers would only slow it down,
            # and one request budget for twelve services on 127.0.0.1 would cut them.
            request = build_request([], targets=targets, overrides={
                "ca_bundle": str(portal.ca_file), "rate": 2000.0, "connections": 8,
                "request_budget": 0,
            })
            report = run_audit(request, make_observer(quiet))
        report = post_process(report, policies=split_list(policies) or None,
                              installed=request.catalogue.checks)
        written = write_reports(report, ["json", *extra], out_dir, lang=lang)
        signature = sign(written, sign_key)
        print_summary(report, [*written, *([signature] if signature else [])], quiet=quiet)
    if report.run.interrupted:  # what was collected is written; say it was cut short
        exit_promptly(int(ExitStatus.INTERRUPTED))
    if not quiet:
        click.echo("The demo's problems are planted on purpose: README.md lists what each "
                   "check family should find.", err=True)
