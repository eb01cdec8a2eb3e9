"""Suppressed findings stay visible, muted, in every report format; expired rules are named."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from egov_audit.gates.suppressions import apply_suppressions, load_suppressions
from egov_audit.model import RunReport
from egov_audit.renderers import load_renderers

from ..reports.factory import make_report

MUTED = "f0000000000000000003"  # HSTS missing on Perizinan Online (127.0.0.2)
EXPIRED = "f0000000000000000001"  # plain HTTP on the population portal

RULES = """\
[[suppress]]
check = "https.hsts_*"
target = "127.0.0.2"
justification = "Behind the provincial gateway <script>alert(1)</script>"
approver = "Kabid Persandian"
expires = 2027-06-30

[[suppress]]
check = "https.plain_http_served"
target = "*"
justification = "Migration window"
approver = "Kepala Diskominfo"
expires = 2026-11-30
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> RunReport:
    path = Path(tmp_path_factory.mktemp("s")) / "suppressions.toml"
    path.write_text(RULES)
    return apply_suppressions(make_report(), load_suppressions(path), today=date(2026, 12, 7))


def render(report: RunReport, fmt: str, lang: str = "en") -> str:
    return load_renderers().get(fmt).render(report, lang=lang).decode("utf-8-sig")


def test_sarif_marks_the_suppression_and_notes_the_expired_rule(report: RunReport) -> None:
    run = json.loads(render(report, "sarif"))["runs"][0]
    by_id = {r["partialFingerprints"]["egovAuditFinding/v1"]: r for r in run["results"]}
    assert len(by_id) == len(report.findings)  # nothing dropped
    assert by_id[MUTED]["suppressions"] == [{
        "kind": "external", "status": "accepted",
        "justification": "Behind the provincial gateway <script>alert(1)</script>",
        "properties": {"approver": "Kabid Persandian", "expires": "2027-06-30", "rule": 1,
                       "check": "https.hsts_*", "target": "127.0.0.2"}}]
    assert "suppressions" not in by_id[EXPIRED]
    assert by_id[EXPIRED]["properties"]["suppression_expired"] == "2026-11-30"
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any("suppression 2" in n and "expired on 2026-11-30" in n for n in notes)


def test_junit_skips_a_fully_suppressed_case_and_names_the_expired_rule(
        report: RunReport) -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(render(report, "junit").encode())
    suite = next(s for s in root.iter("testsuite") if "127.0.0.2" in s.get("name", ""))
    case = next(c for c in suite.iter("testcase") if c.get("name") == "https.hsts_missing")
    skipped = case.find("skipped")
    assert skipped is not None and case.find("failure") is None
    assert "Kabid Persandian" in skipped.get("message", "")
    failures = [f.text or "" for f in root.iter("failure")]
    assert any("expired on 2026-11-30" in text for text in failures)


def test_html_shows_a_muted_section_and_escapes_the_justification(report: RunReport) -> None:
    html = render(report, "html")
    section = html[html.index('<section id="suppressed"'):]
    section = section[:section.index("</section>")]
    assert f'id="f-{MUTED}"' in section and "Kabid Persandian" in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section and "<script>" not in html
    assert "Expired suppressions" in section and "Migration window" in section
    # Not among the open findings
    fix_first = html[html.index('<section id="summary"'):html.index('<section id="units"')]
    assert f"#f-{MUTED}" not in fix_first


def test_markdown_and_csv_show_the_muted_findings(report: RunReport) -> None:
    md = render(report, "markdown")
    muted = md[md.index("### Suppressed findings"):]
    assert "Kabid Persandian" in muted and "### Expired suppressions" in md
    assert "Suppressed findings" not in md[:md.index("### Suppressed findings")]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(render(report, "csv")))}
    assert rows[MUTED]["suppression"] == "active"
    assert rows[MUTED]["suppression_approver"] == "Kabid Persandian"
    assert rows[EXPIRED]["suppression"] == "expired"
    assert rows["f0000000000000000002"]["suppression"] == ""


def test_indonesian_reports_translate_the_muted_section(report: RunReport) -> None:
    assert "Temuan yang dikecualikan" in render(report, "html", "id")
    assert "Temuan yang dikecualikan" in render(report, "markdown", "id")


def test_formats_without_a_muted_part_still_list_the_finding(report: RunReport) -> None:
    assert MUTED in render(report, "defectdojo")
    assert MUTED in render(report, "json")


def test_pdf_and_defectdojo_mark_the_suppression_too(report: RunReport) -> None:
    # DefectDojo imports the muted finding as an accepted risk, not an open one
    findings = json.loads(render(report, "defectdojo"))["findings"]
    by_id = {f["unique_id_from_tool"]: f for f in findings}
    assert len(by_id) == len(report.findings)  # nothing dropped
    assert by_id[MUTED]["active"] is False and by_id[MUTED]["risk_accepted"] is True
    assert "Kabid Persandian" in by_id[MUTED]["description"]
    assert by_id[EXPIRED]["active"] is True and "risk_accepted" not in by_id[EXPIRED]
    # and the PDF says so at the finding and names the expired rule
    from pypdf import PdfReader

    data = load_renderers().get("pdf").render(report, lang="en")
    # Compared without white space: pypdf releases space extracted words differently.
    text = "".join("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
                   .split())
    assert "Suppressedfindings:Behindtheprovincialgateway" in text
    assert "Expiredsuppressions" in text and "Migrationwindow" in text
