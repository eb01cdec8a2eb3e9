"""The command line, through click's CliRunner: exit codes are a contract."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from egov_audit.cli import main
from egov_audit.demo.server import html
from egov_audit.result_io import load_result

from ..conftest import ServeFn

HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def invoke(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def scan_args(out: Path, *extra: str) -> list[str]:
    return ["scan", "--checks", "https", "--rate", "200", "-o", str(out), "-q", *extra]


def test_version_and_help() -> None:
    code, out, _ = invoke("--version")
    assert code == 0 and out.startswith("egov-audit, version ")
    code, out, _ = invoke("scan", "--help")
    assert code == 0 and "Exit codes" in out and "authorised" in out


def test_clean_scan_exits_0_and_writes_a_valid_result(serve: ServeFn, tmp_path: Path,
                                                      ca_file: Path) -> None:
    https = serve({"/": html("ok", headers=[HSTS])}, tls=True)
    code, _, err = invoke(*scan_args(tmp_path, "--ca-bundle", str(ca_file), https.url("/")))
    assert code == 0, err
    report = load_result(tmp_path / "result.json")  # validates against the schema
    assert report.findings == ()
    assert report.run.options["ca_bundle"] == str(ca_file)


def test_findings_at_the_gate_exit_1_and_below_exit_0(serve: ServeFn, tmp_path: Path) -> None:
    http = serve({"/": html('<form><input name="nik"></form>')})  # high: plain HTTP form
    code, _, _ = invoke(*scan_args(tmp_path, "--checks", "https.plain_http_served",
                                   http.url("/")))
    assert code == 1
    code, _, _ = invoke(*scan_args(tmp_path, "--fail-on", "critical", http.url("/")))
    assert code == 0
    code, _, _ = invoke(*scan_args(tmp_path, "--fail-on", "none", http.url("/")))
    assert code == 0


def test_incomplete_run_exits_3_and_keeps_what_was_collected(serve: ServeFn,
                                                             tmp_path: Path) -> None:
    good = serve({"/": html("plain page")})
    dead = serve()
    dead_url = dead.url("/")
    dead.stop()
    code, _, _ = invoke(*scan_args(tmp_path, "--fail-on", "none", dead_url, good.url("/")))
    assert code == 3
    data = json.loads((tmp_path / "result.json").read_text())
    statuses = {t["target"]: t["status"] for t in data["targets"]}
    assert statuses[dead_url] == "error"
    assert statuses[good.url("/")] in ("ok", "partial")


def test_gate_failure_wins_over_incomplete(serve: ServeFn, tmp_path: Path) -> None:
    http = serve({"/": html('<form><input name="nik"></form>')})
    dead = serve()
    dead_url = dead.url("/")
    dead.stop()
    code, _, _ = invoke(*scan_args(tmp_path, dead_url, http.url("/")))
    assert code == 1


def test_bad_input_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    targets = tmp_path / "targets.txt"
    targets.write_text("portal.example.go.id\nnot a host\n")
    code, _, err = invoke("scan", "-o", str(tmp_path), f"@{targets}")
    assert code == 2
    assert f"{targets}:2: invalid target 'not a host'" in err
    assert not (tmp_path / "result.json").exists()  # nothing was scanned


def test_bad_config_and_bad_patterns_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "audit.toml"
    config.write_text("[scan]\nrate = -1\n")
    code, _, err = invoke("scan", "-c", str(config), "portal.example.go.id")
    assert code == 2 and f"{config}:2: scan.rate must be positive" in err
    code, _, err = invoke("scan", "--checks", "nosuchfamily", "portal.example.go.id")
    assert code == 2 and "matches no installed check" in err
    code, _, err = invoke("scan", "-f", "docx", "portal.example.go.id")
    assert code == 2 and "unknown format" in err
    code, _, err = invoke("scan")
    assert code == 2 and "no targets" in err


def test_checks_list_json() -> None:
    code, out, _ = invoke("checks", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    row = next(r for r in rows if r["id"] == "https.hsts_missing")
    assert row["family"] == "https" and row["cwe"] == [319, 523]
    assert row["distribution"].startswith("egov-audit ")


def test_render_rejects_a_broken_result(tmp_path: Path) -> None:
    broken = tmp_path / "result.json"
    broken.write_text('{"schema_version": "1.0", "tool": {"name": "egov-audit"}}')
    code, _, err = invoke("render", str(broken), "-f", "json", "-o", str(tmp_path / "out"))
    assert code == 2 and "does not match the contract" in err
    broken.write_text("{not json")
    code, _, err = invoke("render", str(broken))
    assert code == 2 and f"{broken}:1: not valid JSON" in err


def test_render_reproduces_the_result(serve: ServeFn, tmp_path: Path) -> None:
    http = serve({"/": html("plain")})
    invoke(*scan_args(tmp_path / "a", "--fail-on", "none", http.url("/")))
    code, _, _ = invoke("render", str(tmp_path / "a" / "result.json"), "-o", str(tmp_path / "b"))
    assert code == 0
    first = json.loads((tmp_path / "a" / "result.json").read_text())
    second = json.loads((tmp_path / "b" / "result.json").read_text())
    assert first == second


def test_demo_writes_a_report_and_finds_the_planted_problems(tmp_path: Path) -> None:
    code, _, err = invoke("demo", "-o", str(tmp_path))
    assert code == 0, err
    report = load_result(tmp_path / "result.json")
    found = {f.check for f in report.findings}
    # the HTTPS-transport problems planted in egov_audit/demo/plants/base.py
    assert {"https.plain_http_served", "https.hsts_missing", "https.hsts_short_max_age",
            "https.hsts_no_include_subdomains", "https.redirect_via_http"} <= found
    assert "result.json" in err
    # and every target is on loopback
    assert all(o.target.host.startswith("127.") for o in report.outcomes)


def test_config_policy_section_selects_the_packs(serve: ServeFn, tmp_path: Path) -> None:
    http = serve({"/": html("plain")})
    config = tmp_path / "audit.toml"
    config.write_text('[policy]\npacks = ["cisa-bod-18-01"]\n')
    code, _, err = invoke(*scan_args(tmp_path / "out", "--fail-on", "none", "-c", str(config),
                                     http.url("/")))
    assert code == 0, err
    data = json.loads((tmp_path / "out" / "result.json").read_text())
    assert list(data["extensions"]["compliance"]) == ["cisa-bod-18-01"]


def test_bad_policy_selection_exits_2_before_scanning(serve: ServeFn, tmp_path: Path) -> None:
    http = serve({"/": html("plain")})
    config = tmp_path / "audit.toml"
    config.write_text('[policy]\npacks = ["no-such-pack"]\n')
    code, _, err = invoke(*scan_args(tmp_path / "out", "-c", str(config), http.url("/")))
    assert code == 2 and "no-such-pack" in err
    assert http.requests == []  # nothing was scanned
    config.write_text("[policy]\npack = 'x'\n")
    code, _, err = invoke(*scan_args(tmp_path / "out", "-c", str(config), http.url("/")))
    assert code == 2 and "[policy] takes one key" in err


def test_checks_list_table_groups_by_distribution() -> None:
    code, out, _ = invoke("checks", "list")
    assert code == 0
    heading = out.splitlines()[0]
    assert heading.startswith("egov-audit ") and heading.endswith(" checks")
    assert any(line.strip().startswith("https.hsts_missing") for line in out.splitlines())
