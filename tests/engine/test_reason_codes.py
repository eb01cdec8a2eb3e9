"""Every reason the engine gives carries a stable code, produced by real runs on loopback.

The free text stays for people; programs (and the engine's own skip-or-error
judgement) read ``reason_code``. Each test makes the failure happen for real
and asserts both: the code, and that the text still says the same thing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from egov_audit.check import CheckContext, Issue, Skip, Snapshot, check
from egov_audit.demo.server import html
from egov_audit.model import Reason, RunReport, Severity, Status, TargetStatus
from egov_audit.observer import Observer
from egov_audit.options import ScanOptions
from egov_audit.probes.base import Probe, ProbeSession
from egov_audit.probes.site import Site
from egov_audit.redaction import Redactor
from egov_audit.registry import load_catalogue
from egov_audit.result_io import report_to_dict, validate
from egov_audit.runner import AuditRequest, run_audit
from egov_audit.targets import parse_target

from ..conftest import AuditFn, ServeFn
from ..factories import InterruptAfterFirst
from .slow_servers import HangingServer


@check(id="test.judges", title="t", severity=Severity.LOW, cwe=(1,), needs=(Site,),
       remediation="r")
def judges(ctx: CheckContext) -> Iterator[Issue]:
    yield from ()


@check(id="test.skips", title="t", severity=Severity.LOW, cwe=(1,), needs=(Site,),
       remediation="r")
def skips(ctx: CheckContext) -> Iterator[Issue]:
    raise Skip("nothing to judge here")


@check(id="test.crashes", title="t", severity=Severity.LOW, cwe=(1,), needs=(Site,),
       remediation="r")
def crashes(ctx: CheckContext) -> Iterator[Issue]:
    raise RuntimeError("boom")


@dataclass(frozen=True)
class Broken(Snapshot):
    probe = "test.broken"


class BrokenProbe(Probe):
    name = "test.broken"
    snapshot = Broken

    def collect(self, target: object, items: frozenset[str], session: ProbeSession) -> Broken:
        raise KeyError("a probe bug")


@check(id="test.needs_broken", title="t", severity=Severity.LOW, cwe=(1,), needs=(Broken,),
       remediation="r")
def needs_broken(ctx: CheckContext) -> Iterator[Issue]:
    yield from ()


@dataclass(frozen=True)
class Absent(Snapshot):
    probe = "test.not_installed"


@check(id="test.needs_absent", title="t", severity=Severity.LOW, cwe=(1,), needs=(Absent,),
       remediation="r")
def needs_absent(ctx: CheckContext) -> Iterator[Issue]:
    yield from ()


LOCAL = [judges, skips, crashes, needs_broken, needs_absent]


def run(specs: list[str], checks: tuple[str, ...] = ("test.judges",),
        observer: Observer | None = None, **options: object) -> RunReport:
    """The real engine with the local checks, trusting no private CA."""
    catalogue = load_catalogue(extra_checks=LOCAL)
    catalogue.probes["test.broken"] = BrokenProbe
    request = AuditRequest(
        targets=[parse_target(s) for s in specs],
        checks=[c for c in LOCAL if c.id in checks],
        catalogue=catalogue,
        options=ScanOptions(rate=200, timeout=2).with_overrides(options),
        redactor=Redactor(b"reason-codes"),
    )
    return run_audit(request, observer)


def codes(report: RunReport) -> set[Reason | None]:
    return {r.reason_code for r in report.results}


def test_pass_and_fail_carry_no_code(serve: ServeFn) -> None:
    # Given a site that answers
    site = serve({"/": html("hello")})
    # When a check judges it
    report = run([site.url("/")])
    # Then nothing needs explaining: no reason, no code, anywhere
    (result,) = report.results
    assert result.status is Status.PASS and result.reason is None
    assert result.reason_code is None
    (outcome,) = report.outcomes
    assert outcome.reason_code is None
    assert [(p.ok, p.reason_code) for p in outcome.probes] == [(True, None)]


def test_a_skip_is_not_applicable_and_a_crash_is_check_crashed(serve: ServeFn) -> None:
    site = serve({"/": html("hello")})
    report = run([site.url("/")], checks=("test.skips", "test.crashes"))
    by_check = {r.check: r for r in report.results}
    assert by_check["test.skips"].reason == "nothing to judge here"
    assert by_check["test.skips"].reason_code is Reason.NOT_APPLICABLE
    assert by_check["test.crashes"].status is Status.ERROR
    assert by_check["test.crashes"].reason_code is Reason.CHECK_CRASHED


def test_a_crashing_probe_and_a_probe_not_installed_have_their_codes(serve: ServeFn) -> None:
    site = serve({"/": html("hello")})
    report = run([site.url("/")], checks=("test.needs_broken", "test.needs_absent"))
    by_check = {r.check: r for r in report.results}
    assert by_check["test.needs_broken"].status is Status.ERROR
    assert "crashed: KeyError" in (by_check["test.needs_broken"].reason or "")
    assert by_check["test.needs_broken"].reason_code is Reason.PROBE_CRASHED
    assert "no probe named 'test.not_installed'" in (by_check["test.needs_absent"].reason or "")
    assert by_check["test.needs_absent"].reason_code is Reason.DEPENDENCY_MISSING
    probes = {p.probe: p.reason_code for p in report.outcomes[0].probes}
    assert probes == {"test.broken": Reason.PROBE_CRASHED,
                      "test.not_installed": Reason.DEPENDENCY_MISSING}


def test_a_refused_port_is_connection_refused_on_probe_result_and_target(
        serve: ServeFn) -> None:
    # Given a port nobody listens on any more
    dead = serve()
    url = dead.url("/")
    dead.stop()
    # When it is audited
    report = run([url])
    # Then the text says so, as before, and every record carries the code
    (outcome,) = report.outcomes
    assert outcome.status is TargetStatus.ERROR
    assert "connection refused" in (outcome.error or "")
    assert outcome.reason_code is Reason.CONNECTION_REFUSED
    assert [p.reason_code for p in outcome.probes] == [Reason.CONNECTION_REFUSED]
    (result,) = outcome.results
    assert result.status is Status.ERROR and result.reason_code is Reason.CONNECTION_REFUSED


def test_an_unverifiable_certificate_skips_with_its_code_and_is_not_an_error(
        serve: ServeFn) -> None:
    # Given an HTTPS site whose (private) CA the audit does not trust
    site = serve({"/": html("hello")}, tls=True)
    report = run([site.url("/")], checks=("test.judges", "test.skips"))
    # Then the checks it prevents are skipped with the certificate's code,
    (outcome,) = report.outcomes
    assert {r.status for r in outcome.results} == {Status.SKIPPED}
    assert codes(report) == {Reason.CERT_UNVERIFIED}
    assert all("certificate cannot be verified" in (r.reason or "") for r in report.results)
    # the probe says why, and the target is fine (the TLS checks report the certificate)
    assert [p.reason_code for p in outcome.probes] == [Reason.CERT_UNVERIFIED]
    assert outcome.status is TargetStatus.OK and outcome.reason_code is None
    assert not report.incomplete


def test_what_the_request_budget_cut_is_skipped_with_the_budget_code(
        serve: ServeFn, audit: AuditFn) -> None:
    # Given a budget far too small for the families asked for
    server = serve({"/": html("<html><body><a href='/a'>a</a></body></html>")})
    report = audit([server.url("/")], checks=("errors.*", "exposure.*", "integrity.*"),
                   request_budget=2)
    # Then every check the engine skipped for the budget carries its code and its text
    cut = [r for r in report.results if r.reason_code is Reason.OVER_BUDGET]
    assert len(cut) > 10
    assert all(r.status is Status.SKIPPED for r in cut)
    assert all("request budget of 2 for host 127.0.0.1 reached" in (r.reason or "")
               for r in cut)
    # and the probes the budget starved say so too
    assert any(p.reason_code is Reason.OVER_BUDGET
               for o in report.outcomes for p in o.probes)
    assert [r for r in report.results if r.status is Status.ERROR] == []


def test_a_request_that_never_completes_is_a_timeout(serve: ServeFn) -> None:
    # Given a server that accepts and never answers, and a 1 s request deadline
    with HangingServer() as server:
        started = time.monotonic()
        report = run([server.url("/")], request_deadline=1.0, target_deadline=60.0)
    # Then the request's own deadline ended it: a timeout, not the target's deadline
    assert time.monotonic() - started < 30  # generous: the point is it did not hang
    (outcome,) = report.outcomes
    assert "request deadline" in (outcome.error or "")
    assert outcome.reason_code is Reason.TIMEOUT
    assert codes(report) == {Reason.TIMEOUT}


def test_a_target_cut_by_its_deadline_says_deadline(serve: ServeFn) -> None:
    # Given a server that never answers and a target deadline shorter than a request's
    with HangingServer() as server:
        report = run([server.url("/")], request_deadline=30.0, target_deadline=1.0)
    # Then the target is incomplete because of its deadline, said by text and code;
    (outcome,) = report.outcomes
    assert outcome.status is TargetStatus.ERROR
    assert "deadline of 1 s" in (outcome.error or "")
    assert outcome.reason_code is Reason.DEADLINE
    # its check did not judge: its request got no answer in time (the probe gave
    # up at the deadline) or the runner stopped waiting for it
    (result,) = report.results
    assert result.status is Status.ERROR
    assert result.reason_code in {Reason.TIMEOUT, Reason.DEADLINE}


def test_targets_the_run_deadline_left_unaudited_say_deadline(serve: ServeFn) -> None:
    site = serve({"/": html("hello")})
    report = run([site.url("/"), site.url("/b")], deadline=0.0)
    assert {o.reason_code for o in report.outcomes} == {Reason.DEADLINE}
    assert all("deadline" in (o.error or "") for o in report.outcomes)
    assert site.requests == []


def test_targets_an_interrupt_left_undone_say_interrupted(serve: ServeFn) -> None:
    site = serve({"/": html("hello")})
    report = run([site.url(f"/{i}") for i in range(6)], observer=InterruptAfterFirst(),
                 workers=1)
    assert report.run.interrupted
    undone = [o for o in report.outcomes if "interrupted" in (o.error or "")]
    assert undone
    assert {o.reason_code for o in undone} == {Reason.INTERRUPTED}
    assert all(r.reason_code is Reason.INTERRUPTED for o in undone for r in o.results)


def test_every_code_of_a_real_run_is_in_the_written_contract(serve: ServeFn) -> None:
    # Given a run with a pass, a skip, a crash and a refused target
    site = serve({"/": html("hello")})
    dead = serve()
    url = dead.url("/")
    dead.stop()
    report = run([site.url("/"), url], checks=("test.judges", "test.skips", "test.crashes"))
    # When it is written as the JSON result
    data = report_to_dict(report)
    # Then it meets the schema, and each code sits next to its free text
    validate(data)
    assert {r["reason_code"] for r in data["results"]} == {
        None, "not_applicable", "check_crashed", "connection_refused"}
    assert all((r["reason"] is None) == (r["reason_code"] is None) for r in data["results"])
    assert [t["reason_code"] for t in data["targets"]] == [None, "connection_refused"]
    assert data["targets"][1]["probes"][0]["reason_code"] == "connection_refused"
