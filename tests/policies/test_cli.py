"""egov-audit policies list | show | lint | coverage, through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from egov_audit.cli import main


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_list_marks_the_default_packs() -> None:
    code, out, _ = invoke("policies", "list")
    assert code == 0
    assert "* uu-pdp-2022" in out and "* bssn-4-2021" in out and "  nist-800-53-r5" in out
    code, out, _ = invoke("policies", "list", "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["bssn-4-2021"]["controls"] == 78 and rows["bssn-4-2021"]["default"]


def test_show_prints_controls_in_indonesian_and_as_json() -> None:
    code, out, _ = invoke("policies", "show", "bssn-4-2021", "--lang", "id")
    assert code == 0
    assert "Menggunakan komunikasi terenkripsi" in out  # K43
    assert "not remotely assessable" in out  # K1
    code, out, _ = invoke("policies", "show", "uu-pdp-2022", "--format", "json")
    data = json.loads(out)
    assert data["source"].startswith("Undang-Undang Republik Indonesia Nomor 27 Tahun 2022")
    pasal35 = next(c for c in data["controls"] if c["id"] == "pasal-35")
    assert "https.hsts_missing" in pasal35["checks"]


def test_show_unknown_pack_is_a_usage_error() -> None:
    code, _, err = invoke("policies", "show", "no-such-pack")
    assert code == 2 and "unknown policy pack" in err


def test_lint_builtin_packs_has_no_errors() -> None:
    code, _, err = invoke("policies", "lint")
    assert code == 0, err
    assert "0 error(s)" in err


def test_lint_reports_unknown_check_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "kota.toml"
    path.write_text(
        'format = 1\nid = "kota"\ntitle = "Kota"\nversion = "1"\nsource = "Perwal"\n'
        'languages = ["id"]\n\n[[controls]]\nid = "A"\ntitle = "a"\n'
        'checks = ["https.nope"]\n', encoding="utf-8")
    code, _, err = invoke("policies", "lint", str(path))
    assert code == 2
    assert f"{path}:11: error: control A: unknown check id 'https.nope'" in err


def test_lint_of_a_broken_file_exits_2_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('format = 1\nid = "x"\ntitle = [\n', encoding="utf-8")
    code, _, err = invoke("policies", "lint", str(path))
    assert code == 2 and f"{path}:" in err and "not valid TOML" in err


def test_coverage_counts_automated_controls() -> None:
    code, out, _ = invoke("policies", "coverage", "--format", "json")
    assert code == 0
    data = json.loads(out)
    rows = {r["pack"]: r for r in data["packs"]}
    bssn = rows["bssn-4-2021"]
    assert bssn["controls"] == 78
    assert "K43" in bssn["automated_controls"] and "K1" in bssn["manual_controls"]
    assert bssn["automated"] + len(bssn["manual_controls"]) == 78
    assert 0 < bssn["percent"] < 100
    assert data["unmapped_checks"] == []
    code, out, _ = invoke("policies", "coverage", "uu-pdp-2022", "--controls")
    assert code == 0 and "automated:" in out and "uu-pdp-2022" in out
