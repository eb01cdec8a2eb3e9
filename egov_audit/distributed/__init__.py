"""Running an audit's targets on Celery workers, with Redis as broker and backend.

The unit of work is the engine's own :class:`egov_audit.task.TargetTask`; a
worker runs it with :func:`egov_audit.task.execute_task`, exactly as the local
thread executor does, so a distributed run gives the same findings. Nothing
here is imported unless ``--executor celery`` (or ``egov-audit worker``) asks
for it: Celery and redis-py are an optional extra (``distributed``).

- :mod:`.settings`: which executor, which broker (CLI and ``[executor]``)
- :mod:`.app`: the Celery application, configured so no target is lost
- :mod:`.channel`: a run's keys in Redis (outcomes, attempts, progress events)
- :mod:`.job`: what a worker does with one target
- :mod:`.executor`: what the runner does: fan out, stream back, collect
- :mod:`.redis_limits`: per-host politeness across all workers
- :mod:`.redis_budget`: the per-host request budget of the run, across all workers
"""
