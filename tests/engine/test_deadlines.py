"""Deadlines hold: a target that will not finish is abandoned at its deadline,
the run at its own, and neither the run nor the process waits for it.

The stuck work here is real: a probe blocked in a socket read on a loopback
server that never answers, deaf to every deadline (the worst case: a library
call that cannot be interrupted). Bounds on time are generous on purpose;
what is asserted exactly is the status, the reason and what was kept.
"""

from __future__ import annotations

import contextvars
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from egov_audit import deadline
from egov_audit.check import CheckContext, Issue, Snapshot, check
from egov_audit.demo.server import html
from egov_audit.model import Severity, Status, Target, TargetOutcome, TargetStatus
from egov_audit.options import ScanOptions
from egov_audit.probes.base import Probe, ProbeSession
from egov_audit.probes.site import Site
from egov_audit.redaction import Redactor
from egov_audit.registry import load_catalogue
from egov_audit.runner import GRACE_S, AuditRequest, run_audit
from egov_audit.targets import parse_target
from egov_audit.workers import DaemonExecutor, abandoned

from ..conftest import ServeFn
from .slow_servers import DripServer, HangingServer

# Slack for a busy 2-core machine on top of deadline + grace.
MARGIN_S = 8.0


@dataclass(frozen=True)
class Blocked(Snapshot):
    probe = "test.blocking"
    budget: float  # the deadline in force, as the probe saw it


def blocking_probe(server: HangingServer) -> type[Probe]:
    class BlockingProbe(Probe):
        name = "test.blocking"
        snapshot = Blocked

        def collect(self, target: Target, items: frozenset[str],
                    session: ProbeSession) -> Snapshot:
            budget = deadline.remaining()
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                sock.settimeout(300)  # deaf to every deadline; ends when the server stops
                sock.recv(1)
            return Blocked(budget)

    return BlockingProbe


@check(id="test.page_seen", title="t", severity=Severity.LOW, cwe=(1,), needs=(Site,),
       remediation="r")
def page_seen(ctx: CheckContext) -> Iterator[Issue]:
    yield from ()


@check(id="test.blocked", title="t", severity=Severity.LOW, cwe=(1,), needs=(Blocked,),
       remediation="r")
def blocked(ctx: CheckContext) -> Iterator[Issue]:
    yield Issue(evidence=f"budget={ctx.get(Blocked).budget:.3f}")


class Recorder:
    """An observer that keeps what the runner reported."""

    def __init__(self) -> None:
        self.finished: list[TargetOutcome] = []

    def run_started(self, targets: int, checks: int) -> None: ...
    def target_started(self, target: Target) -> None: ...
    def run_finished(self, report: object) -> None: ...
    def warning(self, message: str) -> None: ...

    def target_finished(self, outcome: TargetOutcome) -> None:
        self.finished.append(outcome)


def request_for(specs: list[str], check_ids: list[str], stuck: HangingServer | None = None,
                **options: object) -> AuditRequest:
    catalogue = load_catalogue(extra_checks=[page_seen, blocked])
    if stuck is not None:
        catalogue.probes["test.blocking"] = blocking_probe(stuck)
    return AuditRequest(
        targets=[parse_target(s) for s in specs],
        checks=catalogue.select(check_ids),
        catalogue=catalogue,
        options=ScanOptions(rate=200, timeout=60).with_overrides(options),
        redactor=Redactor(b"deadline-test"),
    )


@pytest.fixture
def stuck() -> Iterator[HangingServer]:
    with HangingServer() as server:
        yield server


def test_a_target_past_its_deadline_is_abandoned_and_keeps_what_finished(
    serve: ServeFn, stuck: HangingServer
) -> None:
    # Given a target whose page answers but whose second probe blocks for ever
    site = serve({"/": html("hello")})
    request = request_for([site.url("/")], ["test.page_seen", "test.blocked"], stuck,
                          target_deadline=3)
    observer = Recorder()
    # When it is audited with a 3 s target deadline
    started = time.monotonic()
    report = run_audit(request, observer)
    elapsed = time.monotonic() - started
    # Then the runner stopped waiting at the deadline (plus grace), not when the probe ended
    assert elapsed < 3 + GRACE_S + MARGIN_S
    (outcome,) = report.outcomes
    assert outcome.status is TargetStatus.PARTIAL
    assert outcome.error is not None
    assert outcome.error.startswith("did not finish within its deadline of 3 s")
    assert "probe test.blocking was still running" in outcome.error
    # What finished is kept; what did not is an error with the reason
    by_check = {r.check: r for r in outcome.results}
    assert by_check["test.page_seen"].status is Status.PASS
    assert by_check["test.blocked"].status is Status.ERROR
    assert by_check["test.blocked"].reason == outcome.error
    probes = {p.probe: p for p in outcome.probes}
    assert probes["http.site"].ok
    assert not probes["test.blocking"].ok
    # The observer heard of it like of any finished target
    assert observer.finished == [outcome]
    assert report.incomplete
    # And the thread left behind cannot keep the process alive
    left = [t for t in abandoned() if t.name.startswith("egov-audit-target")]
    assert left and all(t.daemon for t in left)


