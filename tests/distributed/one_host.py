"""Four sites on four ports of one host, audited by four workers, counted together.

The politeness tests (connections and rate, the request budget) share this
set-up: a bound that holds "across workers" is only proven when several
workers really audit targets of the same host at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from egov_audit.distributed.settings import ExecutorSettings
from egov_audit.model import RunReport, Target
from tests.rawserver import Counters, RawServer, keep_alive

from .conftest import WorkerProcess, Workers
from .test_equivalence import audit


@dataclass
class OneHostRun:
    report: RunReport
    counters: Counters  # what the host saw, all four sites together
    started: list[WorkerProcess]

    def busy_workers(self) -> list[WorkerProcess]:
        """The workers that received at least one target."""
        return [w for w in self.started if b"] received" in w.log.read_bytes()]


def audit_one_host_with_four_workers(
        answer: Callable[[bytes, RawServer], bytes], host: str, workers: Workers,
        ca_file: Path, tmp_path: Path, checks: tuple[str, ...], **options: Any) -> OneHostRun:
    counters = Counters()
    servers = [RawServer(keep_alive(answer), host=host, counters=counters).start()
               for _ in range(4)]
    started = [workers.start(wait=False) for _ in range(4)]
    try:
        for worker in started:
            workers.wait_ready(worker)
        targets = [Target(s.url(), s.host, s.url(), None) for s in servers]
        report = audit(targets, ca_file, tmp_path,
                       ExecutorSettings(kind="celery", broker=workers.broker),
                       checks=checks, **options)
    finally:
        for server in servers:
            server.stop()
    return OneHostRun(report, counters, started)
