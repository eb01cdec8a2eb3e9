"""Directory listings (Apache and nginx autoindex, IIS and lighttpd alike).

A listing is the server reading a directory out loud: every file in it,
including the ones nothing links to. Its entries are the directory's own
children only: the parent link (``../``, "Parent Directory"), the column
sort links (``?C=N;O=D``) and links elsewhere on the site are not entries.
"""

from __future__ import annotations

from urllib.parse import urlsplit

_MARKERS = ("<title>index of /", "<h1>index of /", "<title>directory listing for /",
            "<title>directory listing of /", "<h2>index of /")


def is_listing(html: str) -> bool:
    """Whether a page is a generated directory listing (read from its first 4 KB)."""
    head = html[:4096].lower()
    return any(marker in head for marker in _MARKERS)


def entries(listing_url: str, links: list[str]) -> list[tuple[str, bool]]:
    """(URL, is a directory) for each child of the listed directory, in order."""
    parts = urlsplit(listing_url)
    directory = parts.path if parts.path.endswith("/") else parts.path + "/"
    out: dict[str, bool] = {}
    for link in links:
        child = urlsplit(link)
        if child.query or child.netloc != parts.netloc or child.scheme != parts.scheme:
            continue  # a sort link, or another origin
        path = child.path
        if not path.startswith(directory) or path == directory:
            continue  # the parent, the directory itself, or a link elsewhere on the site
        rest = path[len(directory):]
        if "/" in rest.rstrip("/"):
            continue  # a grandchild is not this listing's entry
        out.setdefault(child._replace(fragment="").geturl(), path.endswith("/"))
    return list(out.items())
