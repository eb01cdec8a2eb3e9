"""One parse per response, shared by the probes and checks that read it.

The crawl reads a page for links, the header checks for what it loads, the
integrity checks for its text, the error checks for who links where: each
asks :func:`page_of` and the first one parses. The model is dropped with its
response (a weak reference), so the cache holds no page longer than the
snapshots that hold the response. Targets run on threads of their own,
hence the lock; two threads may parse the same page once each, never worse.
"""

from __future__ import annotations

import threading
import weakref
from typing import Protocol

from .model import ParsedPage, parse_page


class Fetched(Protocol):
    """What the page cache needs of a response (``probes.http.HttpResponse``
    has it; the page model sits below the probes and never imports them)."""

    @property
    def final_url(self) -> str: ...

    @property
    def text(self) -> str: ...

    def __hash__(self) -> int: ...


_PARSED: weakref.WeakKeyDictionary[Fetched, ParsedPage] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def page_of(resp: Fetched) -> ParsedPage:
    """The page model of ``resp``'s body at its final URL (read only: it is shared)."""
    with _LOCK:
        page = _PARSED.get(resp)
    if page is None:
        page = parse_page(resp.text, resp.final_url)
        with _LOCK:
            _PARSED[resp] = page
    return page
