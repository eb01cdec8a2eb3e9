"""Well-formed HTTP/1.1 replies for the zoo's raw servers, bodies streamed lazily.

The hostile part of most behaviours is the content (a bomb, a 100 MB PDF, a
page of 100,000 links), not the framing; these helpers frame it correctly and
stream it chunk by chunk, so the zoo never holds a large body in memory and
stops producing it as soon as the client hangs up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .wire import Conn, Dialogue, Request

REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """``body`` is bytes, or a function returning fresh chunks for each request;
    ``length`` is the Content-Length to declare (``None``: close-delimited)."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | Callable[[], Iterable[bytes]] = b""
    length: int | None = field(default=None)

    def chunks(self, method: str) -> Iterator[bytes]:
        lines = [f"HTTP/1.1 {self.status} {REASONS.get(self.status, 'Status')}",
                 "Server: nginx", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        length = len(self.body) if isinstance(self.body, bytes) else self.length
        if length is not None:
            lines.append(f"Content-Length: {length}")
        yield ("\r\n".join(lines) + "\r\n\r\n").encode()  # UTF-8: servers do send it
        if method == "HEAD":
            return
        if isinstance(self.body, bytes):
            yield self.body
        else:
            yield from self.body()


Route = Reply | Callable[[Request], Reply]


def page(html: str | bytes, *headers: tuple[str, str]) -> Reply:
    body = html.encode() if isinstance(html, str) else html
    return Reply(200, (("Content-Type", HTML), *headers), body)


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, (("Location", location), ("Content-Type", HTML)), b"")


def streamed(content_type: str, make: Callable[[], Iterable[bytes]],
             length: int | None = None, *headers: tuple[str, str]) -> Reply:
    return Reply(200, (("Content-Type", content_type), *headers), make, length)


NOT_FOUND = Reply(404, (("Content-Type", HTML),), b"<html><body><h1>404</h1></body></html>")


def links_page(urls: Iterable[str], title: str = "Layanan") -> Reply:
    anchors = "".join(f'<li><a href="{u}">dokumen</a></li>' for u in urls)
    return page(f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
                f"<ul>{anchors}</ul></body></html>")


def site(routes: Mapping[str, Route], fallback: Route = NOT_FOUND) -> Dialogue:
    """Answer one request per connection from ``routes`` (by path, query ignored)."""

    def talk(conn: Conn) -> None:
        request = conn.read_request()
        if request is None:
            return
        route = routes.get(request.path, fallback)
        reply = route(request) if callable(route) else route
        conn.send_all(reply.chunks(request.method))

    return talk
