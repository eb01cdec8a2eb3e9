"""egov-audit checks list"""

from __future__ import annotations

import json
from typing import Any

import click

from ..model import Severity
from ..registry import load_catalogue
from .common import SEVERITY_STYLE, handle_errors
from .terminal import clean


@click.group("checks")
def checks_group() -> None:
    """Inspect the installed checks."""


@checks_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@handle_errors
def list_checks(fmt: str) -> None:
    """List every installed check: id, title, severity, CWE, what it judges, family,
    distribution."""
    catalogue = load_catalogue()
    rows: list[dict[str, Any]] = [
        {
            "id": reg.check.id,
            "title": reg.check.meta.title,
            "severity": reg.check.meta.severity.value,
            "cwe": list(reg.check.meta.cwe),
            "judges": reg.check.meta.judges.value,
            "family": reg.check.meta.family,
            "distribution": reg.distribution,
        }
        for reg in sorted(catalogue.checks.values(), key=lambda r: r.check.id)
    ]
    for problem in catalogue.problems:
        # A broken plugin's exception message is not ours to trust on a terminal.
        click.secho(f"warning: plugin {clean(problem.name)} ({clean(problem.distribution)}) "
                    f"skipped: {clean(problem.error)}", fg="yellow", err=True)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=10)
    # Grouped by the distribution that provides them, then by family (the id prefix).
    for distribution in sorted({r["distribution"] for r in rows}):
        mine = [r for r in rows if r["distribution"] == distribution]
        click.secho(f"{distribution}: {len(mine)} checks", bold=True)
        for r in mine:
            severity = click.style(f"{r['severity']:8}",
                                   fg=SEVERITY_STYLE[Severity(r["severity"])])
            cwe = ",".join(f"CWE-{c}" for c in r["cwe"])
            click.echo(f"  {r['id']:{width}}  {severity}  {cwe:18}  {r['judges']:13}  "
                       f"{r['title']}")
    click.echo(f"\n{len(rows)} checks", err=True)
