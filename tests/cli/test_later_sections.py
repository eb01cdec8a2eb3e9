"""A mistake in a later stage's section of the configuration names file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import invoke

BASE = '''[scan]
rate = 5

[[services]]
name = "Portal"
opd = "Diskominfo"
targets = ["http://127.0.0.1:9/"]
'''


@pytest.mark.parametrize(("command", "section", "line", "word"), [
    ("scan", "[sla]\nhigh = 14\nhihg = 3\n", 11, "hihg"),
    ("scan", "[gates]\nfail_on_new = \"yes\"\n", 10, "fail_on_new"),
    ("scan", "[executor]\nkind = \"spark\"\n", 10, "spark"),
    ("run", "[history]\nkeep_runs = -1\n", 10, "keep_runs"),
    ("run", "[notifications]\nwebhook = 42\n", 10, "webhook"),
])
def test_a_bad_later_section_is_refused_naming_its_line(
        tmp_path: Path, command: str, section: str, line: int, word: str) -> None:
    config = tmp_path / "city.toml"
    config.write_text(BASE + "\n" + section)
    code, _, err = invoke(command, "-c", str(config), "-o", str(tmp_path / "out"), "-q")
    assert code == 2, err
    assert f"{config}:{line}:" in err, err
    assert word in err
    assert not (tmp_path / "out").exists()  # refused before any traffic
