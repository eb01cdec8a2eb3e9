"""End to end: a real scan of a loopback server, signed with --sign-key, then verified."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from egov_audit.cli import main
from egov_audit.demo.server import html

from ..conftest import ServeFn
from .conftest import Keys


def test_scan_with_sign_key_then_verify(serve: ServeFn, ca_file: Path, keys: Keys,
                                        runner: CliRunner, tmp_path: Path) -> None:
    # Given a loopback HTTPS site without HSTS and an audit configuration with an SLA
    site = serve({"/": html("<h1>Portal</h1>")}, tls=True)
    config = tmp_path / "audit.toml"
    config.write_text("[sla]\nmedium = 10\n", encoding="utf-8")
    out = tmp_path / "laporan"
    # When it is scanned with --sign-key
    result = runner.invoke(main, [
        "scan", site.url("/"), "-c", str(config), "--checks", "https", "--ca-bundle",
        str(ca_file), "--fail-on", "none", "-q", "-o", str(out),
        "--sign-key", str(keys.private),
    ])
    assert result.exit_code == 0, result.output
    # Then the result carries the plan with the configured SLA, and a signature next to it
    data = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert data["extensions"]["plan"]["sla"]["medium"] == 10
    manifest = json.loads((out / "signature.json").read_text(encoding="utf-8"))
    assert manifest["reproducibility"]["config_sha256"] == data["run"]["options"]["config_sha256"]
    assert manifest["reproducibility"]["ca_bundle_sha256"] is not None
    # and it verifies, until the result is touched
    verify = ["verify", str(out / "result.json"), "--pubkey", str(keys.public)]
    assert runner.invoke(main, verify).exit_code == 0
    data["extensions"]["plan"]["items"] = []
    (out / "result.json").write_text(json.dumps(data), encoding="utf-8")
    altered = runner.invoke(main, verify)
    assert altered.exit_code == 1
    assert "result.json was altered" in altered.output


def test_invalid_sla_in_configuration_exits_2(serve: ServeFn, ca_file: Path,
                                              runner: CliRunner, tmp_path: Path) -> None:
    site = serve({"/": html("ok")}, tls=True)
    config = tmp_path / "audit.toml"
    config.write_text("[sla]\nhigh = -3\n", encoding="utf-8")
    result = runner.invoke(main, ["scan", site.url("/"), "-c", str(config), "--checks",
                                  "https", "--ca-bundle", str(ca_file), "-q",
                                  "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{config}:2: [sla] high = -3" in result.output
