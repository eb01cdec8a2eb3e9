"""No target is lost when workers die, and a target that kills them is given up.

Workers run as real subprocesses; "dying" is SIGKILL, of a whole worker (a
machine that went away) or of the pool process auditing a target (the OOM
killer). Celery redelivers the target (acks_late, reject_on_worker_lost, the
Redis visibility timeout); the attempt counter in Redis ends a target that
keeps killing workers as an error with the reason.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from pathlib import Path

from egov_audit.demo.server import Request, Response, html
from egov_audit.distributed.settings import ExecutorSettings
from egov_audit.model import RunReport, TargetStatus
from tests.conftest import ServeFn, pair

from .conftest import Workers, eventually
from .test_equivalence import audit


def slow_page(request: Request) -> Response:
    time.sleep(1.0)  # the entry page: a worker is surely mid-target when killed
    return html("<html><body>Dinas</body></html>")


def test_a_worker_killed_mid_run_loses_no_target(
        serve: ServeFn, ca_file: Path, tmp_path: Path, workers: Workers) -> None:
    servers = [serve({"/": slow_page}, host=f"127.0.1.{n + 1}") for n in range(4)]
    targets = [pair(server, None) for server in servers]
    doomed = workers.start(visibility_timeout=40)
    survivor = workers.start(visibility_timeout=40)
    settings = ExecutorSettings(kind="celery", broker=workers.broker)
    reports: list[RunReport] = []
    run = threading.Thread(target=lambda: reports.append(audit(
        targets, ca_file, tmp_path, settings, checks=("headers.*",),
        target_deadline=8.0, rate=50.0, deadline=240.0)))
    run.start()
    try:
        # When the doomed worker is auditing a target, the whole worker dies.
        assert eventually(lambda: bool(received(doomed.log)), 60)
        time.sleep(1.0)
        doomed.kill()
    finally:
        run.join(240)
    assert not run.is_alive()

    (report,) = reports
    assert [o.status for o in report.outcomes] == [TargetStatus.OK] * 4, \
        [(o.status, o.error) for o in report.outcomes]
    assert all(o.results for o in report.outcomes)
    # The target the killed worker held was handed to the survivor.
    assert received(doomed.log) & received(survivor.log)


def received(log: Path) -> set[str]:
    return set(re.findall(r"audit_target\[([0-9a-f-]+)\] received", log.read_text()))


def test_a_target_that_keeps_killing_workers_ends_as_an_error(
        serve: ServeFn, ca_file: Path, tmp_path: Path, workers: Workers) -> None:
    worker = workers.start(pool="prefork")  # one pool process per target, to kill
    kills: list[int] = []

    def deadly(request: Request) -> Response:
        # The worker process auditing this target dies (as if it ran out of memory).
        for pid in worker.children():
            kills.append(pid)
            os.kill(pid, signal.SIGKILL)
        return html("<html>never seen</html>")

    killer = serve({"/": deadly}, fallback=deadly, host="127.0.2.1")
    fine = serve({"/": html("<html>fine</html>")}, host="127.0.2.2")
    settings = ExecutorSettings(kind="celery", broker=workers.broker, max_attempts=2)
    report = audit([pair(killer, None), pair(fine, None)], ca_file, tmp_path, settings,
                   checks=("headers.*",), target_deadline=8.0, deadline=180.0)

    bad, good = report.outcomes
    assert bad.status is TargetStatus.ERROR
    assert bad.error is not None and "given up after 2 attempts" in bad.error
    assert len(set(kills)) == 2  # two pool processes died, the third never started it
    assert good.status is TargetStatus.OK
