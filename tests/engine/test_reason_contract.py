"""``reason_code`` in the JSON result: additive, validated, readable in old and new results."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from egov_audit.audit import build_request
from egov_audit.demo.portal import build_portal
from egov_audit.errors import ResultFormatError
from egov_audit.model import Reason, Status
from egov_audit.result_io import (
    dumps,
    load_result,
    report_from_dict,
    report_to_dict,
    result_schema,
    validate,
)
from egov_audit.runner import run_audit

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "reports" / "golden" / "en-result.json"


def _without_codes(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_codes(v) for k, v in data.items() if k != "reason_code"}
    if isinstance(data, list):
        return [_without_codes(v) for v in data]
    return data


def test_every_code_is_a_valid_contract_word_and_documented() -> None:
    pattern = re.compile(result_schema()["$defs"]["reason_code"]["pattern"])
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", (ROOT / "docs" / "result-contract.md")
                                .read_text(encoding="utf-8"), re.MULTILINE))
    for code in Reason:
        assert pattern.fullmatch(code.value), code
        assert code.value in documented, f"{code.value} is missing from docs/result-contract.md"


def test_a_result_written_before_reason_codes_still_loads(tmp_path: Path) -> None:
    # Given a result as written before reason_code existed (1.0, and early 1.1)
    old = _without_codes(json.loads(GOLDEN.read_text(encoding="utf-8")))
    old["schema_version"] = "1.0"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    # When it is loaded
    report = load_result(path)
    # Then it validates and reads as before, with no code anywhere
    assert report.results and all(r.reason_code is None for r in report.results)
    assert all(p.reason_code is None for o in report.outcomes for p in o.probes)
    assert all(o.reason_code is None for o in report.outcomes)
    skipped = [r for r in report.results if r.status is Status.SKIPPED]
    assert skipped and all(r.reason for r in skipped)


def test_codes_survive_writing_and_reading(tmp_path: Path) -> None:
    data = json.loads(GOLDEN.read_text(encoding="utf-8"))
    data["results"][0]["reason_code"] = "over_budget"
    data["targets"][0]["reason_code"] = "deadline"
    data["targets"][0]["probes"][0]["reason_code"] = "cert_unverified"
    report = report_from_dict(data)
    assert report.results[0].reason_code is Reason.OVER_BUDGET
    assert report.outcomes[0].reason_code is Reason.DEADLINE
    assert report.outcomes[0].probes[0].reason_code is Reason.CERT_UNVERIFIED
    again = report_to_dict(report_from_dict(json.loads(dumps(report))))
    assert again["results"][0]["reason_code"] == "over_budget"
    assert again["targets"][0]["probes"][0]["reason_code"] == "cert_unverified"


def test_codes_cross_the_distributed_executors_json_form() -> None:
    # A worker sends its outcome as the contract's JSON: the codes must arrive.
    from egov_audit.distributed.codec import outcome_from_dict, outcome_to_dict

    outcome = report_from_dict(json.loads(GOLDEN.read_text(encoding="utf-8"))).outcomes[0]
    coded = replace(outcome, reason_code=Reason.TIMEOUT,
                    probes=tuple(replace(p, reason_code=Reason.TIMEOUT) for p in outcome.probes),
                    results=tuple(replace(r, reason_code=Reason.NOT_APPLICABLE)
                                  for r in outcome.results))
    back = outcome_from_dict(json.loads(json.dumps(outcome_to_dict(coded))))
    assert back.reason_code is Reason.TIMEOUT
    assert back.probes and {p.reason_code for p in back.probes} == {Reason.TIMEOUT}
    assert back.results and {r.reason_code for r in back.results} == {Reason.NOT_APPLICABLE}


def test_a_code_from_a_newer_version_reads_as_other_and_a_malformed_one_is_refused() -> None:
    data = json.loads(GOLDEN.read_text(encoding="utf-8"))
    newer = copy.deepcopy(data)
    newer["results"][0]["reason_code"] = "rate_limited_by_waf"  # a code 1.1 does not know
    validate(newer)
    assert report_from_dict(newer).results[0].reason_code is Reason.OTHER
    bad = copy.deepcopy(data)
    bad["results"][0]["reason_code"] = "Over Budget!"
    with pytest.raises(ResultFormatError, match="reason_code"):
        validate(bad)


def test_the_demo_result_meets_the_contract_with_its_codes(tmp_path: Path) -> None:
    # Given the demo portal, audited by the families that skip for reasons of their own
    with build_portal(tmp_path / "demo") as portal:
        request = build_request([], targets=portal.targets(), overrides={
            "rate": 500.0, "connections": 8, "ca_bundle": str(portal.ca_file),
            "checks": ("https.*", "headers.*", "exposure.env_file")})
        report = run_audit(request, workdir=tmp_path)
    # When it is written
    data = report_to_dict(report)
    # Then it validates, and every reason has its code beside it
    validate(data)
    for r in data["results"]:
        assert (r["reason"] is None) == (r["reason_code"] is None), r
    for t in data["targets"]:
        assert (t["error"] is None) == (t["reason_code"] is None), t
        for p in t["probes"]:
            assert (p["error"] is None) == (p["reason_code"] is None), p
    assert {"not_applicable", "cert_unverified"} <= {r["reason_code"] for r in data["results"]}
