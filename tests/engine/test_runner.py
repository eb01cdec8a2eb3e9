"""The runner: failures become results, the run goes on, deadlines hold."""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Sensitive, Skip, Snapshot, check
from egov_audit.demo.server import html
from egov_audit.model import Severity, Status, TargetStatus
from egov_audit.options import ScanOptions
from egov_audit.probes.site import Site
from egov_audit.redaction import Redactor
from egov_audit.registry import load_catalogue
from egov_audit.result_io import report_to_dict, validate
from egov_audit.runner import AuditRequest, run_audit
from egov_audit.targets import parse_target

from ..conftest import ServeFn
from ..factories import InterruptAfterFirst


@check(id="test.crashes", title="t", severity=Severity.LOW, cwe=(1,), needs=(Site,),
       remediation="r")
def crashes(ctx: CheckContext) -> Iterator[Issue]:
    raise RuntimeError("boom")


@check(id="test.skips", title="t", severity=Severity.LOW, cwe=(1,), needs=(Site,),
       remediation="r")
def skips(ctx: CheckContext) -> Iterator[Issue]:
    raise Skip("not applicable here")


@check(id="test.leaks", title="t", severity=Severity.HIGH, cwe=(359,), needs=(Site,),
       remediation="r")
def leaks(ctx: CheckContext) -> Iterator[Issue]:
    yield Issue(evidence="found NIK 3171015506900001 in page", key="3171015506900001",
                location=ctx.target.primary_url + "?nik=3171015506900001",
                details={"sample": ["3171015506900001"]},
                sensitive=(Sensitive("nik", "3171015506900001"),))


LOCAL = [crashes, skips, leaks]


def request_for(specs: list[str], **options: object) -> AuditRequest:
    catalogue = load_catalogue(extra_checks=LOCAL)
    return AuditRequest(
        targets=[parse_target(s) for s in specs],
        checks=catalogue.select(["test"]),
        catalogue=catalogue,
        options=ScanOptions(rate=200, timeout=2).with_overrides(options),
        redactor=Redactor(b"runner-test"),
    )


def test_crash_and_skip_are_results_and_the_run_goes_on(serve: ServeFn) -> None:
    site = serve({"/": html("hello")})
    report = run_audit(request_for([site.url("/")]))
    by_check = {r.check: r for r in report.results}
    assert by_check["test.crashes"].status is Status.ERROR
    assert "RuntimeError: boom" in (by_check["test.crashes"].reason or "")
    assert by_check["test.skips"].status is Status.SKIPPED
    assert by_check["test.skips"].reason == "not applicable here"
    assert by_check["test.leaks"].status is Status.FAIL
    (outcome,) = report.outcomes
    assert outcome.status is TargetStatus.PARTIAL  # a check errored
    assert report.incomplete


def test_evidence_location_details_and_id_are_redacted(serve: ServeFn) -> None:
    site = serve({"/": html("hello")})
    report = run_audit(request_for([site.url("/")]))
    (finding,) = report.findings
    text = str(report_to_dict(report))
    assert "3171015506900001" not in text
    assert "3171**********01" in finding.evidence.text
    assert finding.location.endswith("?nik=3171**********01")
    validate(report_to_dict(report))


def test_finding_ids_are_stable_across_runs(serve: ServeFn) -> None:
    site = serve({"/": html("hello")})
    first = run_audit(request_for([site.url("/")])).findings[0].id
    second = run_audit(request_for([site.url("/")])).findings[0].id
    assert first == second


def test_unreachable_target_is_an_error_record_and_others_complete(serve: ServeFn) -> None:
    site = serve({"/": html("hello")})
    dead = serve()
    dead_url = dead.url("/")
    dead.stop()
    report = run_audit(request_for([dead_url, site.url("/")]))
    dead_outcome, live_outcome = report.outcomes
    assert dead_outcome.status is TargetStatus.ERROR
    assert "connection refused" in (dead_outcome.error or "")
    assert {r.status for r in dead_outcome.results} == {Status.ERROR}
    assert live_outcome.findings  # the live target was still audited


def test_deadline_leaves_unstarted_targets_as_errors(serve: ServeFn) -> None:
    site = serve({"/": html("hello")})
    # A zero-second budget: nothing may start, every target says why.
    report = run_audit(request_for([site.url("/"), site.url("/b")], deadline=0.0))
    assert all(o.status is TargetStatus.ERROR for o in report.outcomes)
    assert all("deadline" in (o.error or "") for o in report.outcomes)
    assert site.requests == []


