"""The typed compliance section: exact JSON round trips, and errors that name the field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from egov_audit.errors import InputError
from egov_audit.model import Severity, Status
from egov_audit.policy import Compliance, ControlStatus, PackCompliance, apply_policies
from egov_audit.policy.evaluate import evaluate_pack

from .factories import A, B, pack, report

Json = dict[str, Any]


@pytest.fixture(scope="module")
def section() -> Json:
    # Every built-in pack over a run with a failure, an error and a pass
    r = report([(A, "https.unavailable", Status.FAIL, (Severity.HIGH,)),
                (B, "https.hsts_missing", Status.ERROR, ()),
                (A, "headers.csp_missing", Status.PASS, ())])
    from egov_audit.policy.loader import builtin_packs

    stored: Json = json.loads(json.dumps(
        apply_policies(r, list(builtin_packs())).extensions["compliance"]))
    return stored


def test_every_builtin_pack_round_trips_exactly(section: Json) -> None:
    parsed = Compliance.from_json(section)
    assert json.dumps(parsed.to_json(), ensure_ascii=False) == json.dumps(
        section, ensure_ascii=False)  # key order too
    bssn = parsed.packs["bssn-4-2021"]
    assert bssn.verdict == "Tidak Memadai"
    assert {c.status for c in bssn.controls} >= {ControlStatus.FAIL, ControlStatus.NOT_ASSESSED}
    assert bssn.summary.failed == sum(c.status is ControlStatus.FAIL for c in bssn.controls)


def test_evaluation_builds_the_typed_pack() -> None:
    p = pack(("ok", ["fam.one"]), ("none", []))
    typed = evaluate_pack(p, report([(A, "fam.one", Status.PASS, ())]), frozenset({"fam.one"}))
    assert isinstance(typed, PackCompliance)
    assert [c.status for c in typed.controls] == [ControlStatus.PASS, ControlStatus.NOT_ASSESSED]
    assert typed.summary.to_json() == {"pass": 1, "fail": 0, "incomplete": 0, "not_assessed": 1}


CASES = [
    (("bssn-4-2021", "controls", 1, "status"), "passed",
     "bssn-4-2021.controls[1].status is 'passed'", "one of pass, fail, incomplete, not_assessed"),
    (("bssn-4-2021", "summary", "fail"), -1, "bssn-4-2021.summary.fail is -1",
     "a whole number of at least 0"),
    (("bssn-4-2021", "verdict"), "OK", "bssn-4-2021.verdict is 'OK'", "Memadai"),
    (("bssn-4-2021", "controls", 0, "findings"), [7], "controls[0].findings[0] is 7",
     "a string"),
    (("bssn-4-2021", "title"), None, "bssn-4-2021.title is null", "a string"),
    (("uu-pdp-2022",), "not a mapping", "extensions.compliance.uu-pdp-2022 is 'not a mapping'",
     "an object"),
]


@pytest.mark.parametrize(("path", "value", "message", "expected"), CASES)
def test_a_malformed_section_names_the_field(section: Json, path: tuple[Any, ...], value: Any,
                                             message: str, expected: str) -> None:
    # Given a stored compliance section with one field broken
    broken = copy.deepcopy(section)
    *parents, last = path
    node: Any = broken
    for key in parents:
        node = node[key]
    node[last] = value
    # Then parsing it says which field, what it holds and what was expected
    with pytest.raises(InputError) as caught:
        Compliance.from_json(broken)
    assert message in caught.value.message
    assert expected in (caught.value.expected or "")


def test_a_missing_status_count_is_named(section: Json) -> None:
    broken = copy.deepcopy(section)
    del broken["iso-27001-2022"]["summary"]["not_assessed"]
    with pytest.raises(InputError, match=r"iso-27001-2022\.summary\.not_assessed is missing"):
        Compliance.from_json(broken)
