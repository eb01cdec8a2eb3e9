"""What a worker does with one target: the engine's own ``execute_task``.

Before auditing, the job makes sure the result could be the one a local run
would give, or says why not: the worker's check catalogue and redaction salt
must be the runner's (finding ids are salted), and its visibility timeout
must outlast the target's deadline. A target whose outcome is already stored
(redelivered after its worker died at the very end) is not audited again; a
target started more than ``max_attempts`` times has killed every worker that
took it, and ends as an error saying so.

Batch probes: a task is one target, the unit a dead worker loses and Redis
redelivers, so there is no batch to prepare across tasks. sslyze and nmap
scan the task's target on demand (their ``collect`` does that for a target
no ``prepare`` saw), and the TLS scan and nmap hold every connection slot
of the host while they scan it, now through Redis, so they stay within the
per-host bounds of all workers together.

A worker process keeps one run context (HTTP client with its shared answers,
probes, limiter) per run, so targets of one run on one worker share them as
they do locally. The request budget is the run's, not the process's: its
per-host totals are counted in Redis (:mod:`.redis_budget`).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import wait
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from ..model import Reason, Status, Target, TargetOutcome, TargetStatus
from ..probes.base import ProbeEnv
from ..redaction import Redactor, load_salt
from ..scope import Scope
from ..task import TargetTask, TaskProgress, Worker, unfinished_outcome
from ..workers import DaemonTask
from .channel import RunChannel, redis_client
from .codec import options_from_dict, outcome_to_dict
from .redis_budget import RedisRequestBudget
from .redis_limits import RedisHostLimiter

SALT_CHECK = "egov-audit distributed salt check"
PARTIAL_REASON = "its worker had not finished this target"
NOT_AUDITED = "the run's deadline was reached before this target was audited"
RUNS_KEPT = 2  # run contexts a worker process keeps (a new run, and the one before)


def salt_check(redactor: Redactor) -> str:
    """A fingerprint of the salt that reveals nothing about it (an HMAC of a constant)."""
    return redactor.hash("salt-check", SALT_CHECK)


# A worker with a thread pool runs several targets at once: the per-process
# state below is built once, under this lock.
_lock = threading.RLock()


@cache
def _catalogue_once() -> Any:
    from ..registry import load_catalogue

    catalogue = load_catalogue()
    return catalogue, catalogue.digest()


def _catalogue() -> Any:
    with _lock:
        return _catalogue_once()


@cache
def _redactor_once() -> Redactor:
    return Redactor(load_salt())


def _redactor() -> Redactor:
    with _lock:
        return _redactor_once()


@dataclass
class _RunContext:
    worker: Worker
    limiter: RedisHostLimiter
    run_deadline: float  # time.monotonic() of this process

    def close(self) -> None:
        self.worker.env.http.close()
        self.limiter.close()


_runs: dict[str, _RunContext] = {}


def _context(payload: dict[str, Any], client: Any) -> _RunContext:
    with _lock:
        return _context_locked(payload, client)


def _context_locked(payload: dict[str, Any], client: Any) -> _RunContext:
    run_id = payload["run"]
    found = _runs.get(run_id)
    if found is not None:
        return found
    while len(_runs) >= RUNS_KEPT:
        _runs.pop(next(iter(_runs))).close()
    from ..probes.http import HttpClient
    from ..runner import probes_for
    from ..trust import combined_trust_bundle

    catalogue, _ = _catalogue()
    options = options_from_dict(payload["options"])
    scope = Scope(frozenset(payload["scope"]["hosts"]), bool(payload["scope"]["subdomains"]))
    limiter = RedisHostLimiter(client, options.connections, options.rate)
    # The budget is the one piece chosen by the executor: a per-host total
    # shared by every worker of the run, instead of the local in-process one.
    budget = RedisRequestBudget(client, run_id, options.request_budget,
                                float(payload["run_deadline"]))
    http = HttpClient(options, scope, limiter, combined_trust_bundle(options.ca_bundle),
                      budget=budget)
    # The run's deadline arrives as wall-clock time; this machine's clock is
    # trusted to agree within seconds (NTP), see docs/distributed.md.
    run_deadline = time.monotonic() + (float(payload["run_deadline"]) - time.time())
    env = ProbeEnv(options=options, scope=scope, http=http, deadline=run_deadline)
    worker = Worker(env=env, checks={cid: reg.check for cid, reg in catalogue.checks.items()},
                    probes=probes_for(catalogue), redactor=_redactor(), options=options)
    _runs[run_id] = context = _RunContext(worker, limiter, run_deadline)
    return context


class _StreamingProgress(TaskProgress):
    """Task progress that also sends what finished to the runner after each probe,
    so a target cut short by the run's end keeps its finished probes and checks."""

    def __init__(self, task: TargetTask, channel: RunChannel, index: int) -> None:
        super().__init__()
        self._task, self._channel, self._index = task, channel, index

    def probe_done(self, record: Any) -> None:
        super().probe_done(record)
        try:
            partial = unfinished_outcome(self._task, self, PARTIAL_REASON)
            self._channel.progress(self._index, outcome_to_dict(partial))
        except Exception:  # progress is a courtesy; the result does not depend on it
            pass


