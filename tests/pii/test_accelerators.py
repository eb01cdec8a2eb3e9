"""The optional C accelerators change speed, never answers: the whole personal-data
path (extract, scan, analyse) run in a process with them turned off
(``EGOV_AUDIT_PURE_PYTHON=1``) gives the same digests over the field corpus and the
dense tables as this process. Where they were built, CI requires them to be."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from egov_audit.pii import accelerators

ROOT = Path(__file__).resolve().parents[2]

# Run in a child so the switch, read when the package is imported, takes effect.
_DIGESTS = """
import json, sys
sys.path.insert(0, {bench!r})
from pii_field_corpus import dense_tables, generate
from pii_throughput_bench import digests
from egov_audit.pii import accelerators
docs = [*generate(per_layout=3), *dense_tables(size=150_000).values()]
print(json.dumps({{"status": accelerators.status(), "digests": digests(docs)}}))
"""


def _digests(pure: bool) -> tuple[dict[str, str], list[object]]:
    """(accelerator status, digests) of a child process."""
    env = {k: v for k, v in os.environ.items() if k != "EGOV_AUDIT_PURE_PYTHON"}
    if pure:
        env["EGOV_AUDIT_PURE_PYTHON"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", _DIGESTS.format(bench=str(ROOT / "benchmarks"))],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=True)
    result = json.loads(out.stdout.splitlines()[-1])
    return result["status"], result["digests"]


def test_the_accelerators_are_built_where_required() -> None:
    if os.environ.get("EGOV_AUDIT_REQUIRE_ACCELERATORS") != "1":
        pytest.skip("EGOV_AUDIT_REQUIRE_ACCELERATORS is not set")
    assert set(accelerators.status().values()) == {"in use"}, accelerators.status()


def test_the_probe_path_answers_the_same_with_and_without_them() -> None:
    (fast_status, fast), (pure_status, pure) = _digests(pure=False), _digests(pure=True)
    assert set(pure_status.values()) <= {"turned off", "not built"}
    if "in use" not in fast_status.values():
        pytest.skip("no accelerator was built: nothing to compare")
    assert fast == pure
    hits = fast[-1]
    assert isinstance(hits, int) and hits > 10_000  # identifiers were found
