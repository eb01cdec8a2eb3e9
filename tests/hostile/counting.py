"""A small keep-alive site, in its own process, that counts what a scanner does to it.

It keeps connections open between requests (HTTP/1.1 persistent connections,
as real servers do), so an idle connection a scanner keeps in its pool counts
as open: the politeness limit is on TCP connections, not on requests in flight.
It runs in a child process so that its clock is not the scanner's: in one
process, a scanner thread holding the interpreter lock would delay the
server's timestamps and bunch them into bursts that never happened on the wire.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from egov_audit.demo.server import tls_context

from .replies import NOT_FOUND, REASONS, Reply
from .wire import Conn, Dialogue, RawServer

IDLE_TIMEOUT = 15.0  # what nginx's keepalive_timeout is close to


def keep_alive_site(routes: Mapping[str, Reply]) -> Dialogue:
    """Serve requests on one connection until the client closes it or idles out."""

    def talk(conn: Conn) -> None:
        while conn.alive:
            request = conn.read_request(timeout=IDLE_TIMEOUT)
            if request is None:
                return
            agent = request.headers.get("user-agent", "")[:40]
            conn.server.counters.request(f"{request.method} {request.target} ({agent})")
            reply = routes.get(request.path, NOT_FOUND)
            body = reply.body if isinstance(reply.body, bytes) else b""
            head = [f"HTTP/1.1 {reply.status} {REASONS.get(reply.status, 'Status')}",
                    "Server: nginx", f"Content-Length: {len(body)}"]
            head += [f"{name}: {value}" for name, value in reply.headers]
            payload = ("\r\n".join(head) + "\r\n\r\n").encode()
            if request.method != "HEAD":
                payload += body
            if not conn.send(payload):
                return

    return talk


def max_concurrent(intervals: list[tuple[float, float]], slack: float) -> int:
    """The most connections open at one instant. A close is counted ``slack``
    seconds early: the server notices a client's close a little late (thread
    scheduling), and a connection the client already closed is not a breach."""
    events = sorted([(start, 1) for start, _ in intervals]
                    + [(max(start, end - slack), -1) for start, end in intervals],
                    key=lambda e: (e[0], e[1]))
    most = current = 0
    for _, step in events:
        current += step
        most = max(most, current)
    return most


def busiest_window(times: list[float], window: float) -> int:
    """The most requests whose arrival falls in any ``window`` seconds."""
    ordered = sorted(times)
    most = first = 0
    for last, at in enumerate(ordered):
        while at - ordered[first] > window:
            first += 1
        most = max(most, last - first + 1)
    return most


@dataclass(frozen=True)
class Tally:
    """What the counting server saw, sent back from its process."""

    accepted: int
    still_open: int
    intervals: list[tuple[float, float]]  # (accepted, closed), monotonic seconds
    request_times: list[float]
    request_lines: list[str]


def _serve(site: Callable[[], Mapping[str, Reply]], host: str, cert: str, key: str,
           pipe: Connection) -> None:
    server = RawServer(keep_alive_site(site()), host=host, tls=tls_context(cert, key)).start()
    pipe.send(server.port)
    pipe.recv()  # "stop"
    server.stop()
    c = server.counters
    pipe.send(Tally(c.accepted, c.open_now, list(c.intervals), list(c.request_times),
                    list(c.request_lines)))


class CountingSite:
    """``with CountingSite(small_site, host, cert, key) as site:`` ... ``site.tally``."""

    def __init__(self, site: Callable[[], Mapping[str, Reply]], host: str, cert: str,
                 key: str) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded test process
        self._pipe, child = context.Pipe()
        self._process: Any = context.Process(target=_serve, args=(site, host, cert, key, child),
                                             daemon=True)
        self.host = host
        self.port = 0
        self.tally: Tally | None = None

    def url(self, path: str = "/") -> str:
        return f"https://{self.host}:{self.port}{path}"

    def __enter__(self) -> CountingSite:
        self._process.start()
        if not self._pipe.poll(30):
            self._process.kill()
            raise RuntimeError("the counting server did not start")
        self.port = self._pipe.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        self._pipe.send("stop")
        if self._pipe.poll(30):
            self.tally = self._pipe.recv()
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
