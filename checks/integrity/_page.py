"""The integrity checks' names for the page model, and the registrable domain.

A page's visible and hidden text and links (an enclosing element hidden by an
inline style, the ``hidden`` attribute or a simple class/id rule of the
page's <style>, or a <marquee>) come from the engine's page model
(:mod:`egov_audit.page`), parsed once per response for every reader.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from egov_audit.page import Link, ParsedPage, parse_page, style_blocks

__all__ = ["Link", "Page", "domain", "parse", "style_blocks"]

Page = ParsedPage
parse = parse_page


def domain(url: str) -> str:
    """The registrable-looking part of a URL's host (last two labels, three for
    second-level public suffixes like go.id / co.id / ac.id)."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])
