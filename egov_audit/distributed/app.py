"""The Celery application: one task, JSON only, and every setting that keeps work.

- ``acks_late``: a target's message is acknowledged when its result is
  stored, not when a worker takes it; a worker killed mid-target leaves it
  unacknowledged, and Redis gives it to another worker after the visibility
  timeout.
- ``reject_on_worker_lost``: a pool process that dies (SIGKILL, the OOM
  killer) puts its target back on the queue at once.
- ``worker_prefetch_multiplier = 1``: a worker reserves one target per free
  process, so a dying worker takes few unstarted targets down with it and
  fast workers are not starved by slow ones.
- the visibility timeout is longer than any target may run (see
  :mod:`.settings`); the job refuses targets whose deadline would break that.
"""

from __future__ import annotations

from typing import Any

from .settings import DEFAULT_QUEUE, DEFAULT_VISIBILITY_TIMEOUT

TASK_NAME = "egov_audit.audit_target"


def make_app(broker: str, *, visibility_timeout: float = DEFAULT_VISIBILITY_TIMEOUT,
             queue: str = DEFAULT_QUEUE) -> Any:
    # Celery ships no type information; the app is used through Any on purpose.
    from celery import Celery  # type: ignore[import-untyped]

    app = Celery("egov_audit", broker=broker, backend=broker, set_as_current=False)
    # Workers look for targets of dead workers every 5 s (kombu's default, 10 s
    # throttled to every 10th look, can leave them for minutes).
    transport = {"visibility_timeout": int(visibility_timeout),
                 "unacked_restore_interval": 5, "unacked_restore_throttle": 1}
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=queue,
        broker_transport_options=transport,
        result_backend_transport_options=transport,
        result_expires=86400,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
    )
    return app


def register_job(app: Any) -> Any:
    """Register the worker side of the task (only workers import the engine)."""
    from .job import audit_target

    return app.task(name=TASK_NAME, bind=True, acks_late=True,
                    reject_on_worker_lost=True)(audit_target)
