"""Small assertions shared by the tests of the web-page families (headers, cookies,
CORS, disclosure, hygiene), which share checks/_web the same way."""

from __future__ import annotations

from egov_audit.check import Check, CheckContext, Issue
from egov_audit.model import Finding, RunReport, Status, Target
from egov_audit.probes.site import Site


def found(report: RunReport, check_id: str) -> list[Finding]:
    return [f for f in report.findings if f.check == check_id]


def status(report: RunReport, check_id: str) -> Status:
    (result,) = [r for r in report.results if r.check == check_id]
    return result.status


def checks_failed(report: RunReport) -> set[str]:
    return {f.check for f in report.findings}


def fetched_site(https_url: str) -> Site:
    """A Site snapshot of a real loopback HTTPS server (session CA not needed: no verify)."""
    from egov_audit.options import ScanOptions
    from egov_audit.probes.http import HttpClient
    from egov_audit.scope import Scope

    client = HttpClient(ScanOptions(verify_tls=False, rate=100.0), Scope.of(["127.0.0.1"]))
    return Site(http=None, https=client.fetch(https_url))


def run_check(chk: Check, site: Site, host: str) -> list[Issue]:
    """Run one check on a snapshot, as the engine does, for a target named ``host``."""
    url = f"https://{host}/"
    target = Target(spec=url, host=host, http_url=None, https_url=url)
    return chk.run(CheckContext(target, {Site: site}, needs=chk.needs))
