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

# Short names accepted by -f besides the renderers' own names.
FORMAT_ALIASES = {"md": "markdown"}


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
    """The stages after collection, in order: policy mapping, then prioritisation."""
    from ..policy import apply_policies
    from ..prioritise import prioritise

    return prioritise(apply_policies(report, policies, installed), sla)


def format_names(formats: Sequence[str]) -> list[str]:
    """The renderer names for ``formats``, aliases resolved, each once, in order."""
    return list(dict.fromkeys(FORMAT_ALIASES.get(f, f) for f in formats))


def check_formats(formats: Sequence[str]) -> None:
    from ..reports import available

    known = available()
    unknown = [f for f in format_names(formats) if f not in known]
    if unknown:
        raise click.BadParameter(
            f"unknown format(s) {', '.join(unknown)}; available: {', '.join(sorted(known))}",
            param_hint="--format",
        )


def write_reports(
    report: RunReport, formats: Sequence[str], out_dir: Path, *, lang: str = "en"
) -> list[Path]:
    """Render and write every requested format into ``out_dir``.

    Each file is replaced atomically and a symlink planted at its name is
    replaced, never followed (see :mod:`egov_audit.safe_write`).
    """
    from ..reports import get_renderer
    from ..safe_write import write_atomic

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output directory: {exc.strerror or exc}",
                         source=out_dir) from None
    written = []
    for name in format_names(formats):
        renderer = get_renderer(name)
        written.append(write_atomic(out_dir / renderer.filename,
                                    renderer.render(report, lang=lang)))
    return written


def sign(written: list[Path], key: str | None) -> Path | None:
    """Sign the result and every rendered file when a key was given."""
    if key is None:
        return None
    from ..signing import sign_outputs

    result = next((p for p in written if p.suffix == ".json" and p.name == "result.json"), None)
    if result is None:
        raise click.UsageError("--sign-key needs the JSON result among the written files")
    return sign_outputs(result, [p for p in written if p != result], Path(key))


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
