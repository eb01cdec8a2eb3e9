"""Trend sparklines: numbers only in the drawing, the label escaped."""

from __future__ import annotations

from egov_audit.dashboard.svg import sparkline


def test_the_label_is_escaped_and_no_style_or_script_is_drawn() -> None:
    svg = str(sparkline([("w1", {"high": 2, "low": 1}), ("w2", {"critical": 1})],
                        '<script>alert(1)</script>" onload="x'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and '" onload="' not in svg
    assert "style=" not in svg
    assert svg.count("<polyline") == 2


def test_one_run_is_a_dot_and_no_run_is_nothing() -> None:
    assert "<circle" in str(sparkline([("w1", {"medium": 3})], "one"))
    assert str(sparkline([], "none")) == ""


def test_informational_findings_do_not_raise_the_line() -> None:
    flat = str(sparkline([("w1", {"info": 0}), ("w2", {"info": 50})], "info only"))
    assert 'points="3.0,33.0 157.0,33.0"' in flat.split('class="trend-all"')[1]
