"""The third-party services data (trackers, SRI exemptions) and host matching."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from egov_audit.datafiles import load_toml


@dataclass(frozen=True)
class Tracker:
    name: str
    vendor: str
    country: str
    category: str
    hosts: tuple[str, ...]

    def matches_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def mentioned_in(self, text: str) -> bool:
        """A host of this tracker appears in script text (a tag snippet)."""
        return any(re.search(r"(?<![a-z0-9-])" + re.escape(h) + r"\b", text, re.I)
                   for h in self.hosts)


def _tracker(entry: Mapping[str, Any]) -> Tracker:
    return Tracker(
        name=str(entry["name"]),
        vendor=str(entry.get("vendor", "unknown")),
        country=str(entry.get("country", "unknown")),
        category=str(entry.get("category", "analytics")),
        hosts=tuple(str(h).lower() for h in entry["hosts"]),
    )


@cache
def _data() -> tuple[tuple[Tracker, ...], frozenset[str]]:
    data = load_toml(files(__package__).joinpath("third_party.toml"), "third-party hosts").data
    trackers = tuple(_tracker(e) for e in data.get("tracker", []))
    return trackers, frozenset(h.lower() for h in data.get("sri_exempt_hosts", []))


def trackers(extra: Iterable[Mapping[str, Any]] = ()) -> tuple[Tracker, ...]:
    """Built-in trackers plus any from the ``extra_trackers`` setting."""
    return _data()[0] + tuple(_tracker(e) for e in extra)


def sri_exempt(url: str, extra: Iterable[Mapping[str, Any]] = ()) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    exempt = _data()[1]
    if host in exempt or any(host.endswith("." + h) for h in exempt):
        return True
    return any(t.matches_host(host) for t in trackers(extra))