def test_the_target_deadline_is_in_force_inside_probes(
    serve: ServeFn, stuck: HangingServer
) -> None:
    # Given a probe that reports the deadline it sees, and a server that lets it go
    site = serve({"/": html("hello")})
    request = request_for([site.url("/")], ["test.blocked"], stuck, target_deadline=30)
    threading.Timer(0.5, stuck.stop).start()  # closing the connection unblocks the probe
    # When the target is audited
    report = run_audit(request)
    # Then the probe saw a deadline no further away than the target's
    (outcome,) = report.outcomes
    assert outcome.status is TargetStatus.OK, outcome.error
    (finding,) = outcome.findings
    budget = float(finding.evidence.text.removeprefix("budget="))
    assert 0 < budget <= 30


def test_hanging_and_dripping_servers_end_at_the_target_deadline_next_to_a_healthy_one(
    serve: ServeFn, stuck: HangingServer
) -> None:
    # Given a server that never answers and one that drips a byte a second, next
    # to a healthy one, with a socket timeout (60 s) far above the deadline (3 s)
    site = serve({"/": html("hello")})
    with DripServer() as drip:
        request = request_for([stuck.url("/"), drip.url("/"), site.url("/")],
                              ["test.page_seen"], target_deadline=3)
        # When all three are audited in one run
        started = time.monotonic()
        report = run_audit(request)
        elapsed = time.monotonic() - started
    # Then the two hostile ones end in time, incomplete, naming their deadline,
    # whether the HTTP client gave up itself or the runner abandoned the work
    hanging, dripping, healthy = report.outcomes
    assert elapsed < 3 + GRACE_S + MARGIN_S
    for outcome in (hanging, dripping):
        assert outcome.status in {TargetStatus.ERROR, TargetStatus.PARTIAL}
        assert (outcome.error or "").startswith("did not finish within its deadline of 3 s")
    assert hanging.status is TargetStatus.ERROR  # it never sent a byte
    assert healthy.status is TargetStatus.OK
    assert stuck.accepted >= 1 and drip.accepted >= 1  # both really were contacted


def test_the_run_deadline_abandons_running_targets_and_skips_the_rest(
    serve: ServeFn, stuck: HangingServer
) -> None:
    # Given two targets that block, one at a time, and a run deadline of 4 s
    site = serve({"/": html("hello")})
    request = request_for([site.url("/a"), site.url("/b")], ["test.blocked"], stuck,
                          deadline=4, workers=1)
    # When the run is audited
    started = time.monotonic()
    report = run_audit(request)
    elapsed = time.monotonic() - started
    # Then run_audit returns at the run's deadline (plus grace)
    assert elapsed < 4 + GRACE_S + MARGIN_S
    first, second = report.outcomes
    # The running target is abandoned and says which deadline stopped it
    assert first.status is TargetStatus.ERROR
    assert (first.error or "").startswith("the run's deadline of 4 s was reached before this "
                                          "target finished")
    # The target never started says so
    assert second.status is TargetStatus.ERROR
    assert second.error == "the run's deadline was reached before this target was audited"
    assert stuck.accepted == 1


def test_daemon_executor_keeps_order_context_and_daemon_threads() -> None:
    # Given a deadline in force and work handed to the pool
    seen: list[tuple[float, bool]] = []
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            seen.append((deadline.current(), threading.current_thread().daemon))
        time.sleep(0.01 * (5 - n))  # later items finish first
        return n * n

    with deadline.bounded(seconds=50) as at, DaemonExecutor(max_workers=3) as pool:
        results = list(pool.map(work, range(5)))
    # Then results come in the order asked, every thread saw the deadline and was a daemon
    assert results == [0, 1, 4, 9, 16]
    assert seen and all(d == at and daemon for d, daemon in seen)


def test_daemon_executor_raises_the_first_error_in_order() -> None:
    def work(n: int) -> int:
        if n == 2:
            raise ValueError("two")
        return n

    with DaemonExecutor(max_workers=2) as pool, pytest.raises(ValueError, match="two"):
        list(pool.map(work, range(4)))


def test_a_daemon_task_runs_in_the_submitters_context() -> None:
    from egov_audit.workers import DaemonTask

    var: contextvars.ContextVar[str] = contextvars.ContextVar("v", default="unset")
    var.set("set by the submitter")
    task = DaemonTask(var.get)
    assert task.future.result(timeout=10) == "set by the submitter"
    assert task.thread.daemon
