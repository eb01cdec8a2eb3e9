"""egov-audit demo"""

from __future__ import annotations

from pathlib import Path

import click

from ..audit import build_request
from ..demo.portal import build_portal
from ..runner import run_audit
from .common import handle_errors, print_summary, split_formats, write_reports
from .progress import make_observer


@click.command()
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("egov-audit-demo"), show_default=True,
              help="Directory the demo reports are written to.")
@click.option("-f", "--format", "formats", multiple=True, default=("json",), show_default=True,
              help="Report formats to write besides JSON (repeatable, comma-separated).")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary output.")
@handle_errors
def demo(out_dir: Path, formats: tuple[str, ...], quiet: bool) -> None:
    """Audit a built-in, deliberately misconfigured imitation city portal.

    The portal runs inside this process on 127.0.0.1 only (random free ports,
    plain HTTP and HTTPS with a certificate authority minted on the fly); it is
    audited with every installed check and the reports are written to OUTPUT.
    No traffic leaves this machine.
    """
    wanted = [f for f in split_formats(formats) if f != "json"]
    with build_portal() as portal:
        targets = portal.targets()
        if not quiet:
            click.echo(f"demo portal: {len(targets)} services on 127.0.0.1", err=True)
        # The demo servers are local and ours: no need for the polite public defaults.
        request = build_request([], targets=targets, overrides={
            "ca_bundle": str(portal.ca_file), "rate": 50.0, "connections": 4,
        })
        report = run_audit(request, make_observer(quiet))
    written = write_reports(report, ["json", *wanted], out_dir)
    print_summary(report, written, quiet=quiet)
    if not quiet:
        click.echo("The demo's findings are planted on purpose; see README.md for what each "
                   "family found.", err=True)
