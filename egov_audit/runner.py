"""Runs an audit: targets × checks → tasks → outcomes → one RunReport.

The runner never prints and never exits. It reports progress to an
observer, turns every failure into a result, keeps what it has when
interrupted, and stops starting new targets when the deadline passes.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .check import Check
from .model import RunInfo, RunReport, Target, TargetOutcome, TargetStatus
from .observer import NullObserver, Observer
from .options import ScanOptions
from .probes.base import Probe, ProbeEnv
from .probes.http import HttpClient
from .ratelimit import HostLimiter
from .redaction import Redactor
from .registry import Catalogue
from .scope import Scope
from .task import TargetTask, Worker, execute_task, probe_items
from .trust import combined_trust_bundle

SCHEMA_VERSION = "1.0"


@dataclass
class AuditRequest:
    """Everything a run needs, resolved: who to scan, with what, how."""

    targets: list[Target]
    checks: list[Check]
    catalogue: Catalogue
    options: ScanOptions = field(default_factory=ScanOptions)
    redactor: Redactor | None = None
    scope: Scope | None = None
    config_sha256: str | None = None
    config_path: str | None = None
    # Configuration sections for later stages ("sla", "policy"), validated there.
    config_sections: Mapping[str, Any] = field(default_factory=dict)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def plan(targets: Iterable[Target], checks: Iterable[Check]) -> list[TargetTask]:
    ids = tuple(c.id for c in checks)
    return [TargetTask(t, ids) for t in targets]


def catalogue_record(catalogue: Catalogue, selected: Iterable[Check]) -> dict[str, Any]:
    return {
        "sha256": catalogue.digest(),
        "checks": [
            {
                "id": c.id,
                "title": c.meta.title,
                "severity": c.meta.severity.value,
                "cwe": list(c.meta.cwe),
                "distribution": catalogue.checks[c.id].distribution,
            }
            for c in selected
        ],
        "plugin_problems": [
            {"group": p.group, "name": p.name, "distribution": p.distribution, "error": p.error}
            for p in catalogue.problems
        ],
    }


def _probes_for(catalogue: Catalogue) -> dict[str, Probe]:
    """Every installed probe: the ones checks need, and those they depend on in turn
    (the path sweep asks for the not-found fingerprint). Unused ones never run."""
    return {name: cls() for name, cls in catalogue.probes.items()}


def _needed(checks: list[Check]) -> set[str]:
    return {n.probe for c in checks for n in c.needs}


def run_audit(
    request: AuditRequest,
    observer: Observer | None = None,
    *,
    workdir: Path | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> RunReport:
    observer = observer or NullObserver()
    options = request.options
    scope = request.scope or Scope.of(t.host for t in request.targets)
    if request.redactor is None:
        from .redaction import load_salt

        request.redactor = Redactor(load_salt())
    started_at, started = _now(), clock()
    deadline = started + options.deadline
    http = HttpClient(
        options,
        scope,
        HostLimiter(options.connections, options.rate),
        combined_trust_bundle(options.ca_bundle, workdir),
    )
    env = ProbeEnv(options=options, scope=scope, http=http, deadline=deadline)
    probes = _probes_for(request.catalogue)
    worker = Worker(
        env=env,
        checks={c.id: c for c in request.checks},
        probes=probes,
        redactor=request.redactor,
        options=options,
    )
    tasks = plan(request.targets, request.checks)
    observer.run_started(len(tasks), len(request.checks))
    for problem in request.catalogue.problems:
        observer.warning(f"plugin {problem.name} ({problem.distribution}) skipped: "
                         f"{problem.error}")

    _prepare_batches(probes, tasks, request.checks, env, observer)
    outcomes: dict[int, TargetOutcome] = {}
    interrupted = False
    try:
        _execute(tasks, worker, options.workers, deadline, clock, observer, outcomes)
    except KeyboardInterrupt:
        interrupted = True
    for index, task in enumerate(tasks):
        if index not in outcomes:
            reason = (
                "interrupted before this target finished"
                if interrupted
                else "the run's deadline was reached before this target was audited"
            )
            outcomes[index] = _not_run(task.target, reason)

    report = RunReport(
        schema_version=SCHEMA_VERSION,
        tool={"name": "egov-audit", "version": __version__},
        run=RunInfo(
            id=str(uuid.uuid4()),
            started_at=started_at,
            finished_at=_now(),
            duration_s=round(clock() - started, 3),
            options={
                **options.to_dict(),
                "config_sha256": request.config_sha256,
                "scope": sorted(scope.hosts),
                "requests_sent": http.requests_sent,
            },
            interrupted=interrupted,
        ),
        outcomes=tuple(outcomes[i] for i in range(len(tasks))),
        catalogue=catalogue_record(request.catalogue, request.checks),
    )
    observer.run_finished(report)
    return report


def _prepare_batches(
    probes: Mapping[str, Probe],
    tasks: list[TargetTask],
    checks: list[Check],
    env: ProbeEnv,
    observer: Observer,
) -> None:
    """Let batch-capable probes (sslyze, nmap) collect for all targets at once."""
    items = probe_items(checks)
    needed = _needed(checks)
    for name, probe in probes.items():
        if name not in needed:
            continue
        work = {t.target: items.get(name, frozenset()) for t in tasks}
        try:
            probe.prepare(work, env)
        except Exception as exc:  # collect() will report per target
            observer.warning(f"probe {name} could not prepare: {type(exc).__name__}: {exc}")


def _execute(
    tasks: list[TargetTask],
    worker: Worker,
    workers: int,
    deadline: float,
    clock: Callable[[], float],
    observer: Observer,
    outcomes: dict[int, TargetOutcome],
) -> None:
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="egov-audit")
    pending: dict[Future[TargetOutcome], int] = {}
    queue = list(enumerate(tasks))
    queue.reverse()
    try:
        while queue or pending:
            while queue and len(pending) < max(1, workers) and clock() < deadline:
                index, task = queue.pop()
                observer.target_started(task.target)
                pending[pool.submit(_safe_execute, task, worker)] = index
            if not pending:
                break  # deadline passed with work left; the caller records it
            done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                outcomes[index] = future.result()
                observer.target_finished(outcomes[index])
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _safe_execute(task: TargetTask, worker: Worker) -> TargetOutcome:
    try:
        return execute_task(task, worker)
    except Exception as exc:  # an engine bug on one target must not stop the others
        reason = worker.redactor.redact_text(f"internal error: {type(exc).__name__}: {exc}")
        return _not_run(task.target, reason)


def _not_run(target: Target, reason: str) -> TargetOutcome:
    return TargetOutcome(target, TargetStatus.ERROR, reason, (), (), ())
