"""Fixtures for report tests: the factory report and golden-file comparison."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol

import pytest

from egov_audit.model import RunReport

from .factory import make_report

GOLDEN_DIR = Path(__file__).parent / "golden"
REGEN_ENV = "EGOV_AUDIT_REGEN_GOLDEN"

_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")


def normalise(text: str) -> str:
    """Run ids and timestamps vary between runs; everything else must not."""
    return _TIME.sub("<TIME>", _UUID.sub("<RUN-ID>", text))


@pytest.fixture
def report() -> RunReport:
    return make_report()


class GoldenFn(Protocol):
    def __call__(self, name: str, text: str, *, layout_insensitive: bool = False) -> None: ...


def _without_whitespace(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def golden() -> GoldenFn:
    """``golden(name, text)``: compare with tests/reports/golden/<name>.

    Set EGOV_AUDIT_REGEN_GOLDEN=1 to rewrite the files after an intended change
    (then review the diff like any code change). ``layout_insensitive`` compares
    the text with all white space removed: text extracted from a PDF is spaced
    and broken into lines by the extractor's heuristics, which change between
    compatible pypdf releases (7.1 reads "NIKoffline" where 5.x read "NIK offline"),
    while the words and their order are what the report must keep.
    """

    def _check(name: str, text: str, *, layout_insensitive: bool = False) -> None:
        path = GOLDEN_DIR / name
        actual = normalise(text)
        if os.environ.get(REGEN_ENV) == "1" or not path.exists():
            if not os.environ.get(REGEN_ENV) and not path.exists():
                pytest.fail(f"golden file {path.name} missing; run with {REGEN_ENV}=1")
            path.write_bytes(actual.encode("utf-8"))
            return
        expected = path.read_bytes().decode("utf-8")
        if layout_insensitive:
            actual, expected = _without_whitespace(actual), _without_whitespace(expected)
        assert actual == expected, (
            f"{name} differs from its golden file; if the change is intended, "
            f"regenerate with {REGEN_ENV}=1 and review the diff"
        )

    return _check
