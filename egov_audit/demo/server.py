"""A small real HTTP(S) server on loopback, driven by a route table.

The demo portal and the test suite both serve their fixtures with it: real
sockets, real TLS, real headers (repeated ``Set-Cookie`` included), so the
probes are exercised exactly as against a production server. It binds to
127.0.0.1 (or ::1) only, on a free port chosen by the kernel.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

# Kept for callers that test membership; is_loopback() accepts all of 127.0.0.0/8.
LOOPBACK = ("127.0.0.1", "::1", *(f"127.0.0.{i}" for i in range(2, 255)))


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str
    headers: Mapping[str, str]


@dataclass
class Response:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | str = b""

    @property
    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Handler = Callable[[Request], Response]
Route = Response | Handler


def html(body: str, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, [("Content-Type", "text/html; charset=utf-8"), *(headers or [])],
                    body)


def redirect(location: str, status: int = 301,
             headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, [("Location", location), *(headers or [])], b"")


NOT_FOUND = Response(404, [("Content-Type", "text/html; charset=utf-8")],
                     "<html><body><h1>404 Not Found</h1></body></html>")


class LocalServer:
    """``routes`` maps a path (query ignored) to a Response or a handler;
    ``fallback`` answers every other path (a catch-all site sets it to 200)."""

    def __init__(
        self,
        routes: Mapping[str, Route] | None = None,
        *,
        tls: ssl.SSLContext | None = None,
        host: str = "127.0.0.1",
        server_header: str | None = "nginx",
        fallback: Route = NOT_FOUND,
    ) -> None:
        if not is_loopback(host):
            raise ValueError(f"demo and test servers listen on loopback only, not {host}")
        self.routes: dict[str, Route] = dict(routes or {})
        self.fallback = fallback
        self.tls = tls
        self.host = host
        self.server_header = server_header
        self.requests: list[Request] = []  # what the scanner sent, for assertions
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> LocalServer:
        server = self
        family_v6 = ":" in self.host

        class _Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            address_family = socket.AF_INET6 if family_v6 else socket.AF_INET

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # failed handshakes from TLS probes are expected, not news

        httpd = _Server((self.host, 0), _make_handler(server))
        if self.tls is not None:
            # Handshake lazily in the handler thread, so a client that connects and
            # never speaks TLS cannot block the accept loop.
            httpd.socket = self.tls.wrap_socket(
                httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True, name=f"local-server-{self.port}")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def scheme(self) -> str:
        return "https" if self.tls is not None else "http"

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def respond(self, request: Request) -> Response:
        route = self.routes.get(request.path, self.fallback)
        return route(request) if callable(route) else route


def _make_handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the tests and the demo read results, not access logs

        def version_string(self) -> str:
            return server.server_header or ""

        def send_response(self, code: int, message: str | None = None) -> None:
            self.log_request(code)
            self.send_response_only(code, message)
            if server.server_header:
                self.send_header("Server", server.server_header)
            self.send_header("Date", self.date_time_string())

        def _serve(self, with_body: bool) -> None:
            parts = urlsplit(self.path)
            request = Request(self.command, parts.path, parts.query, dict(self.headers.items()))
            server.requests.append(request)
            response = server.respond(request)
            payload = response.payload
            self.send_response(response.status)
            names = {k.lower() for k, _ in response.headers}
            for key, value in response.headers:
                self.send_header(key, value)
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if with_body and self.command != "HEAD":
                self.wfile.write(payload)

        def do_GET(self) -> None:
            self._serve(True)

        def do_HEAD(self) -> None:
            self._serve(False)

        def do_OPTIONS(self) -> None:
            self._serve(True)

        def do_POST(self) -> None:
            self._serve(True)

    return _Handler


def tls_context(cert_file: str, key_file: str, *, minimum: ssl.TLSVersion | None = None,
                maximum: ssl.TLSVersion | None = None, ciphers: str | None = None
                ) -> ssl.SSLContext:
    """A server-side TLS context; versions and ciphers for planting weaknesses."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if ciphers:
        ctx.set_ciphers(ciphers)
    if minimum:
        ctx.minimum_version = minimum
    if maximum:
        ctx.maximum_version = maximum
    ctx.load_cert_chain(cert_file, key_file)
    return ctx
