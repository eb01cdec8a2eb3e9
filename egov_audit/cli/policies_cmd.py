"""egov-audit policies list | show | lint | coverage"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import ExitStatus, InputError
from .common import handle_errors
from .terminal import clean

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                      show_default=True)


def _installed() -> frozenset[str]:
    from ..registry import load_catalogue

    return frozenset(load_catalogue().checks)


@click.group("policies")
def policies_group() -> None:
    """Inspect, lint and measure policy packs (laws and standards mapped to checks)."""


@policies_group.command("list")
@FORMAT
@handle_errors
def list_packs(fmt: str) -> None:
    """List the installed packs; '*' marks the default selection."""
    from ..policy import DEFAULT_PACKS
    from ..policy.loader import builtin_packs

    rows: list[dict[str, Any]] = [
        {"id": p.id, "title": p.title, "version": p.version, "controls": len(p.controls),
         "default": p.id in DEFAULT_PACKS}
        for p in builtin_packs().values()
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        mark = "*" if r["default"] else " "
        click.echo(f"{mark} {r['id']:{width}}  {r['controls']:3} controls  {r['title']}")
    click.echo(f"\n{len(rows)} packs; * = used when no --policy is given", err=True)


def _pack(spec: str) -> Any:
    from ..policy.loader import builtin_packs, load_pack_file

    packs = builtin_packs()
    if spec in packs:
        return packs[spec]
    if Path(spec).is_file():
        return load_pack_file(spec)
    raise InputError(f"unknown policy pack {spec!r}",
                     expected="one of " + ", ".join(packs) + ", or a pack file")


@policies_group.command("show")
@click.argument("pack")
@FORMAT
@click.option("--lang", type=click.Choice(["en", "id"]), default="en", show_default=True,
              help="Language of control titles.")
@handle_errors
def show(pack: str, fmt: str, lang: str) -> None:
    """Show the controls of PACK (an id or a pack file) and the checks they map to."""
    p = _pack(pack)
    installed = _installed()
    controls = [
        {"id": c.id, "title": c.title, "title_id": c.title_id, "group": c.group,
         "patterns": list(c.checks), "checks": list(c.expand(installed)),
         "verified": c.verified, "note": c.note, "attributes": dict(c.attributes)}
        for c in p.controls
    ]
    if fmt == "json":
        click.echo(json.dumps({"id": p.id, "title": p.title, "title_id": p.title_id,
                               "version": p.version, "revision": p.revision,
                               "source": p.source, "url": list(p.url),
                               "languages": list(p.languages), "notes": p.notes,
                               "controls": controls}, indent=2, ensure_ascii=False))
        return
    title = (p.title_id or p.title) if lang == "id" else p.title
    click.secho(f"{p.id}: {title}", bold=True)
    click.echo(f"version: {p.version} (pack revision {p.revision})")
    click.echo(f"source:  {p.source}")
    for url in p.url:
        click.echo(f"         {url}")
    click.echo()
    width = max(len(c["id"]) for c in controls)
    for c in controls:
        text = (c["title_id"] or c["title"]) if lang == "id" else c["title"]
        flag = "" if c["verified"] else click.style(" [unverified]", fg="yellow")
        click.echo(f"{c['id']:{width}}  {text}{flag}")
        mapped = ", ".join(c["checks"]) or click.style("not remotely assessable", dim=True)
        click.echo(f"{'':{width}}    -> {mapped}")


@policies_group.command("lint")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@handle_errors
def lint(files: tuple[str, ...], strict: bool) -> None:
    """Validate pack FILES (default: every built-in pack) against the schema and the checks.

    Errors (exit 2): schema violations, duplicate control ids, unknown exact
    check ids. Warnings: globs that match no installed check yet.
    """
    from ..policy.loader import builtin_packs, builtin_text, lint_pack, load_pack_file

    installed = _installed()
    targets = ([(load_pack_file(f), Path(f).read_text("utf-8")) for f in files] if files
               else [(p, builtin_text(p)) for p in builtin_packs().values()])
    errors = warnings = 0
    for pack, text in targets:
        problems = lint_pack(pack, installed, text)
        for problem in problems:
            colour = "red" if problem.level == "error" else "yellow"
            click.secho(clean(problem), fg=colour, err=True)  # quotes the pack file
        errors += sum(p.level == "error" for p in problems)
        warnings += sum(p.level == "warning" for p in problems)
        if not problems:
            click.echo(f"{pack.origin}: ok ({len(pack.controls)} controls)", err=True)
    click.echo(f"{len(targets)} pack(s): {errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        raise SystemExit(int(ExitStatus.USAGE))


@policies_group.command("coverage")
@click.argument("packs", nargs=-1)
@FORMAT
@click.option("--controls", "show_controls", is_flag=True,
              help="Also list which controls are automated and which are not.")
@handle_errors
def coverage_cmd(packs: tuple[str, ...], fmt: str, show_controls: bool) -> None:
    """How many controls of each pack the installed checks can evidence automatically."""
    from ..policy.coverage import coverage, unmapped_checks
    from ..policy.loader import builtin_packs

    installed = _installed()
    chosen = [_pack(p) for p in packs] if packs else list(builtin_packs().values())
    rows = [coverage(p, installed) for p in chosen]
    unmapped = unmapped_checks(builtin_packs().values(), installed)
    if fmt == "json":
        click.echo(json.dumps({"packs": [r.as_dict() for r in rows],
                               "unmapped_checks": unmapped}, indent=2, ensure_ascii=False))
        return
    width = max(len(r.pack.id) for r in rows)
    for r in rows:
        click.echo(f"{r.pack.id:{width}}  {len(r.automated):3}/{r.total:<3} "
                   f"{r.percent:5.1f}%  automated")
        if show_controls:
            click.echo(f"{'':{width}}  automated: {', '.join(r.automated) or '-'}")
            click.echo(f"{'':{width}}  manual:    {', '.join(r.manual) or '-'}")
    if unmapped:
        click.secho(f"\nchecks mapped by no pack: {', '.join(unmapped)}", fg="yellow", err=True)
