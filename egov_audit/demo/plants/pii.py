"""Planted problems for the pii checks (being built)."""

from __future__ import annotations

from ..portal import DemoPortal


def plant(portal: DemoPortal) -> None:
    """Nothing planted yet."""
