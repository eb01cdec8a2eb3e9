"""The runner's side of a distributed run: fan out, stream back, collect.

Every target is sent as one Celery task (its ``TargetTask`` as JSON, with the
run's options, scope and deadline). Workers announce starts, send partial
outcomes after each probe, and store each final outcome in the run's channel
(:mod:`.channel`); the runner turns those events into the same observer calls
as a local run. It never waits past the run's deadline (plus a grace for the
last answers to arrive): what has not come back by then is recorded with what
its worker sent so far, and the run's remaining tasks are cancelled. A broker
that goes away mid-run is waited for (with a warning) until that deadline.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..model import Reason, TargetOutcome, TargetStatus
from ..observer import Observer
from ..scope import Scope
from ..task import TargetTask, deadline_reached_reason
from .app import TASK_NAME, make_app
from .channel import RunChannel, redis_client
from .codec import outcome_from_dict
from .job import rewrite_partial, salt_check
from .settings import ExecutorSettings, redact_url

if TYPE_CHECKING:
    from ..runner import AuditRequest, ExecutorCounts

# Seconds past the run's deadline the runner still waits for workers to
# report: their own copy of the deadline ends their work, this covers the
# trip back through Redis and a worker clock a little behind ours.
REPORT_GRACE_S = 10.0
# How often tasks that never reported are looked up in the result backend
# (a task Celery could not even start fails there, not in the channel).
BACKEND_CHECK_S = 5.0
NO_WORKER_WARNING_S = 30.0
BROKER_RETRY_S = 1.0  # between two looks for a broker that went away mid-run


def _reachable(broker: str) -> Any:
    """A client of the broker, or InputError when it cannot be reached."""
    client = redis_client(broker)
    try:
        client.ping()
    except Exception as exc:  # any redis-py failure: refused, TLS, authentication
        raise InputError(f"cannot reach the broker {redact_url(broker)}: "
                         f"{type(exc).__name__}: {exc}") from None
    return client


def run_distributed(
    settings: ExecutorSettings,
    request: AuditRequest,
    tasks: list[TargetTask],
    scope: Scope,
    observer: Observer,
    run_deadline: float,
    clock: Callable[[], float],
    outcomes: dict[int, TargetOutcome],
) -> ExecutorCounts:
    from ..runner import ExecutorCounts, not_audited_reason

    assert settings.broker is not None and request.redactor is not None
    app = make_app(settings.broker, queue=settings.queue)
    run_id = str(uuid.uuid4())
    channel = RunChannel(_reachable(settings.broker), run_id)
    base = {
        "run": run_id,
        "options": request.options.to_dict(),
        "scope": {"hosts": sorted(scope.hosts), "subdomains": scope.include_subdomains},
        "run_deadline": time.time() + (run_deadline - clock()),
        "salt_check": salt_check(request.redactor),
        "catalogue": request.catalogue.digest(),
        "max_attempts": settings.max_attempts,
    }
    collected = _Collected(observer, tasks, outcomes)
    interrupted = False
    try:
        task_ids = [f"{run_id}-{i}" for i in range(len(tasks))]
        for index, task in enumerate(tasks):
            app.send_task(TASK_NAME, args=[{**base, "index": index, "task": task.to_dict()}],
                          queue=settings.queue, task_id=task_ids[index])
        next_backend_check = clock() + BACKEND_CHECK_S
        lonely_at = clock() + NO_WORKER_WARNING_S
        broker_lost = False
        while len(outcomes) < len(tasks):
            left = run_deadline + REPORT_GRACE_S - clock()
            if left <= 0:
                break
            try:
                events = channel.next_events(min(0.5, left))
            except Exception as exc:  # Redis away: what is stored there waits for us
                if not broker_lost:
                    observer.warning(f"lost the broker {redact_url(settings.broker)} "
                                     f"({type(exc).__name__}); waiting for it until the "
                                     "run's deadline")
                broker_lost = True
                time.sleep(min(BROKER_RETRY_S, max(0.0, left)))
                continue
            if broker_lost:
                observer.warning(f"the broker {redact_url(settings.broker)} is back")
                broker_lost = False
            for event in events:
                collected.take(event)
            if not collected.started and clock() >= lonely_at:
                observer.warning(f"no worker has taken a target in {NO_WORKER_WARNING_S:g} s; "
                                 f"is one running on queue {settings.queue!r} of "
                                 f"{redact_url(settings.broker)}? (egov-audit worker)")
                lonely_at = float("inf")
            if clock() >= next_backend_check:
                with contextlib.suppress(Exception):  # Redis away: the next look tries again
                    collected.failed_in_backend(app, task_ids)
                next_backend_check = clock() + BACKEND_CHECK_S
    except KeyboardInterrupt:
        interrupted = True
    finally:
        # Whatever is still queued is skipped by the workers from now on (if
        # Redis is away, the queued targets expire with the run's keys).
        with contextlib.suppress(Exception):
            channel.cancel()
    for index, task in enumerate(tasks):
        if index in outcomes:
            continue
        partial = collected.partial.get(index)
        code = Reason.INTERRUPTED if interrupted else Reason.DEADLINE
        if index in collected.started:
            reason = ("interrupted before this target finished" if interrupted else
                      deadline_reached_reason(request.options, by_run=True,
                                              doing="its worker had not reported back"))
            outcomes[index] = (rewrite_partial(partial, reason, code) if partial is not None else
                               TargetOutcome(task.target, TargetStatus.ERROR, reason,
                                             (), (), (), reason_code=code))
        else:
            outcomes[index] = TargetOutcome(task.target, TargetStatus.ERROR,
                                            not_audited_reason(interrupted), (), (), (),
                                            reason_code=code)
    with contextlib.suppress(Exception):  # Redis away: the keys expire in a day
        channel.forget()
    requests = collected.requests
    return ExecutorCounts(interrupted, sum(c.get("sent", 0) for c in requests.values()),
                          requests)


class _Collected:
    """Events from the workers, turned into outcomes and observer calls."""

    def __init__(self, observer: Observer, tasks: list[TargetTask],
                 outcomes: dict[int, TargetOutcome]) -> None:
        self.observer, self.tasks, self.outcomes = observer, tasks, outcomes
        self.started: set[int] = set()
        self.partial: dict[int, TargetOutcome] = {}
        self._requests: dict[str, dict[str, dict[str, int]]] = {}  # per worker process

    def take(self, event: dict[str, Any]) -> None:
        index = int(event["index"])
        if index in self.outcomes or not 0 <= index < len(self.tasks):
            return  # a late duplicate (redelivered after it finished)
        kind = event["kind"]
        if kind == "started" and index not in self.started:
            self.started.add(index)
            self.observer.target_started(self.tasks[index].target)
        elif kind == "progress":
            self.partial[index] = outcome_from_dict(event["outcome"])
        elif kind == "finished":
            data = event["outcome"]
            seen = self._requests.setdefault(str(data.get("worker", "")), {})
            for host, counts in data.get("requests", {}).items():
                mine = seen.setdefault(host, {})
                for key, value in counts.items():
                    mine[key] = max(mine.get(key, 0), int(value))
            self.finish(index, outcome_from_dict(data))

    @property
    def requests(self) -> dict[str, dict[str, int]]:
        """Requests per host, every worker process added up."""
        total: dict[str, dict[str, int]] = {}
        for hosts in self._requests.values():
            for host, counts in hosts.items():
                mine = total.setdefault(host, {})
                for key, value in counts.items():
                    mine[key] = mine.get(key, 0) + value
        return total

    def finish(self, index: int, outcome: TargetOutcome) -> None:
        if index not in self.started:
            self.started.add(index)
            self.observer.target_started(self.tasks[index].target)
        self.outcomes[index] = outcome
        self.observer.target_finished(outcome)

    def failed_in_backend(self, app: Any, task_ids: list[str]) -> None:
        """Tasks Celery itself failed (a message it could not run): errors, with why."""
        for index, task_id in enumerate(task_ids):
            if index in self.outcomes:
                continue
            result = app.AsyncResult(task_id)
            if result.state == "FAILURE":
                reason = f"the worker could not run this target: {result.result!r}"[:300]
                self.finish(index, TargetOutcome(self.tasks[index].target,
                                                 TargetStatus.ERROR, reason, (), (), (),
                                                 reason_code=Reason.WORKER_FAILED))
