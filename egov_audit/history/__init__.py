"""The history of runs: a SQL store (SQLite by default), migrated on open.

See :mod:`.store` for what is kept and :mod:`.connect` for where and how.
"""

from __future__ import annotations

from .connect import (
    HistoryError,
    configured_store,
    default_location,
    display_location,
    keep_runs_from_config,
    location_from_config,
)
from .store import HistoryStore, StoredRun, TrendPoint

__all__ = [
    "HistoryError",
    "HistoryStore",
    "StoredRun",
    "TrendPoint",
    "configured_store",
    "default_location",
    "display_location",
    "keep_runs_from_config",
    "location_from_config",
]
