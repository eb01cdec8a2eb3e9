"""Fixtures for signing tests: a key pair and a signed output directory, via the real CLI."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from egov_audit.cli import main
from egov_audit.prioritise import prioritise
from egov_audit.result_io import dumps

from ..prioritise.factories import finding, outcome, report


@dataclass
class Keys:
    private: Path
    public: Path


@dataclass
class Signed:
    dir: Path
    result: Path
    rendered: list[Path]
    signature: Path
    keys: Keys


def keygen(runner: CliRunner, prefix: Path) -> Keys:
    outcome_ = runner.invoke(main, ["keygen", "--out", str(prefix)])
    assert outcome_.exit_code == 0, outcome_.output
    return Keys(prefix.with_name(prefix.name + ".key"), prefix.with_name(prefix.name + ".pub"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def keys(runner: CliRunner, tmp_path: Path) -> Keys:
    (tmp_path / "keys").mkdir()
    return keygen(runner, tmp_path / "keys" / "auditor")


@pytest.fixture
def signed(keys: Keys, tmp_path: Path) -> Signed:
    """A prioritised result plus two rendered files, signed with ``sign_outputs``."""
    from egov_audit.signing import sign_outputs

    out = tmp_path / "out"
    out.mkdir()
    spec = "https://portal.example.go.id/"
    rep = prioritise(report([outcome(spec, [finding(target=spec)], criticality="high")]))
    result = out / "result.json"
    result.write_text(dumps(rep), encoding="utf-8")
    markdown = out / "report.md"
    markdown.write_text("# Laporan\n\n1 temuan\n", encoding="utf-8")
    csv = out / "findings.csv"
    csv.write_text("id,check\n" + ",".join((rep.findings[0].id, rep.findings[0].check)) + "\n",
                   encoding="utf-8")
    signature = sign_outputs(result, [markdown, csv], keys.private)
    return Signed(out, result, [markdown, csv], signature, keys)


def load(path: Path) -> dict:  # type: ignore[type-arg]
    data: dict = json.loads(path.read_text(encoding="utf-8"))  # type: ignore[type-arg]
    return data