def test_interrupt_keeps_what_was_collected(serve: ServeFn) -> None:
    from egov_audit.errors import ExitStatus
    from egov_audit.gates import exit_status

    site = serve({"/": html("hello")})
    specs = [site.url(f"/{i}") for i in range(6)]
    report = run_audit(request_for(specs, workers=1), InterruptAfterFirst())
    assert report.run.interrupted
    done = [o for o in report.outcomes if o.findings]
    assert len(done) >= 1  # the finished target's findings are kept
    assert any("interrupted" in (o.error or "") for o in report.outcomes)
    assert exit_status(report, Severity.HIGH) is ExitStatus.INTERRUPTED


def test_a_task_is_plain_data_a_worker_machine_can_receive() -> None:
    import json
    import pickle

    from egov_audit.model import Service
    from egov_audit.task import TargetTask

    target = parse_target("https://perizinan.example.go.id/")
    task = TargetTask(
        target.__class__(target.spec, target.host, target.http_url, target.https_url,
                         Service("Perizinan", "DPMPTSP", "high", "personal", "internet")),
        ("https.hsts_missing", "https.unavailable"),
    )
    assert pickle.loads(pickle.dumps(task)) == task
    assert TargetTask.from_dict(json.loads(json.dumps(task.to_dict()))) == task


def test_a_probe_may_depend_on_a_probe_no_check_names(serve: ServeFn) -> None:
    # Given a check whose probe asks the session for the not-found fingerprint,
    # which no check names itself
    from dataclasses import dataclass

    from egov_audit.probes.base import Probe, ProbeSession
    from egov_audit.probes.soft404 import NotFoundProfile

    @dataclass(frozen=True)
    class Dependent(Snapshot):
        probe = "test.dependent"
        catch_all: bool

    class DependentProbe(Probe):
        name = "test.dependent"
        snapshot = Dependent

        def collect(self, target, items, session: ProbeSession):  # type: ignore[no-untyped-def]
            return Dependent(session.get(NotFoundProfile).catch_all)

    @check(id="test.dependent", title="t", severity=Severity.LOW, cwe=(1,),
           needs=(Dependent,), remediation="r")
    def dependent(ctx: CheckContext) -> Iterator[Issue]:
        if ctx.get(Dependent).catch_all:
            yield Issue(evidence="catch-all")

    site = serve(fallback=html("<h1>Beranda</h1>" + "berita " * 40))
    catalogue = load_catalogue(extra_checks=[dependent])
    catalogue.probes["test.dependent"] = DependentProbe
    request = AuditRequest([parse_target(site.url("/"))], [dependent], catalogue,
                           ScanOptions(rate=200), Redactor(b"x"))
    # When it runs, the fingerprint probe runs too although no check names it
    report = run_audit(request)
    assert [f.check for f in report.findings] == ["test.dependent"]


def test_unverifiable_certificate_skips_http_checks_and_is_not_an_error(serve: ServeFn) -> None:
    # Given an HTTPS site whose CA the audit does not trust (no --ca-bundle)
    site = serve({"/": html("hello")}, tls=True)
    # When the HTTP-level checks run
    report = run_audit(request_for([site.url("/")]))
    # Then they are skipped with the reason, and the run is not "incomplete"
    (outcome,) = report.outcomes
    assert outcome.status is TargetStatus.OK
    assert {r.status for r in outcome.results} == {Status.SKIPPED}
    assert all("certificate cannot be verified" in (r.reason or "") for r in outcome.results)
    assert not report.incomplete


@check(id="test.crash_quotes_data", title="t", severity=Severity.LOW, cwe=(1,), needs=(Site,),
       remediation="r")
def crash_quotes_data(ctx: CheckContext) -> Iterator[Issue]:
    # Exceptions often quote their input: here a NIK read from the page
    raise ValueError("cannot parse row '3171015506900001;081234565678'")


def test_error_reasons_pass_the_redactor(serve: ServeFn) -> None:
    site = serve({"/": html("hello")})
    catalogue = load_catalogue(extra_checks=[crash_quotes_data])
    request = AuditRequest([parse_target(site.url("/"))], [crash_quotes_data], catalogue,
                           ScanOptions(rate=200), Redactor(b"x"))
    (result,) = run_audit(request).results
    assert result.status is Status.ERROR
    assert "3171015506900001" not in (result.reason or "")
    assert "081234565678" not in (result.reason or "")
    assert "3171**********01" in (result.reason or "")
