"""API endpoints: read OpenAPI/Swagger descriptions, then request what was discovered.

Descriptions a page or script named are read first; only when none was named
are the few paths frameworks publish them at asked (``openapi.WELL_KNOWN``).
Then every API endpoint discovery found (links, scripts, source maps,
descriptions) is requested with GET, at most ``max_apis`` of them, pages of a
paginated list included. A JSON or XML answer is kept in ``Crawl.apis``; an
endpoint that answers 404 stays in the site map with its status and nothing
else (a string in a bundle is not an API until it answers).
"""

from __future__ import annotations

from urllib.parse import urljoin

from . import openapi
from .budget import Priority
from .crawl_state import CrawlState, is_api_answer
from .pagination import looks_empty

MAX_DESCRIPTIONS = 5  # linked descriptions read per target


def read_descriptions(state: CrawlState) -> None:
    linked = list(state.descriptions)[:MAX_DESCRIPTIONS]
    if len(state.descriptions) > MAX_DESCRIPTIONS:
        state.limited.add("max_descriptions")
    guessed = [] if linked else [urljoin(state.origin + "/", p) for p in openapi.WELL_KNOWN]
    for url in (*linked, *guessed):
        state.session.env.check_deadline()
        if url in state.seen:
            continue
        state.seen.add(url)
        # A guessed path costs a guess's share of the host's budget, never discovery's.
        priority = Priority.DISCOVERED if url in state.descriptions else Priority.GUESS
        resp = state.fetch(url, openapi.MAX_DOCUMENT_BYTES, priority)
        if resp is None:
            continue
        if url in state.site_map:
            state.site_map.answered(url, resp.status)
        doc = openapi.parse(resp.body) if resp.status == 200 else None
        if doc is None:
            continue
        if url not in state.site_map:  # a guess that proved right
            state.site_map.answered(url, resp.status, "document", "openapi")
        urls, capped = openapi.get_urls(doc, resp.final_url)
        if capped:
            state.limited.add("openapi_operations")
        for found in urls:
            state.found(found, "openapi", state.limits["max_depth"], call=True)


def fetch_apis(state: CrawlState) -> None:
    """GET the API endpoints waiting in ``state.apis_pending``, within ``max_apis``."""
    requested = len(state.apis)  # API answers the page crawl met count too
    pending = state.apis_pending
    while pending:
        state.session.env.check_deadline()
        url = next(iter(pending))
        del pending[url]
        if url in state.seen:
            continue
        if requested >= state.limits["max_apis"]:
            state.limited.add("max_apis")  # the rest stay listed, status null
            pending.clear()
            return
        if not state.pager.allows(url):
            state.limited.add("max_pagination")
            continue
        state.seen.add(url)
        requested += 1
        resp = state.fetch(url)
        if resp is None or resp.status is None:
            continue
        if resp.status >= 400:
            state.site_map.answered(url, resp.status)
            state.keep_error(resp)
        elif 200 <= resp.status < 300 and is_api_answer(resp):
            state.site_map.answered(url, resp.status, "api")
            state.apis.append(resp)
            following = state.pager.next_url(url, resp.body)
            if following is not None and not looks_empty(resp.body):
                state.found(following, "pagination", state.limits["max_depth"], call=True)
        elif 200 <= resp.status < 300 and "html" in resp.content_type:
            state.site_map.answered(url, resp.status, "page")
            if len(state.pages) < state.limits["max_pages"]:
                state.pages.append(resp)
        else:
            state.site_map.answered(url, resp.status)
