"""The discovery stage's site map: every URL found on the origin, how, and its answer.

One entry per URL, in the order found; the first way a URL was found is the
one recorded (the entry page stays ``entry`` even when a link names it too).
A later, more precise kind replaces a guessed one (a page URL that answered
JSON becomes an ``api``; a page that answered 4xx/5xx an ``error``). The map
is bounded (``MAX_ENTRIES``); what did not fit is counted in ``limited``.
"""

from __future__ import annotations

from ..model import SiteMapEntry

MAX_ENTRIES = 2000
KINDS = frozenset({"page", "document", "script", "source_map", "api", "form", "directory",
                   "error"})


class SiteMapBuilder:
    def __init__(self, limit: int = MAX_ENTRIES) -> None:
        self.limit = limit
        self._entries: dict[str, SiteMapEntry] = {}
        self.dropped = 0

    def __contains__(self, url: str) -> bool:
        return url in self._entries

    def add(self, url: str, kind: str, found_by: str) -> None:
        assert kind in KINDS, kind
        if url in self._entries:
            return
        if len(self._entries) >= self.limit:
            self.dropped += 1
            return
        self._entries[url] = SiteMapEntry(url, kind, found_by)

    def answered(self, url: str, status: int | None, kind: str | None = None,
                 found_by: str = "link") -> None:
        """Record the status ``url`` answered (adding it if it is new); ``kind``,
        when given, replaces the kind it was found as."""
        entry = self._entries.get(url)
        if entry is None:
            self.add(url, kind or "page", found_by)
            entry = self._entries.get(url)
            if entry is None:
                return
        self._entries[url] = SiteMapEntry(url, kind or entry.kind, entry.found_by, status)

    def kind(self, url: str) -> str | None:
        entry = self._entries.get(url)
        return entry.kind if entry else None

    def entries(self) -> tuple[SiteMapEntry, ...]:
        return tuple(self._entries.values())
