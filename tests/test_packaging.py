"""A wheel built from the tree, installed in a fresh virtual environment, works.

This is the test that keeps packaging honest: checks, schemas, templates and
policy files must all be inside the wheel, not found by accident in the
source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_in_fresh_venv_lists_checks_and_runs_the_demo(tmp_path: Path) -> None:
    # Given a wheel built from the source tree
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(ROOT)], check=True, cwd=tmp_path)
    (wheel,) = dist.glob("egov_audit-*.whl")
    # When it is installed (with its dependencies) into a fresh virtual environment
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([str(bin_dir / "pip"), "install", "-q", str(wheel)], check=True,
                   cwd=tmp_path)
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    # Then the CLI lists the checks and runs the demo from outside the source tree
    listing = subprocess.run([str(bin_dir / "egov-audit"), "checks", "list", "--format",
                              "json"], check=True, capture_output=True, text=True,
                             cwd=tmp_path, env=clean_env)
    ids = {row["id"] for row in json.loads(listing.stdout)}
    assert "https.hsts_missing" in ids
    demo = subprocess.run([str(bin_dir / "egov-audit"), "demo", "-q", "-o", "out"],
                          capture_output=True, text=True, cwd=tmp_path, env=clean_env)
    assert demo.returncode == 0, demo.stderr
    result = json.loads((tmp_path / "out" / "result.json").read_text())
    assert result["findings"]
    # and the installed package is the wheel's, not the source tree's
    where = subprocess.run([str(bin_dir / "python"), "-c",
                            "import egov_audit.checks, sys; print(egov_audit.checks.__file__)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path,
                           env=clean_env).stdout
    assert str(ROOT) not in where
