"""egov-audit render"""

from __future__ import annotations

from pathlib import Path

import click

from ..result_io import load_result
from .common import handle_errors, split_formats, write_reports


@click.command()
@click.argument("result", type=click.Path(dir_okay=False))
@click.option("-f", "--format", "formats", multiple=True, default=("json",), show_default=True,
              help="Formats to render (repeatable, comma-separated).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Output directory (default: next to RESULT).")
@handle_errors
def render(result: str, formats: tuple[str, ...], out_dir: Path | None) -> None:
    """Re-render a stored RESULT.json into other formats, without touching any target.

    The result is validated against the result contract first; a file that does
    not match it is rejected with the JSON path of the problem (exit 2).
    """
    report = load_result(result)
    target_dir = out_dir or Path(result).parent
    wanted = split_formats(formats)
    if out_dir is None:
        # Never overwrite the result being rendered with a re-serialisation of itself.
        wanted = [f for f in wanted if f != "json"]
    for path in write_reports(report, wanted, target_dir):
        click.echo(f"report: {path}", err=True)
