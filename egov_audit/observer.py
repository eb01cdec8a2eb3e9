"""Progress reporting without printing: the runner calls an observer, the CLI draws."""

from __future__ import annotations

from typing import Protocol

from .model import RunReport, Target, TargetOutcome


class Observer(Protocol):
    def run_started(self, targets: int, checks: int) -> None: ...

    def target_started(self, target: Target) -> None: ...

    def target_finished(self, outcome: TargetOutcome) -> None: ...

    def run_finished(self, report: RunReport) -> None: ...

    def warning(self, message: str) -> None: ...


class NullObserver:
    def run_started(self, targets: int, checks: int) -> None:
        pass

    def target_started(self, target: Target) -> None:
        pass

    def target_finished(self, outcome: TargetOutcome) -> None:
        pass

    def run_finished(self, report: RunReport) -> None:
        pass

    def warning(self, message: str) -> None:
        pass
