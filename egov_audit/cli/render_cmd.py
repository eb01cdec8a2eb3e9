"""egov-audit render"""

from __future__ import annotations

from pathlib import Path

import click

from ..result_io import load_result
from .common import check_formats, handle_errors, post_process, sign, split_list, write_reports
from .options import output_options


@click.command()
@click.argument("result", type=click.Path(dir_okay=False))
@output_options
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Output directory (default: next to RESULT).")
@handle_errors
def render(
    result: str,
    formats: tuple[str, ...],
    lang: str,
    policies: tuple[str, ...],
    sign_key: str | None,
    out_dir: Path | None,
) -> None:
    """Re-render a stored RESULT.json into other formats, without touching any target.

    The result is validated against the result contract first; a file that does
    not match it is rejected with the JSON path of the problem (exit 2). With
    --policy the controls are re-evaluated from the stored results.
    """
    wanted = split_list(formats)
    check_formats(wanted)
    report = load_result(result)
    selected = split_list(policies)
    if selected:
        report = post_process(report, policies=selected)
    target_dir = out_dir or Path(result).parent
    if out_dir is not None or selected:
        # A new directory, or re-evaluated controls: write the JSON that goes with them.
        wanted = ["json", *[f for f in wanted if f != "json"]]
    else:
        # Never overwrite the result being rendered with a re-serialisation of itself.
        wanted = [f for f in wanted if f != "json"]
    written = write_reports(report, wanted, target_dir, lang=lang)
    if sign_key:
        if not any(p.name == "result.json" for p in written):
            written.insert(0, Path(result))
        signature = sign(written, sign_key)
        if signature:
            written.append(signature)
    for path in written:
        click.echo(f"report: {path}", err=True)
