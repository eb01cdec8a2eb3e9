"""Planted problems for the network checks (being built)."""

from __future__ import annotations

from ..portal import DemoPortal


def plant(portal: DemoPortal) -> None:
    """Nothing planted yet."""