def audit_target(self: Any, payload: dict[str, Any]) -> dict[str, Any]:
    """The Celery task: audit one target and store its outcome in the run's channel."""
    broker = self.app.conf.broker_url
    client = _client(broker)
    index = int(payload["index"])
    channel = RunChannel(client, payload["run"])
    if channel.cancelled():
        return {"index": index, "skipped": "the run was cancelled"}
    stored = channel.stored(index)
    if stored is not None:  # redelivered after it finished: do not audit twice
        return {"index": index, "status": stored["target"]["status"], "again": True}
    task = TargetTask.from_dict(payload["task"])
    name = f"{socket.gethostname()}:{os.getpid()}"
    attempt = channel.start(index, name)
    refusal = _refusal(payload, attempt, self.app.conf.broker_transport_options)
    if refusal is not None:
        outcome = _not_run(task.target, *refusal)
        requests: dict[str, dict[str, int]] = {}
    else:
        try:
            context = _context(payload, client)
            outcome, requests = _audit(task, context, channel, index)
        except Exception as exc:  # a worker-side failure is this target's error, not a lost task
            reason = f"the worker could not audit this target: {type(exc).__name__}: {exc}"
            outcome, requests = _not_run(task.target, _redactor().redact_text(reason)[:300],
                                         Reason.WORKER_FAILED), {}
    data = outcome_to_dict(outcome)
    data["requests"] = requests
    data["worker"] = name
    channel.finish(index, data)
    return {"index": index, "status": outcome.status.value}


@cache
def _client_for(url: str, pid: int) -> Any:
    return redis_client(url)


def _client(url: str) -> Any:
    # One client per process: a forked pool process must not share its parent's sockets.
    return _client_for(url, os.getpid())


def _refusal(payload: dict[str, Any], attempt: int,
             transport: dict[str, Any] | None) -> tuple[str, Reason] | None:
    """Why this worker must not audit the target, or None."""
    max_attempts = int(payload["max_attempts"])
    if attempt > max_attempts:
        return (f"given up after {max_attempts} attempts: each ended with its worker lost "
                "(killed, out of memory, or its machine gone) before a result",
                Reason.ATTEMPTS_EXHAUSTED)
    if float(payload["run_deadline"]) <= time.time():
        return NOT_AUDITED, Reason.DEADLINE
    _, digest = _catalogue()
    if digest != payload["catalogue"]:
        return ("not audited: this worker's check catalogue differs from the runner's "
                f"(sha256 {digest[:12]} here, {str(payload['catalogue'])[:12]} there); "
                "install the same egov-audit version and plugins on every worker",
                Reason.WORKER_MISMATCH)
    if salt_check(_redactor()) != payload["salt_check"]:
        return ("not audited: this worker's redaction salt differs from the runner's, so its "
                "finding ids would differ; give every worker the same EGOV_AUDIT_SALT",
                Reason.WORKER_MISMATCH)
    visibility = float((transport or {}).get("visibility_timeout", 3600))
    needed = float(payload["options"]["target_deadline"]) + 30
    if needed >= visibility:
        return (f"not audited: the workers' visibility timeout ({visibility:g} s) must be "
                f"longer than the target deadline plus 30 s ({needed:g} s), or a slow target "
                "would be handed to a second worker; start workers with a longer "
                "--visibility-timeout", Reason.WORKER_MISMATCH)
    return None


def _audit(task: TargetTask, context: _RunContext, channel: RunChannel,
           index: int) -> tuple[TargetOutcome, dict[str, dict[str, int]]]:
    """Run the task like the local executor does: on a daemon thread, never
    waited for past its deadline plus the grace period."""
    from ..runner import GRACE_S, overdue_reason, safe_execute

    worker = context.worker
    own = time.monotonic() + worker.options.target_deadline
    at = min(own, context.run_deadline)
    progress = _StreamingProgress(task, channel, index)
    running = DaemonTask(safe_execute, task, worker, at, progress, name="egov-audit-target")
    done, _ = wait([running.future], timeout=max(0.0, at + GRACE_S - time.monotonic()))
    if done:
        outcome: TargetOutcome = running.future.result()
    else:
        running.abandon()
        reason = overdue_reason(progress, worker.options, by_run=own >= context.run_deadline)
        outcome = unfinished_outcome(task, progress, worker.redactor.redact_text(reason))
    # This process's counts for the whole run so far (several targets may run
    # at once here, so a per-target difference would count some twice); the
    # runner keeps the largest it saw from each process and adds processes up.
    return outcome, worker.env.http.requests_by_host()


def _not_run(target: Target, reason: str, code: Reason) -> TargetOutcome:
    return TargetOutcome(target, TargetStatus.ERROR, reason, (), (), (), reason_code=code)


def rewrite_partial(outcome: TargetOutcome, reason: str, code: Reason) -> TargetOutcome:
    """A partial outcome sent during the run, with the runner's reason for ending it."""
    results = tuple(replace(r, reason=reason, reason_code=code)
                    if r.status is Status.ERROR and r.reason == PARTIAL_REASON else r
                    for r in outcome.results)
    probes = tuple(replace(p, error=reason, reason_code=code) if p.error == PARTIAL_REASON
                   else p for p in outcome.probes)
    return replace(outcome, error=reason, results=results, probes=probes, reason_code=code)
