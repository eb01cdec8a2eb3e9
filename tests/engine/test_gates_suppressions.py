"""Suppression files: parsing with file:line errors, matching, expiry, the result record."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from egov_audit.errors import InputError
from egov_audit.gates.suppressions import apply_suppressions, expired_rules, load_suppressions
from egov_audit.result_io import dumps, load_result

from ..factories import make_finding, make_outcome, make_report, make_target

PORTAL = make_target("https://portal.example.go.id/app/", name="Portal", opd="Diskominfo")
IZIN = make_target("https://izin.example.go.id/", name="Perizinan", opd="DPMPTSP")
CSP_PORTAL = make_finding("headers.csp_missing", PORTAL.spec, id="a" * 20)
CSP_IZIN = make_finding("headers.csp_missing", IZIN.spec, id="b" * 20)
HSTS_IZIN = make_finding("https.hsts_missing", IZIN.spec, id="c" * 20)
REPORT = make_report([make_outcome(PORTAL, [CSP_PORTAL]),
                      make_outcome(IZIN, [CSP_IZIN, HSTS_IZIN])])

GOOD = """\
# accepted risks of the city portal
[[suppress]]
check = "headers.csp_*"
target = "https://portal.example.go.id/*"
justification = "Legacy viewer, replaced in Q2"
approver = "Kabid Persandian"
expires = 2027-03-31

[[suppress]]
check = "https.hsts_missing"
target = "izin.example.go.id"      # a host matches every target on it
justification = "Behind the provincial gateway"
approver = "Kepala Diskominfo"
expires = "2026-11-30"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "suppressions.toml"
    path.write_text(text)
    return path


def test_active_rules_mute_their_findings_and_expired_ones_are_reported(tmp_path: Path) -> None:
    # Given a file with one active rule and one that expired a week ago
    rules = load_suppressions(write(tmp_path, GOOD))
    # When applied on 2026-12-07
    out = apply_suppressions(REPORT, rules, today=date(2026, 12, 7))
    section = out.extensions["suppressions"]
    # Then only the portal's CSP finding is muted, with the rule that mutes it
    assert set(section["findings"]) == {CSP_PORTAL.id}
    assert section["findings"][CSP_PORTAL.id]["approver"] == "Kabid Persandian"
    assert section["findings"][CSP_PORTAL.id]["line"] == 2
    # And the expired rule is listed with the finding it no longer mutes
    expired = expired_rules(out)
    assert [(r["rule"], r["line"], r["findings"]) for r in expired] == [(2, 9, [HSTS_IZIN.id])]
    # And no finding is dropped
    assert out.findings == REPORT.findings


def test_the_record_is_valid_contract_1_1_and_survives_a_round_trip(tmp_path: Path) -> None:
    out = apply_suppressions(REPORT, load_suppressions(write(tmp_path, GOOD)),
                             today=date(2026, 12, 7))
    path = tmp_path / "result.json"
    path.write_text(dumps(out))
    again = load_result(path)  # validates against the schema
    assert again.extensions["suppressions"] == json.loads(dumps(out))["extensions"][
        "suppressions"]


def test_a_report_without_suppressions_is_unchanged() -> None:
    assert "suppressions" not in REPORT.extensions


@pytest.mark.parametrize(("text", "line", "message"), [
    ("[[suppress]]\ncheck = 'x'\njustification = 'j'\napprover = 'a'\n", 1,
     "expires is missing"),
    ("[[suppress]]\ncheck = 'x'\njustification = 'j'\napprover = 'a'\n"
     "expires = 'next week'\n", 5, "is not a date"),
    ("[[suppress]]\ncheck = 'x'\njustification = 'j'\napprover = 'a'\nexpires = 2027-01-01\n"
     "\n[[suppress]]\ncheck = 'y'\njustification = ''\napprover = 'a'\n"
     "expires = 2027-01-01\n", 9, "justification must be a non-empty string"),
    ("[[suppress]]\ncheck = 'x'\njustification = 'j'\napprover = 'a'\nexpires = 2027-01-01\n"
     "owner = 'me'\n", 6, "unknown key 'owner'"),
    ("[[suppress]]\ncheck = 'x'\nexpires = 2027-01-01T10:00:00\njustification = 'j'\n"
     "approver = 'a'\n", 3, "expires must be a date"),
    ("[[suppress]\ncheck = 'x'\n", 1, "not valid TOML"),
    ("[suppress]\ncheck = 'x'\n", None, "suppress must be an array of tables"),
])
def test_a_malformed_file_names_the_file_and_line(tmp_path: Path, text: str, line: int | None,
                                                  message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError, match=message) as err:
        load_suppressions(path)
    assert err.value.source == str(path)
    assert err.value.line == line
    assert str(err.value).startswith(f"{path}:{line}: " if line else f"{path}: ")
