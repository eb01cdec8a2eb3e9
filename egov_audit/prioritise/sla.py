"""Target dates for remediation: days per severity, counted from the run's start.

The ``[sla]`` section of the audit configuration arrives here as a mapping,
e.g. ``{"critical": 3, "high": 14}``; missing keys take the defaults below.
``"none"`` (or null, in a stored result) means "no target date" for that
severity. ``containment`` is the
number of days allowed for containing exposed personal data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..errors import InputError

DEFAULT_SLA: Mapping[str, int | None] = {
    "containment": 1,
    "critical": 3,
    "high": 14,
    "medium": 30,
    "low": 90,
    "info": None,
}
_MAX_DAYS = 3650
_EXPECTED = 'a whole number of days from 0 to 3650, or "none" for no target date'


def validate_sla(sla: Mapping[str, Any] | None) -> dict[str, int | None]:
    """The effective SLA (defaults overlaid with ``sla``), or InputError naming the bad key."""
    effective = dict(DEFAULT_SLA)
    if sla is None:
        return effective
    if not isinstance(sla, Mapping):
        raise InputError("the [sla] section must be a table of severity = days",
                         source="[sla]", expected="e.g. high = 14", key=("sla",))
    for key, value in sla.items():
        if key not in DEFAULT_SLA:
            raise InputError(f"unknown key {key!r}", source="[sla]",
                             expected="one of " + ", ".join(DEFAULT_SLA), key=("sla", key))
        if value is None or (isinstance(value, str) and value.strip().lower() == "none"):
            effective[key] = None
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_DAYS:
            effective[key] = value
        else:
            raise InputError(f"{key} = {value!r} is not a valid number of days",
                             source="[sla]", expected=_EXPECTED, key=("sla", key))
    return effective


def run_date(started_at: str) -> date:
    """The UTC calendar date the run started (RFC 3339 text from the result)."""
    try:
        moment = datetime.fromisoformat(started_at.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"run.started_at {started_at!r} is not an RFC 3339 time",
                         expected="e.g. 2026-01-31T08:00:00Z") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def due(start: date, days: int | None) -> str | None:
    return None if days is None else (start + timedelta(days=days)).isoformat()
