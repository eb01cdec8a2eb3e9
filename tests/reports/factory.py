"""Factories for report tests: a fixed, realistic RunReport with every extension.

Texts of the findings are the real ones of the installed ``https`` checks, so
translation by msgid is exercised exactly as in a scan. Ids and timestamps are
fixed so golden files are stable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from egov_audit.model import (
    CheckResult,
    Evidence,
    Finding,
    ProbeRecord,
    Redaction,
    RunInfo,
    RunReport,
    Service,
    Severity,
    Status,
    Target,
    TargetOutcome,
    TargetStatus,
)
from egov_audit.registry import load_catalogue

RUN_ID = "00000000-0000-4000-8000-000000000001"


def meta(check_id: str) -> Any:
    return load_catalogue().checks[check_id].check.meta


def target(spec_host: str, port: int, *, name: str | None, opd: str | None,
           **service: Any) -> Target:
    return Target(
        spec=f"https://{spec_host}:{port}/",
        host=spec_host,
        http_url=f"http://{spec_host}:{port + 1}/",
        https_url=f"https://{spec_host}:{port}/",
        service=Service(name=name, opd=opd, **service),
    )


def finding(check_id: str, t: Target, *, location: str | None = None, evidence: str = "",
            fid: str | None = None, severity: Severity | None = None,
            redactions: tuple[Redaction, ...] = (), controls: tuple[str, ...] = (),
            details: Mapping[str, Any] | None = None) -> Finding:
    m = meta(check_id)
    return Finding(
        id=fid or hashlib.sha256(f"{check_id}|{t.spec}|{location}".encode()).hexdigest()[:20],
        check=check_id,
        title=m.title,
        severity=severity or m.severity,
        confidence=m.confidence,
        cwe=m.cwe,
        target=t.spec,
        location=location or t.primary_url,
        evidence=Evidence(evidence, redactions),
        description=m.description,
        remediation=m.remediation,
        references=m.references,
        controls=controls,
        details=dict(details or {}),
    )


PORTAL = target("127.0.0.1", 8443, name="Portal Layanan Kependudukan", opd="Dinas Dukcapil",
                criticality="high", data_classification="personal")
PERIZINAN = target("127.0.0.2", 9443, name="Perizinan Online", opd="DPMPTSP")
INTRANET = target("127.0.0.3", 7443, name=None, opd=None, exposure="internal")

FINDINGS = (
    finding("https.plain_http_served", PORTAL, fid="f0000000000000000001",
            location="http://127.0.0.1:8444/login?next=/akun",
            evidence="GET http://127.0.0.1:8444/ → 200 over plain HTTP; page contains a form "
                     "(field nik = 3171****01) <script>alert('x')</script>",
            redactions=(Redaction("nik", "3171****01", "hmac-sha256:aaaaaaaaaaaaaaaaaaaaaaaa"),),
            controls=("uu_pdp_2022:pasal_35", "bssn_spbe:K3")),
    finding("https.hsts_missing", PORTAL, fid="f0000000000000000002",
            evidence="GET https://127.0.0.1:8443/ → 200: no Strict-Transport-Security header"),
    finding("https.hsts_missing", PERIZINAN, fid="f0000000000000000003",
            evidence="GET https://127.0.0.2:9443/ → 200: no Strict-Transport-Security header"),
    finding("https.hsts_short_max_age", INTRANET, fid="f0000000000000000004",
            evidence="Strict-Transport-Security: max-age=86400 (1 day)",
            details={"max_age": 86400}),
)

RISK = {
    "f0000000000000000001": {"score": 91.5, "rank": 1, "factors": {"severity": 3},
                             "why": "High severity on an Internet-facing service holding "
                                    "personal data."},
    "f0000000000000000002": {"score": 55.0, "rank": 2, "factors": {}, "why": "Medium severity."},
    "f0000000000000000003": {"score": 41.25, "rank": 3, "factors": {}, "why": "Medium severity."},
    "f0000000000000000004": {"score": 8.0, "rank": 4, "factors": {}, "why": "Internal service."},
}

PLAN = {
    "items": [
        {"id": "contain-personal-data", "action": "Take the form that collects NIK offline "
         "until it is served over HTTPS", "check_ids": ["https.plain_http_served"],
         "finding_ids": ["f0000000000000000001"], "hosts": ["127.0.0.1"],
         "risk_removed": 91.5, "effort": "low", "due": "2026-12-02", "severity": "high",
         "snippets": {}, "containment": True,
         "remediation": "Containment limits further harm while the underlying fix is prepared; "
                        "the fix itself is a separate item of this plan."},
        {"id": "enable-hsts", "action": "Enable HSTS in the web server configuration",
         "check_ids": ["https.hsts_missing", "https.hsts_short_max_age"],
         "finding_ids": ["f0000000000000000002", "f0000000000000000003",
                         "f0000000000000000004"],
         "hosts": ["127.0.0.1", "127.0.0.2", "127.0.0.3"], "risk_removed": 104.25,
         "effort": "low", "due": None, "severity": "medium",
         "snippets": {"nginx": 'add_header Strict-Transport-Security "max-age=31536000; '
                               'includeSubDomains" always;',
                      "apache": 'Header always set Strict-Transport-Security '
                                '"max-age=31536000; includeSubDomains"'},
         "containment": False, "servers": ["nginx", "apache"],
         "remediation": "HSTS makes browsers use HTTPS for the host without trying plain "
                        "HTTP first."},
    ],
    "notes": ["Personal data is exposed: UU PDP Pasal 46 requires notifying data subjects "
              "and the authority within 3 × 24 hours → start with containment."],
}

COMPLIANCE = {
    "bssn_spbe": {
        "title": "BSSN SPBE security", "version": "2021.1", "source": "Peraturan BSSN 4/2021",
        "summary": {"pass": 1, "fail": 1, "incomplete": 0, "not_assessed": 1},
        "verdict": "Tidak Memadai",
        "controls": [
            {"id": "K3", "title": "Encrypt data in transit", "title_id": "Enkripsi data saat "
             "transmisi", "status": "fail", "checks": ["https.plain_http_served"],
             "findings": ["f0000000000000000001"]},
            {"id": "K4", "title": "Availability", "title_id": "Ketersediaan",
             "status": "pass", "checks": ["https.unavailable"], "findings": []},
            {"id": "K9", "title": "Security awareness", "title_id": "Kesadaran keamanan",
             "status": "not_assessed", "checks": [], "findings": []},
        ],
    },
}


def _results(t: Target, failing: set[str]) -> tuple[CheckResult, ...]:
    ids = ("https.hsts_missing", "https.hsts_short_max_age", "https.plain_http_served",
           "https.unavailable")
    out = []
    for cid in ids:
        status = Status.FAIL if cid in failing else Status.PASS
        out.append(CheckResult(cid, t.spec, status, None, 1.5))
    return tuple(out)


def make_report(*, extensions: bool = True) -> RunReport:
    """Three targets in two units plus one unassigned, four findings, one error."""
    outcomes = []
    for t in (PORTAL, PERIZINAN, INTRANET):
        fs = tuple(f for f in FINDINGS if f.target == t.spec)
        results = list(_results(t, {f.check for f in fs}))
        if t is INTRANET:
            results[0] = CheckResult("https.hsts_missing", t.spec, Status.SKIPPED,
                                     "no HTTPS response to judge", 0.2)
            results[3] = CheckResult("https.unavailable", t.spec, Status.ERROR,
                                     "probe http.site failed: timed out", 0.0)
        outcomes.append(TargetOutcome(
            target=t,
            status=TargetStatus.PARTIAL if t is INTRANET else TargetStatus.OK,
            error=None,
            probes=(ProbeRecord("http.site", True, None, 12.0),),
            results=tuple(results),
            findings=fs,
        ))
    catalogue = load_catalogue()
    ids = sorted({r.check for o in outcomes for r in o.results})
    return RunReport(
        schema_version="1.1",
        tool={"name": "egov-audit", "version": "0.0.0-test"},
        run=RunInfo(id=RUN_ID, started_at="2026-11-29T08:00:00Z",
                    finished_at="2026-11-29T08:00:07Z", duration_s=7.25,
                    options={"checks": ["https"]}),
        outcomes=tuple(outcomes),
        catalogue={
            "sha256": "0" * 64,
            "checks": [{"id": c, "title": catalogue.checks[c].check.meta.title,
                        "severity": catalogue.checks[c].check.meta.severity.value,
                        "cwe": list(catalogue.checks[c].check.meta.cwe),
                        "distribution": "egov-audit test"} for c in ids],
        },
        extensions={"risk": RISK, "plan": PLAN, "compliance": COMPLIANCE} if extensions else {},
    )


def without_extensions(report: RunReport) -> RunReport:
    return replace(report, extensions={})
