"""The parsed-page model: one bounded, linear reading of an HTML page, shared
by discovery (links, scripts, forms), the page checks (what a browser loads,
meta tags) and the integrity checks (text and links by visibility).

It sits below the probes, the personal-data readers and the checks, and
imports none of them. :func:`page_of` parses a response once for all of them.
"""

from .cache import page_of
from .defusing import defuse
from .links import MAX_LINKS, MAX_URL_LENGTH, Form, FormField, PageLinks
from .markup import Markup, Resource
from .model import Link, ParsedPage, parse_page
from .visibility import style_blocks

__all__ = ["MAX_LINKS", "MAX_URL_LENGTH", "Form", "FormField", "Link", "Markup", "PageLinks",
           "ParsedPage", "Resource", "defuse", "page_of", "parse_page", "style_blocks"]
