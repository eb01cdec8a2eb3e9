"""`egov-audit render` re-renders every format offline from a stored result."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from egov_audit.cli import main
from egov_audit.model import RunReport
from egov_audit.result_io import dumps, validate

ALL = ("html", "markdown", "csv", "junit", "sarif", "defectdojo", "pdf")
FILES = ("report.html", "report.md", "findings.csv", "junit.xml", "result.sarif",
         "defectdojo.json", "report.pdf")


def test_factory_report_honours_the_result_contract(report: RunReport) -> None:
    # The extensions the factory fakes have the shapes the other stages write
    validate(json.loads(dumps(report)))


def test_render_writes_every_format_from_the_json(report: RunReport, tmp_path: Path) -> None:
    # Given a stored result
    result = tmp_path / "result.json"
    result.write_text(dumps(report), encoding="utf-8")
    out = tmp_path / "out"
    # When it is re-rendered in Indonesian into a new directory
    run = CliRunner().invoke(main, ["render", str(result), "-f", ",".join(ALL), "--lang", "id",
                                    "-o", str(out)])
    # Then every file is there and in Indonesian
    assert run.exit_code == 0, run.output
    for name in FILES:
        assert (out / name).stat().st_size > 0, name
    assert "Rencana perbaikan" in (out / "report.html").read_text("utf-8")
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_unknown_format_is_a_usage_error(report: RunReport, tmp_path: Path) -> None:
    result = tmp_path / "result.json"
    result.write_text(dumps(report), encoding="utf-8")
    run = CliRunner().invoke(main, ["render", str(result), "-f", "docx"])
    assert run.exit_code == 2
