"""Helpers shared by the commands: error mapping, the post-run stages, report writing.

Everything printed here that a scanned server could have shaped (locations,
target errors, error messages quoting URLs) passes :func:`terminal.clean`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import EgovAuditError, ExitStatus, InputError
from ..model import RunReport, Severity
from .terminal import clean

F = TypeVar("F", bound=Callable[..., Any])

SEVERITY_STYLE = {
    Severity.CRITICAL: "bright_red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "white",
}

LANGUAGES = ("en", "id")


def handle_errors(func: F) -> F:
    """The one place library errors become messages and exit codes."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EgovAuditError as exc:
            # Messages quote URLs and server answers: one line, nothing raw.
            click.secho(f"error: {clean(exc)}", fg="red", err=True)
            sys.exit(int(exc.exit_status))
        except KeyboardInterrupt:
            click.secho("interrupted", fg="red", err=True)
            sys.exit(int(ExitStatus.INTERRUPTED))

    return wrapper  # type: ignore[return-value]


def split_list(values: Iterable[str]) -> list[str]:
    """Repeatable, comma-separated option values, de-duplicated in order."""
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return list(dict.fromkeys(out))


def post_process(
    report: RunReport,
    *,
    policies: Sequence[str] | None,
    sla: Mapping[str, Any] | None = None,
    installed: Iterable[str] | None = None,
) -> RunReport:
    """:func:`egov_audit.pipeline.post_process`, imported when called: the
    commands' modules stay light (``--help`` does not load the engine)."""
    from .. import pipeline

    return pipeline.post_process(report, policies=policies, sla=sla, installed=installed)


def check_formats(formats: Sequence[str]) -> None:
    """Refuse an unknown or broken format before any work is done, as a usage error."""
    from ..renderers import load_renderers

    try:
        load_renderers().require(list(formats))
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from None


def write_reports(
    report: RunReport, formats: Sequence[str], out_dir: Path, *, lang: str = "en"
) -> list[Path]:
    from .. import pipeline

    return pipeline.write_reports(report, formats, out_dir, lang=lang)


def sign(written: list[Path], key: str | None) -> Path | None:
    """Sign the result and every rendered file when a key was given."""
    if key is None:
        return None
    from .. import pipeline

    return pipeline.sign(written, Path(key))


def print_summary(report: RunReport, written: list[Path], *, quiet: bool = False) -> None:
    if quiet:
        return
    counts = {s: 0 for s in Severity}
    for f in report.findings:
        counts[f.severity] += 1
    errored = [o for o in report.outcomes if o.status.value != "ok"]
    click.echo(
        f"\n{len(report.outcomes)} target(s), {len(report.results)} check result(s), "
        f"{len(report.findings)} finding(s) in {report.run.duration_s:.1f}s",
        err=True,
    )
    parts = [click.style(f"{counts[s]} {s.value}", fg=SEVERITY_STYLE[s]) for s in Severity]
    click.echo("  " + ", ".join(parts), err=True)
    worst = sorted(report.findings, key=lambda f: (-f.severity.rank, f.check, f.target))[:8]
    for f in worst:
        click.echo(
            "  " + click.style(f"[{f.severity.value.upper():8}]", fg=SEVERITY_STYLE[f.severity])
            + f" {clean(f.check)}  {clean(f.location)}",
            err=True,
        )
    if len(report.findings) > len(worst):
        click.echo(f"  … and {len(report.findings) - len(worst)} more", err=True)
    for o in errored:
        click.secho(f"  {o.status.value}: {clean(o.target.spec)}: "
                    f"{clean(o.error or 'check errors')}",
                    fg="magenta", err=True)
    for path in written:
        click.echo(f"report: {clean(path)}", err=True)
