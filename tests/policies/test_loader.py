"""Loading and linting packs: errors name the file, the line and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from egov_audit.errors import InputError
from egov_audit.policy import resolve_packs
from egov_audit.policy.loader import lint_pack, load_pack_file, parse_pack

GOOD = """\
format = 1
id = "kota-contoh-2025"
title = "Standar keamanan internal Kota Contoh"
version = "2025"
source = "Peraturan Wali Kota Contoh No. 1 Tahun 2025"
languages = ["id"]

[[controls]]
id = "KC-1"
title_id = "Layanan hanya melalui HTTPS"
checks = ["https.unavailable", "https.plain_http_served"]

[[controls]]
id = "KC-2"
title_id = "Konfigurasi TLS terkini"
checks = ["tls.*"]
"""


def write(tmp_path: Path, text: str, name: str = "kota.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_city_pack_loads_from_a_file(tmp_path: Path) -> None:
    pack = load_pack_file(write(tmp_path, GOOD))
    assert pack.id == "kota-contoh-2025" and not pack.builtin
    assert [c.id for c in pack.controls] == ["KC-1", "KC-2"]
    assert pack.controls[1].line == 13
    # the only title given doubles as the display title
    assert pack.controls[0].title == "Layanan hanya melalui HTTPS"


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('version = "2025"', "version = 2025 ="))
    with pytest.raises(InputError) as err:
        load_pack_file(path)
    assert err.value.line == 4 and str(path) in str(err.value)


def test_schema_violation_names_the_line_and_the_field(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('checks = ["tls.*"]', 'checks = "tls.*"'))
    with pytest.raises(InputError) as err:
        load_pack_file(path)
    assert err.value.line == 16
    assert "controls/1/checks" in str(err.value)
    assert err.value.expected and "docs/policies.md" in err.value.expected


def test_missing_required_field_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'source' is a required property"):
        load_pack_file(write(tmp_path, GOOD.replace('source = "Peraturan Wali Kota Contoh No. 1'
                                                    ' Tahun 2025"\n', "")))


def test_duplicate_control_ids_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('id = "KC-2"', 'id = "KC-1"'))
    with pytest.raises(InputError, match="duplicate control id 'KC-1'") as err:
        load_pack_file(path)
    assert err.value.line == 13


def test_unknown_exact_id_is_an_error_and_empty_glob_a_warning() -> None:
    pack = parse_pack(GOOD.replace("https.plain_http_served", "https.no_such_check"),
                      "kota.toml")
    text = GOOD.replace("https.plain_http_served", "https.no_such_check")
    problems = lint_pack(pack, {"https.unavailable"}, text)
    levels = {(p.level, p.line) for p in problems}
    assert ("error", 11) in levels  # the unknown id, on its own line
    assert ("warning", 16) in levels  # tls.* matches nothing installed here
    assert all(p.source == "kota.toml" for p in problems)


def test_resolving_a_custom_pack_rejects_unknown_check_ids(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("https.plain_http_served", "https.typo"))
    with pytest.raises(InputError, match=r"unknown check id 'https\.typo'"):
        resolve_packs([str(path)], {"https.unavailable", "https.plain_http_served"})


def test_custom_pack_may_not_reuse_a_builtin_id(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('"kota-contoh-2025"', '"uu-pdp-2022"'))
    with pytest.raises(InputError, match="already used by a built-in pack"):
        resolve_packs([str(path)], {"https.unavailable", "https.plain_http_served"})


def test_unknown_pack_id_lists_the_known_ones() -> None:
    with pytest.raises(InputError, match="unknown policy pack 'uu-pdb'") as err:
        resolve_packs(["uu-pdb"], set())
    assert err.value.expected and "uu-pdp-2022" in err.value.expected


def test_default_selection_and_deduplication() -> None:
    assert [p.id for p in resolve_packs(None, set())] == [
        "uu-pdp-2022", "bssn-4-2021", "iso-27001-2022"]
    assert [p.id for p in resolve_packs(["uu-ite", "uu-ite"], set())] == ["uu-ite"]


def test_info_findings_review_is_read_from_the_pack(tmp_path: Path) -> None:
    text = GOOD.replace('checks = ["tls.*"]', 'checks = ["tls.*"]\ninfo_findings = "review"')
    pack = load_pack_file(write(tmp_path, text))
    assert [c.review_info for c in pack.controls] == [False, True]
    with pytest.raises(InputError, match="info_findings"):
        load_pack_file(write(tmp_path, text.replace('"review"', '"maybe"')))
