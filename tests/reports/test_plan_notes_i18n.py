"""The remediation plan's notes (Pasal 46 duty, SLA) follow the report language."""

from __future__ import annotations

from egov_audit.reports.markdown_report import MarkdownRenderer

from egov_audit.model import RunReport, Severity
from egov_audit.prioritise import prioritise

from ..factories import make_finding, make_outcome, make_report, make_target


def exposed_report() -> RunReport:
    target = make_target("https://bansos.example.go.id/", data_classification="personal")
    leak = make_finding(
        "pii.bulk_exposure", target.spec, Severity.CRITICAL, id="0" * 20, cwe=(359,),
        details={"counts": {"nik": 120}, "total": 120},
    )
    return prioritise(make_report([make_outcome(target, [leak])]))


def test_plan_stores_notes_as_english_and_as_templates() -> None:
    plan = exposed_report().extensions["plan"]
    assert "Pasal 46" in plan["notes"][0]
    assert len(plan["notes_i18n"]) == len(plan["notes"])
    assert plan["notes_i18n"][0]["params"] == {"hosts": 1}


def test_notes_are_rendered_in_indonesian() -> None:
    report = exposed_report()
    indonesian = MarkdownRenderer().render(report, lang="id").decode()
    english = MarkdownRenderer().render(report, lang="en").decode()
    assert "paling lambat 3×24 jam" in indonesian
    assert "kritis 3 hari" in indonesian
    assert "within 3×24 hours" in english and "critical 3 day(s)" in english
