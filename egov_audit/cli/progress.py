"""Progress display: a bar on a terminal, plain lines in CI logs, nothing with --quiet.

Target specs come from the user but the warnings the engine reports can quote
what servers sent: everything is printed through :func:`terminal.clean`, and
through :func:`terminal.plain` where rich would otherwise read ``[...]`` as markup.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from ..model import RunReport, Target, TargetOutcome
from .terminal import clean, plain


class PlainProgress:
    """One line per finished target: readable in CI logs."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def run_started(self, targets: int, checks: int) -> None:
        self.total = targets
        click.echo(f"auditing {targets} target(s) with {checks} check(s)", err=True)

    def target_started(self, target: Target) -> None:
        pass

    def target_finished(self, outcome: TargetOutcome) -> None:
        self.done += 1
        click.echo(
            f"[{self.done}/{self.total}] {clean(outcome.target.spec)}: {outcome.status.value}, "
            f"{len(outcome.findings)} finding(s)",
            err=True,
        )

    def run_finished(self, report: RunReport) -> None:
        pass

    def warning(self, message: str) -> None:
        click.secho(f"warning: {clean(message)}", fg="yellow", err=True)


class RichProgress(PlainProgress):
    """A live progress bar for people at a terminal."""

    def __init__(self) -> None:
        super().__init__()
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self._progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
        )
        self._task: Any = None

    def run_started(self, targets: int, checks: int) -> None:
        self.total = targets
        self._progress.start()
        self._task = self._progress.add_task(f"auditing ({checks} checks)", total=targets)

    def target_finished(self, outcome: TargetOutcome) -> None:
        self._progress.advance(self._task)

    def run_finished(self, report: RunReport) -> None:
        self._progress.stop()

    def warning(self, message: str) -> None:
        self._progress.console.print(f"[yellow]warning:[/] {plain(message)}")


class QuietProgress(PlainProgress):
    def run_started(self, targets: int, checks: int) -> None:
        pass

    def target_finished(self, outcome: TargetOutcome) -> None:
        pass


def make_observer(quiet: bool) -> PlainProgress:
    if quiet:
        return QuietProgress()
    if sys.stderr.isatty():
        return RichProgress()
    return PlainProgress()
