"""SARIF, JUnit, CSV and DefectDojo: parsed back and checked against their consumers' rules."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from importlib import resources
from urllib.parse import urlsplit

import jsonschema
import pytest
from egov_audit.reports.csv_report import COLUMNS, CsvRenderer
from egov_audit.reports.defectdojo_report import DefectDojoRenderer
from egov_audit.reports.junit_report import JunitRenderer
from egov_audit.reports.sarif_report import SarifRenderer, split_location

from egov_audit.model import Evidence, RunReport


def sarif_schema() -> dict:  # type: ignore[type-arg]
    text = resources.files("egov_audit.reports").joinpath(
        "schema/sarif-schema-2.1.0.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


# ---- SARIF -------------------------------------------------------------------------------

def test_sarif_validates_against_the_official_schema(report: RunReport) -> None:
    doc = json.loads(SarifRenderer().render(report))
    validator = jsonschema.Draft4Validator(
        sarif_schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []
    assert doc["version"] == "2.1.0" and doc["$schema"]


def test_sarif_schema_rejects_a_broken_document(report: RunReport) -> None:
    # The validation above can fail: a result without a message is invalid
    doc = json.loads(SarifRenderer().render(report))
    del doc["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, sarif_schema(), cls=jsonschema.Draft4Validator)


def test_sarif_locations_are_relative_with_base_ids(report: RunReport) -> None:
    run = json.loads(SarifRenderer().render(report))["runs"][0]
    bases = run["originalUriBaseIds"]
    assert len(run["results"]) == 4
    for result in run["results"]:
        art = result["locations"][0]["physicalLocation"]["artifactLocation"]
        # GitHub rejects an upload whose artifact URI has a scheme other than file:
        assert urlsplit(art["uri"]).scheme == "" and not art["uri"].startswith("/")
        assert art["uriBaseId"] in bases
        assert bases[art["uriBaseId"]]["uri"].endswith("/")
    plain = next(r for r in run["results"] if r["ruleId"] == "https.plain_http_served")
    art = plain["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art["uri"] == "login?next=/akun"
    assert bases[art["uriBaseId"]]["uri"] == "http://127.0.0.1:8444/"


def test_sarif_rules_are_security_results_for_github(report: RunReport) -> None:
    run = json.loads(SarifRenderer().render(report))["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    rule = rules["https.hsts_missing"]
    assert rule["help"]["text"].startswith("Send the header")
    assert rule["properties"]["security-severity"] == "5.5"
    assert {"security", "external/cwe/cwe-319", "external/cwe/cwe-523"} <= set(
        rule["properties"]["tags"])
    assert len(rule["shortDescription"]["text"]) <= 1024
    for result in run["results"]:
        assert result["partialFingerprints"]["egovAuditFinding/v1"]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert run["invocations"][0]["executionSuccessful"] is False  # one check errored


def test_sarif_non_url_location_becomes_one_segment() -> None:
    origin, rel = split_location("127.0.0.1:8443", "https://127.0.0.1:8443/")
    assert origin == "https://127.0.0.1:8443"
    assert rel == "127.0.0.1%3A8443" and urlsplit(rel).scheme == ""


def test_sarif_in_indonesian(report: RunReport) -> None:
    run = json.loads(SarifRenderer().render(report, lang="id"))["runs"][0]
    titles = {r["shortDescription"]["text"] for r in run["tool"]["driver"]["rules"]}
    assert "Respons HTTPS tidak mengirim Strict-Transport-Security (HSTS)" in titles
    assert run["language"] == "id-ID"


# ---- JUnit -------------------------------------------------------------------------------

def test_junit_one_case_per_check_and_target(report: RunReport) -> None:
    root = ET.fromstring(JunitRenderer().render(report))
    suites = root.findall("testsuite")
    assert len(suites) == 3
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(report.results) == int(root.get("tests", "0"))
    assert int(root.get("failures", "0")) == 4
    assert int(root.get("errors", "0")) == 1 and int(root.get("skipped", "0")) == 1
    by_suite = {s.get("name"): s for s in suites}
    portal = by_suite["https://127.0.0.1:8443/"]
    failing = portal.find("testcase[@name='https.plain_http_served']/failure")
    assert failing is not None and "3171****01" in (failing.text or "")
    assert failing.get("type") == "medium"
    intranet = by_suite["https://127.0.0.3:7443/"]
    error = intranet.find("testcase[@name='https.unavailable']/error")
    assert error is not None and "timed out" in (error.get("message") or "")
    skipped = intranet.find("testcase[@name='https.hsts_missing']/skipped")
    assert skipped is not None
    passed = portal.find("testcase[@name='https.unavailable']")
    assert passed is not None and len(passed) == 0


def test_junit_strips_characters_xml_cannot_carry(report: RunReport) -> None:
    f = report.outcomes[0].findings[0]
    odd = replace(f, evidence=Evidence("bell\x07 and nul\x00 here"))
    o = replace(report.outcomes[0], findings=(odd, *report.outcomes[0].findings[1:]))
    root = ET.fromstring(JunitRenderer().render(replace(report, outcomes=(o,))))
    assert "bell and nul here" in ET.tostring(root, encoding="unicode")


# ---- CSV ---------------------------------------------------------------------------------

def test_csv_one_row_per_finding(report: RunReport) -> None:
    data = CsvRenderer().render(report)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 4 and tuple(rows[0]) == COLUMNS
    first = rows[0]
    assert first["id"] == "f0000000000000000001" and first["opd"] == "Dinas Dukcapil"
    assert first["risk_score"] == "91.5"
    assert first["controls"] == "uu_pdp_2022:pasal_35;bssn_spbe:K3"
    assert first["remediation"].startswith("Answer every plain-HTTP request")
    assert "\n" not in first["remediation"]


def test_csv_defuses_formulas(report: RunReport) -> None:
    f = report.outcomes[0].findings[0]
    odd = replace(f, evidence=Evidence('=HYPERLINK("http://x","click")'))
    o = replace(report.outcomes[0], findings=(odd,))
    rows = list(csv.DictReader(io.StringIO(
        CsvRenderer().render(replace(report, outcomes=(o,))).decode("utf-8-sig"))))
    assert rows[0]["evidence"].startswith("'=")


# ---- DefectDojo --------------------------------------------------------------------------

# The fields DefectDojo's generic JSON parser accepts; anything else fails the import.
DOJO_ALLOWED = {
    "title", "severity", "description", "date", "cwe", "cve", "epss_score", "epss_percentile",
    "cvssv3", "cvssv3_score", "cvssv4", "cvssv4_score", "mitigation", "impact",
    "steps_to_reproduce", "severity_justification", "references", "active", "verified",
    "false_p", "out_of_scope", "risk_accepted", "under_review", "is_mitigated", "thread_id",
    "mitigated", "numerical_severity", "param", "payload", "line", "file_path",
    "component_name", "component_version", "static_finding", "dynamic_finding",
    "scanner_confidence", "unique_id_from_tool", "vuln_id_from_tool", "sast_source_object",
    "sast_sink_object", "sast_source_line", "sast_source_file_path", "nb_occurences",
    "publish_date", "service", "planned_remediation_date", "planned_remediation_version",
    "effort_for_fixing", "tags", "kev_date", "known_exploited", "ransomware_used",
    "fix_available", "fix_version", "endpoints", "files", "vulnerability_ids", "cwes",
}


def test_defectdojo_generic_findings(report: RunReport) -> None:
    doc = json.loads(DefectDojoRenderer().render(report))
    assert doc["name"] == "egov-audit" and doc["dynamic_tool"] is True
    assert len(doc["findings"]) == 4
    for item in doc["findings"]:
        assert {"title", "severity", "description"} <= set(item)
        assert set(item) <= DOJO_ALLOWED, set(item) - DOJO_ALLOWED
        assert item["severity"] in {"Critical", "High", "Medium", "Low", "Info"}
        assert isinstance(item.get("cwe"), int)
        assert all(urlsplit(e).scheme in {"http", "https"} for e in item["endpoints"])
    first = doc["findings"][0]
    assert first["unique_id_from_tool"] == "f0000000000000000001"
    assert first["endpoints"] == ["http://127.0.0.1:8444/login?next=/akun"]
    assert first["planned_remediation_date"] == "2026-12-02"
    assert first["mitigation"].startswith("Answer every plain-HTTP request")
