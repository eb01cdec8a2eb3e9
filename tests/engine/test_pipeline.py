"""The library API: scan → post-process → render → sign, as a program uses it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from egov_audit import pipeline
from egov_audit.demo.server import html
from egov_audit.errors import InputError
from egov_audit.renderers import load_renderers
from egov_audit.result_io import load_result
from egov_audit.signing import verify_outputs
from egov_audit.signing.keys import generate_keypair
from tests.conftest import FAST, ServeFn
from tests.engine.test_registry import install_fake_distribution


def test_a_program_audits_renders_and_signs_without_the_cli(
        serve: ServeFn, tmp_path: Path) -> None:
    # Given a plain-HTTP service with no security headers on loopback
    server = serve({"/": html("<html><body><h1>Layanan Perizinan</h1></body></html>")})
    request = pipeline.build_request([server.url("/")],
                                     overrides={**FAST, "checks": ("headers.*", "https.*")})
    # When a program runs every stage through the library
    report = pipeline.scan(request)
    report = pipeline.post_process(report, policies=["uu-pdp-2022"],
                                   installed=request.catalogue.checks)
    written = pipeline.write_reports(report, ["json", "md"], tmp_path / "out")
    private, public = generate_keypair(tmp_path / "key")
    signature = pipeline.sign(written, private)
    # Then the findings carry the pack's controls, the alias wrote Markdown,
    assert [p.name for p in written] == ["result.json", "report.md"]
    assert any(f.check == "https.plain_http_served" for f in report.findings)
    assert "compliance" in report.extensions
    # and the stored result is the one that was signed, intact, and loads again
    verification = verify_outputs(tmp_path / "out" / "result.json", public, signature)
    assert verification.intact, verification.problems
    assert load_result(tmp_path / "out" / "result.json").findings == report.findings


def test_signing_needs_the_result(tmp_path: Path) -> None:
    private, _ = generate_keypair(tmp_path / "key")
    with pytest.raises(InputError, match=r"result\.json"):
        pipeline.sign([tmp_path / "report.md"], private)


BROKEN_RENDERER = "raise ImportError('the odt renderer needs odfpy')\n"


def test_a_broken_renderer_plugin_is_reported_not_hidden(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a renderer plugin whose import fails
    install_fake_distribution(tmp_path, "egov-audit-odt", {"odtreport": BROKEN_RENDERER},
                              "[egov_audit.reports]\nodt = odtreport:OdtRenderer\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    # When the renderers load
    catalogue = load_renderers()
    # Then the others work, and the broken one is named with its reason
    assert "markdown" in catalogue.renderers
    (problem,) = [p for p in catalogue.problems if p.name == "odt"]
    assert problem.distribution == "egov-audit-odt 0.1" and "odfpy" in problem.error
    # and asking for it says why it cannot be used instead of "unknown format"
    with pytest.raises(InputError, match="failed to load: ImportError: the odt renderer"):
        catalogue.require(["odt"])
    with pytest.raises(InputError, match="unknown format 'docx'"):
        catalogue.require(["docx"])


def test_the_cli_names_a_broken_renderer(tmp_path: Path) -> None:
    install_fake_distribution(tmp_path, "egov-audit-odt", {"odtreport": BROKEN_RENDERER},
                              "[egov_audit.reports]\nodt = odtreport:OdtRenderer\n")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from egov_audit.cli import main;"
            "main(['render', sys.argv[2], '-f', 'odt'])")
    result = tmp_path / "result.json"
    result.write_text("{}")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path), str(result)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "odt" in done.stderr and "failed to load" in done.stderr
