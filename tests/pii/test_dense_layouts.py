"""The dense tables rewritten as real listings write them (quoted CSV, DataTables
sections, nested JSON objects: benchmarks/pii_dense_layouts.py) give the probe's path
the same identifiers of each kind as the plain form, and take the column readers'
paths (a grid, runs of records), not the tag-by-tag or record-by-record ones."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from egov_audit.pii.detect import Scanner
from egov_audit.pii.html_grids import Grid
from egov_audit.pii.html_tables import read_page
from egov_audit.pii.json_columns import ColumnRun, with_column_runs
from egov_audit.pii.json_values import collect, leaves

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from pii_dense_layouts import dense_layouts
from pii_field_corpus import dense_tables
from pii_throughput_bench import found

LAYOUTS = dense_layouts()


def _found(body: bytes, fmt: str) -> dict[str, int]:
    return found(body, fmt, Scanner())


@pytest.fixture(scope="module")
def plain() -> dict[str, dict[str, int]]:
    return {f"dense {fmt}": _found(doc.body(), doc.fmt) for fmt, doc in dense_tables().items()}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_layout_finds_what_the_plain_form_finds(layout: str,
                                                  plain: dict[str, dict[str, int]]) -> None:
    of, fmt, body = LAYOUTS[layout]
    found = _found(body, fmt)
    assert found == plain[of]
    assert min(found.values()) >= 10_000  # the identifiers were there to be found


@pytest.mark.parametrize("layout", [k for k in sorted(LAYOUTS) if k.startswith("html")])
def test_html_listings_are_read_as_grids(layout: str) -> None:
    text = LAYOUTS[layout][2].decode()
    tables = read_page(text, 10**7).tables
    assert len(tables) == 1 and isinstance(tables[0], Grid)


@pytest.mark.parametrize("layout", [k for k in sorted(LAYOUTS) if k.startswith("json")])
def test_json_listings_are_read_as_columns(layout: str) -> None:
    data = json.loads(LAYOUTS[layout][2])
    records = data if isinstance(data, list) else data["data"]
    key = "" if isinstance(data, list) else "data"
    parts = list(with_column_runs(records, key, {}, set()))
    assert sum(type(p) is ColumnRun for p in parts) >= 1
    assert not any(type(p) is dict for p in parts)  # no record read one by one
    by_key: defaultdict[str, list[str]] = defaultdict(list)
    collect(data, by_key)
    walked: dict[str, list[str]] = {}
    for label, value in leaves(data):
        walked.setdefault(label, []).append(value)
    assert list(by_key.items()) == list(walked.items())
