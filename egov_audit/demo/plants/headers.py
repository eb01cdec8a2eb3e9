"""Planted problems for the headers checks (being built)."""

from __future__ import annotations

from ..portal import DemoPortal


def plant(portal: DemoPortal) -> None:
    """Nothing planted yet."""
