"""``?page=N`` pagination: which URLs are pages of one list, and the next one.

A resident list is often served ten records at a time, and the first page
alone understates what is exposed. The crawl follows ``page`` (also
``p``, ``hal``, ``halaman``) up to ``MAX_PAGES`` pages per list; every page
of one list shares a key (the URL without its page number), so a site that
links page 1 to page 1,000 still costs five requests.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit

MAX_PAGES = 5  # pages per paginated URL, the first included
PAGE_PARAMS = ("page", "p", "hal", "halaman")
MAX_JSON_BYTES = 1024 * 1024  # larger answers are taken as non-empty, unread


def page_number(url: str) -> tuple[str, int] | None:
    """(list key, page number) when ``url`` carries a numeric page parameter."""
    parts = urlsplit(url)
    if not parts.query:
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (name, value) in enumerate(query):
        if name.lower() in PAGE_PARAMS and value.isdigit() and len(value) <= 6:
            rest = [*query[:i], (name, ""), *query[i + 1:]]
            return parts._replace(query=urlencode(rest), fragment="").geturl(), int(value)
    return None


def with_page(url: str, number: int) -> str:
    """``url`` with its page parameter set to ``number``."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (name, value) in enumerate(query):
        if name.lower() in PAGE_PARAMS and value.isdigit():
            query[i] = (name, str(number))
            break
    return parts._replace(query=urlencode(query)).geturl()


def looks_empty(body: bytes) -> bool:
    """Whether a JSON answer lists nothing (``[]``, ``{"data": []}``): the end of a list."""
    if len(body) > MAX_JSON_BYTES:
        return False
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return not body.strip()
    if isinstance(doc, list):
        return not doc
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list)]
        return not doc or (bool(lists) and not any(lists))
    return False


class Pager:
    """Counts the pages requested per list, so no list costs more than ``limit``."""

    def __init__(self, limit: int = MAX_PAGES) -> None:
        self.limit = limit
        self._seen: dict[str, set[int]] = {}
        self._last: dict[str, int] = {}  # hash of the last body read per list

    def allows(self, url: str) -> bool:
        """Whether ``url`` may be requested: not a page, or within its list's bound."""
        found = page_number(url)
        if found is None:
            return True
        key, number = found
        seen = self._seen.setdefault(key, set())
        if number in seen or len(seen) < self.limit:
            seen.add(number)
            return True
        return False

    def next_url(self, url: str, body: bytes) -> str | None:
        """The next page's URL after ``url`` answered ``body``, while the list
        is within its bound and the answer changed (a site that ignores the
        parameter serves page 1 again: that list has ended)."""
        found = page_number(url)
        if found is None:
            return None
        key, number = found
        digest = hash(body)
        if self._last.get(key) == digest:
            return None
        self._last[key] = digest
        if len(self._seen.get(key, ())) >= self.limit:
            return None
        return with_page(url, number + 1)
