"""Every format is free of unredacted identifiers, end to end.

A real loopback server serves a page full of personal data and secrets; a
test-only check copies them verbatim into its evidence, details, location and
key (as a careless check might); the real engine runs; then every installed
format is rendered and searched for the raw values (the PDF through its
extracted text).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from egov_audit.reports import available

from egov_audit.audit import build_request
from egov_audit.check import CheckContext, Issue, check
from egov_audit.demo.server import html
from egov_audit.model import RunReport, Severity
from egov_audit.probes.site import Site
from egov_audit.registry import load_catalogue
from egov_audit.result_io import dumps, load_result
from egov_audit.runner import run_audit

from ..conftest import FAST, ServeFn, pair

NIK = "3171015506900001"
NIK_SPACED = "3171 0155 0690 0002"
PHONE = "081234567890"
PHONE_INTL = "+62 812-3456-7891"
AWS_KEY = "AKIAZQ3EXAMPLE7TESTQ"
PASSWORD = "Rahasia!2026x"
EMAIL_LOCAL = "budi.santoso"
RAW_VALUES = (NIK, NIK_SPACED, "3171015506900002", PHONE, "6281234567891", "812-3456-7891",
              AWS_KEY, PASSWORD, EMAIL_LOCAL)

PAGE = (f"<h1>Data warga</h1><p>NIK {NIK} / {NIK_SPACED}, HP {PHONE} atau {PHONE_INTL},"
        f" surel {EMAIL_LOCAL}@example.go.id</p>"
        f"<!-- aws_access_key_id={AWS_KEY} db password={PASSWORD} -->")


@check(
    id="testleak.copies_page",
    title="Test-only check that copies raw page content into its finding",
    severity=Severity.HIGH,
    cwe=(359,),
    needs=(Site,),
    remediation="Nothing to fix: this check exists only in the test suite.",
)
def copies_page(ctx: CheckContext) -> Iterator[Issue]:
    """Behaves like a careless check: raw values everywhere a check can put text."""
    site = ctx.get(Site)
    resp = site.https_ok or site.http
    assert resp is not None and resp.ok
    body = resp.body.decode("utf-8")
    yield Issue(
        evidence=f"GET {resp.url} → {resp.status}: {body}",
        location=f"{resp.final_url}warga/{NIK}?hp={PHONE}&key={AWS_KEY}",
        key=NIK,
        details={"nik": NIK, "phones": [PHONE, PHONE_INTL], "aws": AWS_KEY,
                 "config": f"password={PASSWORD}", "body": body},
    )


@pytest.fixture
def leaky_report(serve: ServeFn, ca_file: Path, tmp_path: Path) -> RunReport:
    https = serve({"/": html(PAGE)}, tls=True)
    target = pair(None, https, name="Layanan Kependudukan", opd="Dinas Dukcapil")
    catalogue = load_catalogue(extra_checks=[copies_page])
    request = build_request([], targets=[target], catalogue=catalogue, overrides={
        **FAST, "ca_bundle": str(ca_file), "checks": ("testleak.*",)})
    report = run_audit(request, workdir=tmp_path)
    assert len(report.findings) == 1, report.results
    return report


def _extensions_for(report: RunReport) -> dict[str, object]:
    """Plan/risk/compliance sections that quote the (redacted) finding, as later stages do."""
    f = report.findings[0]
    return {
        "risk": {f.id: {"score": 80.0, "rank": 1, "factors": {}, "why": f.location}},
        "plan": {"items": [{"id": "x", "action": f.title, "check_ids": [f.check],
                            "finding_ids": [f.id], "hosts": [f.location], "risk_removed": 80.0,
                            "effort": "low", "due": None, "severity": "high",
                            "snippets": {"nginx": f.evidence.text}, "containment": True}],
                 "notes": [f.evidence.text]},
        "compliance": {"p": {"title": "P", "version": "1", "source": "s", "verdict": None,
                             "summary": {"pass": 0, "fail": 1, "incomplete": 0,
                                         "not_assessed": 0},
                             "controls": [{"id": "C1", "title": "t", "title_id": "t",
                                           "status": "fail", "checks": [f.check],
                                           "findings": [f.id]}]}},
    }


def _text_of(name: str, data: bytes) -> str:
    if name == "pdf":
        from pypdf import PdfReader

        pages = PdfReader(BytesIO(data)).pages
        # Extracted text may break long tokens across lines; search it both ways.
        text = "\n".join(p.extract_text() or "" for p in pages)
        return text + "\n" + "".join(text.split())
    return data.decode("utf-8")


def test_every_format_is_free_of_raw_identifiers(leaky_report: RunReport, tmp_path: Path) -> None:
    from dataclasses import replace

    # Given a real run whose check copied raw identifiers everywhere
    f = leaky_report.findings[0]
    assert f.evidence.redactions  # the engine masked something...
    assert NIK not in dumps(leaky_report)  # ...and the canonical JSON is already clean
    report = replace(leaky_report, extensions=_extensions_for(leaky_report))
    # And the JSON re-read from disk, as `egov-audit render` does
    path = tmp_path / "result.json"
    path.write_text(dumps(report), encoding="utf-8")
    reloaded = load_result(path)
    renderers = available()
    assert {"json", "html", "markdown", "csv", "junit", "sarif", "defectdojo", "pdf"} <= set(
        renderers)
    # When every format is rendered in both languages
    for name, cls in sorted(renderers.items()):
        for lang in ("en", "id"):
            text = _text_of(name, cls().render(reloaded, lang=lang))
            # Then no raw value appears anywhere
            leaked = [v for v in RAW_VALUES if v in text or (v.replace(" ", "") in text
                      and v != NIK_SPACED)]
            assert leaked == [], f"{name}/{lang} leaks {leaked}"
            assert "3171****01" in text or "3171" in text, f"{name}/{lang} lost the evidence"


def test_the_json_result_is_clean_too(leaky_report: RunReport) -> None:
    data = json.loads(dumps(leaky_report))
    blob = json.dumps(data, ensure_ascii=False)
    for value in (NIK, PHONE, AWS_KEY, PASSWORD, EMAIL_LOCAL):
        assert value not in blob, value
