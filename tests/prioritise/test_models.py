"""The typed risk and plan sections: exact JSON round trips, and errors that name the field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from egov_audit.errors import ExitStatus, InputError
from egov_audit.model import Severity
from egov_audit.prioritise import FindingRisk, Plan, RiskFactors, RiskRanking, prioritise
from egov_audit.prioritise.plan import build_plan
from egov_audit.prioritise.risk import rank
from egov_audit.prioritise.sla import validate_sla

from .factories import finding, outcome, report

Json = dict[str, Any]


def estate() -> Any:
    """Exposed personal data (containment, the UU PDP note), HSTS on two hosts, an
    nginx banner (server-specific snippets) and a finding with no catalogue action."""
    a, b = "https://a.example.go.id/", "https://b.example.go.id/"
    pii = finding("pii.bulk_exposure", a, severity=Severity.CRITICAL, cwe=(359,),
                  details={"counts": {"nik": 1200, "phone": 3}, "specific_data": ["health"]})
    return report([
        outcome(a, [pii, finding(target=a),
                    finding("disclosure.server_version", a, severity=Severity.LOW,
                            evidence="Server: nginx/1.18.0")],
                criticality="vital", data_classification="personal"),
        outcome(b, [finding(target=b), finding("plugin.unmapped_check", b)],
                exposure="internal"),
    ])


@pytest.fixture(scope="module")
def sections() -> Json:
    stored: Json = json.loads(json.dumps(dict(prioritise(estate(), {"high": 7}).extensions)))
    return stored


def test_the_producers_build_typed_sections_whose_json_is_the_stored_one() -> None:
    # Given a report
    rep = estate()
    # When risk and plan are built by the stage functions
    risk = rank(rep)
    plan = build_plan(rep, risk, validate_sla({"high": 7}))
    # Then they are typed values, and the stage stores exactly their JSON
    assert all(isinstance(r.factors, RiskFactors) for r in risk.findings.values())
    assert plan.items[0].containment and plan.items[0].severity is Severity.CRITICAL
    stored = prioritise(rep, {"high": 7}).extensions
    assert stored["risk"] == risk.to_json() and stored["plan"] == plan.to_json()


def test_risk_round_trips_exactly(sections: Json) -> None:
    parsed = RiskRanking.from_json(sections["risk"])
    assert json.dumps(parsed.to_json()) == json.dumps(sections["risk"])  # order too
    assert [r.rank for r in parsed.findings.values()] == list(range(1, len(parsed.findings) + 1))
    first = next(iter(parsed.findings.values()))
    assert isinstance(first.factors, RiskFactors)
    assert first.factors.personal_data.records == 1203 and first.factors.personal_data.specific


def test_plan_round_trips_exactly(sections: Json) -> None:
    parsed = Plan.from_json(sections["plan"])
    assert json.dumps(parsed.to_json()) == json.dumps(sections["plan"])
    assert parsed.sla is not None and parsed.sla["high"] == 7
    assert parsed.notes_i18n is not None
    assert [n.text() for n in parsed.notes_i18n] == list(parsed.notes)
    assert any(item.snippets for item in parsed.items)


def test_a_plan_written_before_the_optional_fields_round_trips() -> None:
    # Given a plan of an older result: no servers, remediation, notes_i18n or sla
    old = {"items": [{"id": "x", "action": "Do it", "check_ids": ["a.b"], "finding_ids": ["f"],
                      "hosts": ["h"], "risk_removed": 10, "effort": "low", "due": None,
                      "severity": "high", "snippets": {}, "containment": False}],
           "notes": ["a note"]}
    parsed = Plan.from_json(old)
    assert parsed.items[0].servers is None and parsed.notes_i18n is None and parsed.sla is None
    assert parsed.to_json() == old


def test_factors_of_another_shape_are_kept_as_recorded() -> None:
    # The contract leaves factors an open object: another tool's factors are not refused
    section = {"f1": {"score": 50, "rank": 1, "factors": {"severity": 3}, "why": "w"}}
    parsed = RiskRanking.from_json(section)
    entry = parsed.get("f1")
    assert isinstance(entry, FindingRisk) and not isinstance(entry.factors, RiskFactors)
    assert parsed.to_json() == section


def test_prioritising_again_reuses_the_stored_sla_and_refuses_a_malformed_plan(
        sections: Json) -> None:
    from dataclasses import replace

    rep = replace(estate(), extensions=sections)
    assert prioritise(rep).extensions["plan"]["sla"]["high"] == 7
    broken = copy.deepcopy(sections)
    broken["plan"]["sla"]["high"] = "soon"
    with pytest.raises(InputError, match=r"extensions\.plan\.sla\.high is 'soon'"):
        prioritise(replace(rep, extensions=broken))


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Json], None]:
    def edit(section: Json) -> None:
        *parents, last = path
        node: Any = section
        for key in parents:
            node = node[key]
        node[last] = value
    return edit


def _delete(path: tuple[Any, ...]) -> Callable[[Json], None]:
    def edit(section: Json) -> None:
        *parents, last = path
        node: Any = section
        for key in parents:
            node = node[key]
        del node[last]
    return edit


PLAN_CASES = [
    (_set(("items", 0, "effort"), "trivial"), "items[0].effort is 'trivial'",
     "one of low, medium, high"),
    (_set(("items", 1, "hosts"), "h1"), "items[1].hosts is 'h1'", "a list of strings"),
    (_set(("items", 1, "hosts"), ["h1", 3]), "items[1].hosts[1] is 3", "a string"),
    (_set(("items", 0, "due"), "tomorrow"), "items[0].due is 'tomorrow'", "YYYY-MM-DD"),
    (_delete(("items", 0, "risk_removed")), "items[0].risk_removed is missing", "a number"),
    (_set(("items", 0, "risk_removed"), True), "items[0].risk_removed is true",
     "a finite number"),
    (_set(("items", 0, "severity"), "urgent"), "items[0].severity is 'urgent'", "critical"),
    (_set(("items", 0, "containment"), "yes"), "items[0].containment is 'yes'",
     "true or false"),
    (_set(("items", 0, "snippets"), {"docker": "x"}), "items[0].snippets.docker is not a "
     "known key", "nginx, apache, iis, php"),
    (_set(("items", 0), "x"), "items[0] is 'x'", "an object"),
    (_set(("notes_i18n", 1, "params", "terms", 0, "days"), -1),
     "notes_i18n[1].params.terms[0].days is -1", "a whole number of at least 0"),
    (_set(("notes_i18n", 0, "params", "hosts"), {"n": 1}), "notes_i18n[0].params.hosts is an "
     "object", "a text, a number or a list of SLA terms"),
    (_set(("sla", "urgent"), 1), "sla.urgent is not a known key", "containment"),
    (_delete(("notes",)), "extensions.plan.notes is missing", "a list of strings"),
]


@pytest.mark.parametrize(("edit", "message", "expected"), PLAN_CASES)
def test_a_malformed_plan_names_the_field(sections: Json, edit: Callable[[Json], None],
                                          message: str, expected: str) -> None:
    # Given a stored plan with one field broken
    plan = copy.deepcopy(sections["plan"])
    edit(plan)
    # Then parsing it says which field, what it holds and what was expected
    with pytest.raises(InputError) as caught:
        Plan.from_json(plan)
    assert message in caught.value.message
    assert expected in (caught.value.expected or "")
    assert caught.value.exit_status is ExitStatus.USAGE


RISK_CASES = [
    ({"score": "high", "rank": 1, "factors": {}, "why": ""}, "f1.score is 'high'",
     "a finite number"),
    ({"score": 1.0, "rank": 0, "factors": {}, "why": ""}, "f1.rank is 0", "at least 1"),
    ({"score": 1.0, "rank": 1.5, "factors": {}, "why": ""}, "f1.rank is 1.5", "whole number"),
    ({"score": 1.0, "rank": 1, "factors": [], "why": ""}, "f1.factors is a list", "an object"),
    ({"score": 1.0, "rank": 1, "factors": {}}, "f1.why is missing", "a string"),
    ("ranked first", "extensions.risk.f1 is 'ranked first'", "an object"),
]


@pytest.mark.parametrize(("entry", "message", "expected"), RISK_CASES)
def test_a_malformed_risk_entry_names_the_field(entry: Any, message: str,
                                                expected: str) -> None:
    with pytest.raises(InputError) as caught:
        RiskRanking.from_json({"f1": entry})
    assert message in caught.value.message
    assert expected in (caught.value.expected or "")


def test_a_section_that_is_not_an_object_is_named() -> None:
    with pytest.raises(InputError, match=r"extensions\.risk is a list"):
        RiskRanking.from_json([])
    with pytest.raises(InputError, match=r"extensions\.plan is null"):
        Plan.from_json(None)


def test_a_huge_key_is_cut_short_in_the_message() -> None:
    with pytest.raises(InputError) as caught:
        RiskRanking.from_json({"k" * 100_000: 1})
    assert len(caught.value.message) < 200


@pytest.mark.parametrize("value", ["3201234567890001", "0812-3456-7890", 3201234567890001])
def test_a_malformed_field_holding_an_identifier_is_described_not_quoted(
        sections: Json, value: object) -> None:
    # Given a stored plan whose effort field holds an identifier-like value
    from egov_audit.prioritise.plan_model import Plan

    plan = copy.deepcopy(sections["plan"])
    _set(("items", 0, "effort"), value)(plan)
    # Then the error names that field, and none of the value's digits are in it
    with pytest.raises(InputError) as caught:
        Plan.from_json(plan)
    message = f"{caught.value} {getattr(caught.value, 'expected', '')}"
    assert "items[0].effort is a " in message, message
    digits = "".join(c for c in str(value) if c.isdigit())
    assert digits[:6] not in "".join(c for c in message if c.isdigit()), message
