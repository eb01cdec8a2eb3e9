"""Runs an audit: targets × checks → tasks → outcomes → one RunReport.

The runner never prints and never exits. It reports progress to an
observer, turns every failure into a result, keeps what it has when
interrupted, and never waits past a deadline: a target still running at its
deadline (or the run's) is abandoned on its daemon thread and recorded with
what it finished. See docs/deadlines.md.

Where targets run is the executor's business: local daemon threads (the
default, below) or Celery workers (``[executor] kind = "celery"``,
:mod:`egov_audit.distributed.executor`), which run the same tasks with the
same :func:`execute_task` and hand back the same outcomes.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from . import deadline as deadline_context
from .check import Check
from .model import Reason, RunInfo, RunReport, Target, TargetOutcome, TargetStatus
from .observer import NullObserver, Observer
from .options import ScanOptions
from .probes.base import Probe, ProbeEnv
from .probes.http import HttpClient
from .ratelimit import HostLimiter
from .redaction import Redactor
from .registry import Catalogue, ProbeInstances
from .scope import Scope
from .task import (
    TargetTask,
    TaskProgress,
    Worker,
    deadline_reached_reason,
    execute_task,
    probe_items,
    unfinished_outcome,
)
from .trust import combined_trust_bundle
from .workers import DaemonTask

if TYPE_CHECKING:
    from .distributed.settings import ExecutorSettings

SCHEMA_VERSION = "1.1"
# How long past a deadline the runner still waits for a task to return on its
# own (and report in its own words) before abandoning it.
GRACE_S = 2.0


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
    # Where targets run; None: the configuration's [executor], else local threads.
    executor: ExecutorSettings | None = None


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
                "judges": c.meta.judges.value,
                "distribution": catalogue.checks[c.id].distribution,
            }
            for c in selected
        ],
        "plugin_problems": [
            {"group": p.group, "name": p.name, "distribution": p.distribution, "error": p.error}
            for p in catalogue.problems
        ],
    }


def probes_for(catalogue: Catalogue) -> Mapping[str, Probe]:
    """Every installed probe: the ones checks need, and those they depend on in turn
    (the path sweep asks for the not-found fingerprint). Each is imported and made
    when first asked for, so a ``tls.*`` run never imports the crawler."""
    return ProbeInstances(catalogue.probes)


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
    scope = request.scope or Scope.for_targets(request.targets)
    if request.redactor is None:
        from .redaction import load_salt

        request.redactor = Redactor(load_salt())
    started_at, started = _now(), clock()
    run_deadline = started + options.deadline
    tasks = plan(request.targets, request.checks)
    observer.run_started(len(tasks), len(request.checks))
    for problem in request.catalogue.problems:
        observer.warning(f"plugin {problem.name} ({problem.distribution}) skipped: "
                         f"{problem.error}")

    outcomes: dict[int, TargetOutcome] = {}
    executor = request.executor or _configured_executor(request)
    if executor is not None and executor.distributed:
        from .distributed.executor import run_distributed

        counts = run_distributed(executor, request, tasks, scope, observer,
                                 run_deadline, clock, outcomes)
    else:
        counts = _run_local(request, tasks, scope, observer, run_deadline, clock, outcomes,
                            workdir)

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
                "requests_sent": counts.sent,
            },
            interrupted=counts.interrupted,
            requests=counts.by_host,
        ),
        outcomes=tuple(outcomes[i] for i in range(len(tasks))),
        catalogue=catalogue_record(request.catalogue, request.checks),
    )
    observer.run_finished(report)
    return report


@dataclass(frozen=True)
class ExecutorCounts:
    """What an executor reports besides the outcomes."""

    interrupted: bool
    sent: int  # requests sent on the wire
    by_host: Mapping[str, Mapping[str, int]]


def _configured_executor(request: AuditRequest) -> ExecutorSettings | None:
    section = request.config_sections.get("executor")
    if not section:
        return None
    from .distributed.settings import ExecutorSettings

    return ExecutorSettings.from_config(section)


def _run_local(
    request: AuditRequest,
    tasks: list[TargetTask],
    scope: Scope,
    observer: Observer,
    run_deadline: float,
    clock: Callable[[], float],
    outcomes: dict[int, TargetOutcome],
    workdir: Path | None,
) -> ExecutorCounts:
    """The default executor: up to ``options.workers`` targets on daemon threads."""
    options = request.options
    assert request.redactor is not None
    http = HttpClient(
        options,
        scope,
        HostLimiter(options.connections, options.rate),
        combined_trust_bundle(options.ca_bundle, workdir),
    )
    env = ProbeEnv(options=options, scope=scope, http=http, deadline=run_deadline)
    probes = probes_for(request.catalogue)
    worker = Worker(
        env=env,
        checks={c.id: c for c in request.checks},
        probes=probes,
        redactor=request.redactor,
        options=options,
    )
    running: dict[int, _Running] = {}
    interrupted = False
    try:
        # The run's deadline is the outermost one in force: every thread the
        # runner starts copies this context, so nothing below can outlive it.
        with deadline_context.bounded(at=run_deadline):
            _prepare_batches(probes, tasks, request.checks, env, observer, run_deadline, clock)
            _execute(tasks, worker, run_deadline, clock, observer, outcomes, running)
    except KeyboardInterrupt:
        interrupted = True
    # Pooled connections hold per-host slots until closed; a library caller may
    # run the next audit in the same process.
    http.close()
    for index, task in enumerate(tasks):
        if index in outcomes:
            continue
        if index in running:  # interrupted while it ran: keep what it finished
            running[index].task.abandon()
            reason = "interrupted before this target finished"
            outcomes[index] = unfinished_outcome(task, running[index].progress, reason,
                                                 Reason.INTERRUPTED)
            continue
        outcomes[index] = _not_run(task.target, not_audited_reason(interrupted),
                                   Reason.INTERRUPTED if interrupted else Reason.DEADLINE)
    return ExecutorCounts(interrupted, http.requests_sent, http.requests_by_host())


def not_audited_reason(interrupted: bool) -> str:
    return ("interrupted before this target was audited" if interrupted
            else "the run's deadline was reached before this target was audited")


def _prepare_batches(
    probes: Mapping[str, Probe],
    tasks: list[TargetTask],
    checks: list[Check],
    env: ProbeEnv,
    observer: Observer,
    run_deadline: float,
    clock: Callable[[], float],
) -> None:
    """Let batch-capable probes (sslyze, nmap) collect for all targets at once.

    Each batch runs on a daemon thread that is abandoned if the run's deadline
    passes first: the targets then are not started, and say so.
    """
    items = probe_items(checks)
    for name in sorted(_needed(checks)):
        probe = probes.get(name)
        if probe is None:  # not installed: each target's checks say so
            continue
        work = {t.target: items.get(name, frozenset()) for t in tasks}
        batch = DaemonTask(probe.prepare, work, env, name=f"egov-audit-prepare-{name}")
        done, _ = wait([batch.future], timeout=max(0.0, run_deadline + GRACE_S - clock()))
        if not done:
            batch.abandon()
            observer.warning(f"probe {name} had not finished preparing when the run's "
                             "deadline was reached")
            return
        exc = batch.future.exception()
        if exc is not None:  # collect() will report per target
            observer.warning(f"probe {name} could not prepare: {type(exc).__name__}: {exc}")


@dataclass
class _Running:
    """A target being audited on its own daemon thread."""

    task: DaemonTask
    progress: TaskProgress
    deadline_at: float  # the target's deadline (never past the run's)
    by_run: bool  # True when the run's deadline is the one that binds


def _execute(
    tasks: list[TargetTask],
    worker: Worker,
    run_deadline: float,
    clock: Callable[[], float],
    observer: Observer,
    outcomes: dict[int, TargetOutcome],
    running: dict[int, _Running],
) -> None:
    """Start up to ``options.workers`` targets at a time and collect their outcomes.

    The runner never waits past a target's deadline plus :data:`GRACE_S`: a
    task still running then is abandoned (its daemon thread runs on unobserved)
    and recorded with what it finished; the next target starts in its place.
    """
    options = worker.options
    slots = max(1, options.workers)
    queue = list(enumerate(tasks))
    queue.reverse()
    while queue or running:
        while queue and len(running) < slots and clock() < run_deadline:
            index, task = queue.pop()
            observer.target_started(task.target)
            own = clock() + options.target_deadline
            at = min(own, run_deadline)
            progress = TaskProgress()
            running[index] = _Running(
                DaemonTask(safe_execute, task, worker, at, progress,
                           name="egov-audit-target"),
                progress, at, by_run=own >= run_deadline)
        if not running:
            return  # deadline passed with work left; the caller records it
        next_cutoff = min(r.deadline_at for r in running.values()) + GRACE_S
        wait([r.task.future for r in running.values()],
             timeout=max(0.0, min(0.5, next_cutoff - clock())), return_when=FIRST_COMPLETED)
        for index, run in list(running.items()):
            if run.task.future.done():  # also when it returned just now, after wait()
                outcome = run.task.future.result()
            elif clock() >= run.deadline_at + GRACE_S:
                run.task.abandon()
                outcome = unfinished_outcome(
                    tasks[index], run.progress,
                    worker.redactor.redact_text(
                        overdue_reason(run.progress, options, by_run=run.by_run)),
                    Reason.DEADLINE)
            else:
                continue
            outcomes[index] = outcome  # before the removal: Ctrl-C may land in between
            del running[index]
            observer.target_finished(outcome)


def overdue_reason(progress: TaskProgress, options: ScanOptions, *, by_run: bool) -> str:
    """Why a task is recorded unfinished when the executor stopped waiting for it."""
    probe = progress.running_probe
    doing = f"probe {probe} was still running" if probe else "its checks were still running"
    return deadline_reached_reason(options, by_run=by_run, doing=f"{doing}; abandoned")


def safe_execute(
    task: TargetTask, worker: Worker, deadline_at: float, progress: TaskProgress
) -> TargetOutcome:
    try:
        return execute_task(task, worker, deadline_at=deadline_at, progress=progress)
    except Exception as exc:  # an engine bug on one target must not stop the others
        reason = worker.redactor.redact_text(f"internal error: {type(exc).__name__}: {exc}")
        return _not_run(task.target, reason, Reason.INTERNAL_ERROR)


def _not_run(target: Target, reason: str, code: Reason) -> TargetOutcome:
    return TargetOutcome(target, TargetStatus.ERROR, reason, (), (), (), reason_code=code)
