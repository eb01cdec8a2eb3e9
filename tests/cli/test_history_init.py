"""egov-audit init: a starter configuration that loads, with 25 placeholder services."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from egov_audit.cli.init_cmd import init, starter_config
from egov_audit.config import load_config
from egov_audit.errors import InputError


def _accepts_history_sections(tmp_path: Path) -> bool:
    probe = tmp_path / "probe.toml"
    probe.write_text("[history]\nkeep_runs = 1\n[gates]\n")
    try:
        load_config(probe)
    except InputError:
        return False
    return True


def test_init_writes_a_city_of_25_services_with_placeholder_hosts(tmp_path: Path) -> None:
    path = tmp_path / "audit.toml"
    result = CliRunner().invoke(init, [str(path)])
    assert result.exit_code == 0, result.output
    data = tomllib.loads(path.read_text())
    services = data["services"]
    assert len(services) == 25
    assert len({s["opd"] for s in services}) >= 15
    hosts = [t.split("/")[2] for s in services for t in s["targets"]]
    assert all(h.endswith(".kota.example.go.id") for h in hosts)
    assert len(set(hosts)) == 25
    assert data["history"]["keep_runs"] == 104


def test_the_inventory_part_loads_with_the_configuration_loader(tmp_path: Path) -> None:
    # [history] and [gates] come last; everything before them is today's format
    head = starter_config().split("\n[history]")[0]
    path = tmp_path / "head.toml"
    path.write_text(head)
    config = load_config(path)
    assert len(config.targets) == 25
    assert {t.service.criticality for t in config.targets} == {"low", "medium", "high",
                                                               "vital"}


def test_the_whole_starter_loads(tmp_path: Path) -> None:
    if not _accepts_history_sections(tmp_path):
        pytest.skip("config.py does not yet pass [history]/[gates] through (lead's change)")
    config = load_config(_written(tmp_path))
    assert config.sections["history"]["path"] == "egov-audit-history.sqlite"


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "audit.toml"
    path.write_text("# mine\n")
    result = CliRunner().invoke(init, [str(path)])
    assert result.exit_code == 2 and "already exists" in result.output
    assert path.read_text() == "# mine\n"
    assert CliRunner().invoke(init, [str(path), "--force"]).exit_code == 0
    assert "[[services]]" in path.read_text()


def test_init_to_standard_output() -> None:
    result = CliRunner().invoke(init, ["-"])
    assert result.exit_code == 0 and result.output == starter_config()


def _written(tmp_path: Path) -> Path:
    path = tmp_path / "whole.toml"
    path.write_text(starter_config())
    return path
