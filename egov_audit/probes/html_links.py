"""The crawler's names for the page model's discovery view, and where a
script declares its source map.

Pages are parsed once, by :mod:`egov_audit.page` (bounded, linear, shared
with the checks through ``page_of(response)``); this module keeps
:func:`extract` for text that is not a response, and the script helper.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from ..page import MAX_LINKS, MAX_URL_LENGTH, Form, FormField, PageLinks, defuse, parse_page

__all__ = ["MAX_LINKS", "MAX_URL_LENGTH", "Form", "FormField", "PageLinks", "defuse", "extract",
           "source_map_url"]

_SOURCE_MAP = re.compile(rb"[#@]\s*sourceMappingURL=([^\s'\"*]+)")


def extract(html: str, base_url: str) -> PageLinks:
    """Links, resources and forms of ``html``; linear in its length, and reading
    stops once ``MAX_LINKS`` were found (``capped`` says so)."""
    return parse_page(html, base_url).crawl


def source_map_url(script_body: bytes, script_url: str) -> str | None:
    """The ``sourceMappingURL`` a script declares, resolved against the script's URL."""
    matches = list(_SOURCE_MAP.finditer(script_body[-4096:]))
    if not matches:
        return None
    ref: str = matches[-1].group(1).decode("ascii", "replace")
    if ref.startswith("data:"):
        return None
    return urljoin(script_url, ref)
