"""URLs a site announces about itself: robots.txt (Allow, Disallow, Sitemap) and sitemaps.

Often the forgotten corners: a backup directory disallowed "so that search
engines do not index it" is a directory worth listing. Every input has its
bound: robots.txt bytes and lines, sitemap bytes (gzip ones after inflating),
entries, files and index depth; a bound that was reached is named in
``limited``.
"""

from __future__ import annotations

import re
import zlib
from collections import deque
from urllib.parse import urljoin

from ..page import MAX_URL_LENGTH
from .crawl_state import CrawlState

# "<loc>" starts every match and "[^<\s]" stops at the next tag: linear.
_SITEMAP_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.I)
_SITEMAP_INDEX = re.compile(r"<sitemapindex\b", re.I)
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_MAX_LINES = 10_000
SITEMAP_MAX_BYTES = 4 * 1024 * 1024  # after inflating a .gz sitemap
SITEMAP_MAX_FILES = 10
SITEMAP_MAX_DEPTH = 2  # sitemap index -> sitemap -> pages
SEEDS_MAX = 200  # URLs taken from robots.txt and sitemaps together


def robots_entries(text: str) -> tuple[list[tuple[str, str]], bool]:
    """(allow/disallow path, sitemap URL) pairs of a robots.txt, read line by
    line (no regex over the whole file), and whether a bound cut it short:
    at most ROBOTS_MAX_LINES lines and SEEDS_MAX entries."""
    out: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines()):
        if number >= ROBOTS_MAX_LINES or len(out) >= SEEDS_MAX:
            return out, True
        key, sep, value = line.partition(":")
        words = value.split(None, 1)
        if not sep or not words:
            continue
        key = key.strip().lower()
        if len(words[0]) > MAX_URL_LENGTH:
            continue  # not a path anyone follows; never truncated into another one
        if key in ("allow", "disallow"):
            out.append((words[0], ""))
        elif key == "sitemap":
            out.append(("", words[0]))
    return out, False


def seed(state: CrawlState) -> None:
    """Hand the URLs robots.txt and the sitemaps name to ``state.found``."""
    root = state.origin + "/"
    seeds: list[tuple[str, str]] = []
    sitemaps = [urljoin(root, "/sitemap.xml")]
    robots = state.fetch(urljoin(root, "/robots.txt"), ROBOTS_MAX_BYTES)
    if robots is not None and robots.status == 200 and "html" not in robots.content_type:
        state.site_map.answered(robots.url, robots.status, "document", "robots")
        if robots.truncated:
            state.limited.add("robots_bytes")
        entries, capped = robots_entries(robots.text)
        if capped:
            state.limited.add("robots_lines")
        for allow, sitemap in entries:
            if sitemap:
                sitemaps.append(urljoin(root, sitemap))
            elif "*" not in allow and "$" not in allow:
                state.robots.append(allow)
                seeds.append((urljoin(root, allow), "robots"))
    _sitemaps(state, sitemaps, seeds)
    if len(seeds) > SEEDS_MAX:
        state.limited.add("max_seeds")
    for url, found_by in seeds[:SEEDS_MAX]:
        state.found(url, found_by, 1)


def _sitemaps(state: CrawlState, first: list[str], seeds: list[tuple[str, str]]) -> None:
    """Follow sitemaps and sitemap indexes breadth first, within the file,
    depth, byte and entry bounds; page URLs go to ``seeds``."""
    todo: deque[tuple[str, int]] = deque((url, 0) for url in dict.fromkeys(first))
    fetched: set[str] = set()
    while todo:
        state.session.env.check_deadline()
        url, depth = todo.popleft()
        if url in fetched or state.clean(url) is None or not state.same_origin(url):
            continue
        if len(fetched) >= SITEMAP_MAX_FILES:
            state.limited.add("sitemap_files")
            return
        fetched.add(url)
        text = _sitemap_text(state, url)
        if text is None:
            continue
        state.site_map.answered(url, 200, "document", "sitemap")
        index = _SITEMAP_INDEX.search(text[:4096]) is not None
        for m in _SITEMAP_LOC.finditer(text):
            loc = urljoin(url, m.group(1))
            if index:
                if depth + 1 >= SITEMAP_MAX_DEPTH:
                    state.limited.add("sitemap_depth")
                    break
                if len(todo) >= SITEMAP_MAX_FILES:
                    state.limited.add("sitemap_files")
                    break
                todo.append((loc, depth + 1))
            elif len(seeds) >= SEEDS_MAX:
                state.limited.add("max_seeds")
                return
            else:
                seeds.append((loc, "sitemap"))


def _sitemap_text(state: CrawlState, url: str) -> str | None:
    resp = state.fetch(url, SITEMAP_MAX_BYTES)
    if resp is None or resp.status != 200 or not resp.body:
        return None
    body = resp.body
    if resp.truncated:
        state.limited.add("sitemap_bytes")
    if body.startswith(b"\x1f\x8b"):  # a .xml.gz sitemap, inflated within the cap
        inflater = zlib.decompressobj(wbits=47)
        try:
            body = inflater.decompress(body, SITEMAP_MAX_BYTES)
        except zlib.error:
            return None
        if inflater.unconsumed_tail:
            state.limited.add("sitemap_bytes")
    elif "xml" not in resp.content_type:
        return None
    return body.decode("utf-8", "replace")
