"""Planted problems for the exposure checks (being built)."""

from __future__ import annotations

from ..portal import DemoPortal


def plant(portal: DemoPortal) -> None:
    """Nothing planted yet."""
