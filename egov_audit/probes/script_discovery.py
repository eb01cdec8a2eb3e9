"""Scripts and their source maps, fetched and read for the endpoints they name.

A bundle and its source map are where a portal's API lives: ``js_endpoints``
reads them (the map's ``sourcesContent`` too, which is the original code with
its readable constant names). Each endpoint goes to ``CrawlState.found`` as
found by ``script`` or ``source_map``: calls become API entries, POST-like
calls are listed and never requested, other paths are queued like links.
Bounded by ``max_scripts`` and by ``max_script_chars``, the characters of
script text read in all (the reader is linear, but a hostile site can serve
thirty 4 MB bundles).
"""

from __future__ import annotations

from urllib.parse import urljoin

from .crawl_state import CrawlState
from .html_links import source_map_url
from .js_endpoints import endpoints, map_sources


def read_endpoints(state: CrawlState, text: str, found_by: str) -> None:
    """Hand every endpoint ``text`` names to the crawl, within the character budget."""
    left = state.limits["max_script_chars"] - state.script_chars
    if left <= 0:
        state.limited.add("max_script_chars")
        return
    if len(text) > left:
        state.limited.add("max_script_chars")
        text = text[:left]
    state.script_chars += len(text)
    root = state.origin + "/"
    depth = state.limits["max_depth"]  # found in code: fetched, links not followed further
    for found in endpoints(text):
        state.found(urljoin(root, found.value), found_by, depth, call=found.how != "literal",
                    request=found.how != "write", report_external=False)


def read_scripts(state: CrawlState) -> None:
    """Fetch the scripts waiting in ``state.scripts_pending`` and read them."""
    while state.scripts_pending:
        state.session.env.check_deadline()
        url = next(iter(state.scripts_pending))
        del state.scripts_pending[url]
        if url in state.seen:
            continue
        if len(state.scripts) >= state.limits["max_scripts"]:
            state.limited.add("max_scripts")
            state.scripts_pending.clear()
            return
        state.seen.add(url)
        resp = state.fetch(url)
        if resp is None:
            continue
        state.site_map.answered(url, resp.status, "script", "script")
        if resp.status != 200:
            continue
        state.scripts.append(resp)
        read_endpoints(state, resp.text, "script")
        _source_map(state, source_map_url(resp.body, resp.final_url))


def _source_map(state: CrawlState, url: str | None) -> None:
    if not url:
        return
    clean = state.clean(url)
    if clean is None or not state.same_origin(clean) or clean in state.seen:
        return
    state.seen.add(clean)
    state.site_map.add(clean, "source_map", "script")
    resp = state.fetch(clean)
    if resp is None:
        return
    state.site_map.answered(clean, resp.status)
    if resp.status == 200 and resp.body:
        state.maps.append(resp)
        for _name, source in map_sources(resp.body):
            read_endpoints(state, source, "source_map")
