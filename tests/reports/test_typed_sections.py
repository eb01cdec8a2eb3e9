"""Renderers read the post-run sections through their typed models: the models give
back exactly the JSON they read (the report fixtures' and a real demo run's), and a
stored result with a malformed section is refused, naming the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from egov_audit import pipeline
from egov_audit.audit import build_request
from egov_audit.cli import main
from egov_audit.demo.portal import build_portal
from egov_audit.model import RunReport
from egov_audit.policy import Compliance
from egov_audit.prioritise import Plan, RiskFactors, RiskRanking
from egov_audit.result_io import dumps, validate
from egov_audit.runner import run_audit

from .factory import COMPLIANCE, PLAN, RISK

MODELS: dict[str, Any] = {"risk": RiskRanking, "plan": Plan, "compliance": Compliance}


def _round_trips(sections: dict[str, Any]) -> None:
    for name, model in MODELS.items():
        back = model.from_json(sections[name]).to_json()
        assert back == sections[name], name
        assert json.dumps(back, ensure_ascii=False) == json.dumps(
            sections[name], ensure_ascii=False), name  # the same keys in the same order


def test_the_fixture_sections_round_trip() -> None:
    # The golden reports' sections are hand-written, with factors of their own shape
    _round_trips({"risk": RISK, "plan": PLAN, "compliance": COMPLIANCE})


@pytest.fixture(scope="module")
def demo_sections(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real run against the demo portal on loopback, post-processed, stored, read back."""
    workdir = tmp_path_factory.mktemp("demo")
    with build_portal(workdir / "portal") as portal:
        request = build_request([], targets=portal.targets(), overrides={
            "ca_bundle": str(portal.ca_file), "rate": 100.0, "connections": 4,
            "checks": ("https", "headers", "pii")})
        report = run_audit(request, workdir=workdir)
    processed = pipeline.post_process(report, sla={"high": 7})
    stored = json.loads(dumps(processed))
    validate(stored)
    sections: dict[str, Any] = stored["extensions"]
    return sections


def test_the_demo_sections_round_trip(demo_sections: dict[str, Any]) -> None:
    _round_trips(demo_sections)
    risk = RiskRanking.from_json(demo_sections["risk"])
    assert risk.findings and all(isinstance(r.factors, RiskFactors)
                                 for r in risk.findings.values())
    plan = Plan.from_json(demo_sections["plan"])
    assert plan.items[0].containment  # the demo exposes personal data
    assert Compliance.from_json(demo_sections["compliance"]).packs


def test_render_refuses_a_malformed_section_and_names_it(report: RunReport,
                                                         tmp_path: Path) -> None:
    # Given a stored result that fits the contract's schema, but whose plan carries an
    # SLA key no version writes (the schema leaves the SLA's keys open)
    data = json.loads(dumps(report))
    data["extensions"]["plan"]["sla"] = {"urgent": 1}
    validate(data)
    result = tmp_path / "result.json"
    result.write_text(json.dumps(data), encoding="utf-8")
    # When it is rendered
    run = CliRunner().invoke(main, ["render", str(result), "-f", "html", "-o",
                                    str(tmp_path / "out")])
    # Then it is an input error that names the field, and nothing is written
    assert run.exit_code == 2, run.output
    assert "extensions.plan.sla.urgent is not a known key" in run.output
    assert not (tmp_path / "out" / "report.html").exists()
