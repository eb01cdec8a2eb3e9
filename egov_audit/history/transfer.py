"""Copying the history of runs from one store to another.

A deployment that outgrows its embedded SQLite file moves to a shared
PostgreSQL store without losing what later runs are compared with. Runs are
copied oldest first through the same :meth:`HistoryStore.record` as a live
run, so the copy holds what a store that had recorded them would: the same
order of runs, results, findings and signed digests (only the time each was
stored is new). A run the destination already holds is skipped, so a copy
that was interrupted is simply started again.

Not copied: checkpoints of a run that was killed (finish or ``--fresh`` it
first) and the dashboard's accounts (create them again on the shared store).
"""

from __future__ import annotations

from dataclasses import dataclass

from .store import HistoryStore


@dataclass(frozen=True)
class CopiedRuns:
    copied: tuple[str, ...]
    skipped: tuple[str, ...]  # already in the destination


def copy_runs(source: HistoryStore, destination: HistoryStore) -> CopiedRuns:
    """Copy every run of ``source`` that ``destination`` lacks, oldest first."""
    present = {run.run_id for run in destination.runs()}
    copied: list[str] = []
    skipped: list[str] = []
    for run in reversed(source.runs()):  # runs() lists newest first
        if run.run_id in present:
            skipped.append(run.run_id)
            continue
        # One run in memory at a time: a history of years stays copyable.
        destination.record(source.load(run.run_id), signed_sha256=run.signed_sha256)
        copied.append(run.run_id)
    return CopiedRuns(tuple(copied), tuple(skipped))
