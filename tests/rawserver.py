"""A raw-socket loopback server for hostile and counting tests (HTTP, TLS, engine).

Each accepted connection runs ``behaviour(conn, server)`` in its own thread;
the behaviour writes whatever bytes it likes (or nothing). The server counts
what a test needs to assert on, so tests count instead of timing: connections
accepted, connections open at once (and the most ever), the moments requests
began (first bytes received), and bytes sent.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

Behaviour = Callable[[socket.socket, "RawServer"], None]


class Counters:
    """What the listeners saw; one instance may be shared by several servers
    (two ports of one host count together)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted = 0
        self.open_now = 0
        self.max_open = 0
        self.request_starts: list[float] = []
        self.bytes_sent = 0
        self.open: set[socket.socket] = set()  # as far as the servers know


class RawServer:
    def __init__(self, behaviour: Behaviour, host: str = "127.0.0.1",
                 counters: Counters | None = None) -> None:
        assert host.startswith("127.") or host == "::1", "tests talk to loopback only"
        self.behaviour = behaviour
        self.host = host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.create_server((host, 0), family=family)
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.counters = counters or Counters()
        self.lock = self.counters.lock
        self._connections: list[socket.socket] = []
        self._stopped = threading.Event()
        self.peer_gone = threading.Event()  # a behaviour's read or write failed
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def url(self, path: str = "/", scheme: str = "http") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}{path}"

    def start(self) -> RawServer:
        self._thread.start()
        return self

    @property
    def accepted(self) -> int:
        return self.counters.accepted

    @property
    def requests(self) -> int:
        return len(self.counters.request_starts)

    @property
    def bytes_sent(self) -> int:
        return self.counters.bytes_sent

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless the server stops first; True while it runs."""
        return not self._stopped.wait(seconds)

    def wait_for_peer_gone(self, timeout: float) -> bool:
        return self.peer_gone.wait(timeout)

    def wait_for_connections(self, count: int = 1, timeout: float = 60.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.accepted >= count:
                return True
            time.sleep(0.05)
        return False

    def send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        with self.lock:
            self.counters.bytes_sent += len(data)

    def read_request(self, conn: socket.socket, limit: int = 65536) -> bytes:
        """Read up to the end of the request head (or EOF); records its start."""
        data = b""
        while b"\r\n\r\n" not in data and len(data) < limit:
            chunk = conn.recv(4096)
            if not chunk:
                break
            if not data:
                with self.lock:
                    self.counters.request_starts.append(time.monotonic())
            data += chunk
        return data

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                self._reap()
                counters = self.counters
                counters.accepted += 1
                counters.open_now += 1
                counters.max_open = max(counters.max_open, counters.open_now)
                self._connections.append(conn)
                counters.open.add(conn)
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        try:
            self.behaviour(conn, self)
        except OSError:  # the client went away: what most of these servers provoke
            self.peer_gone.set()
        finally:
            with self.lock:
                self._closed(conn)
            conn.close()

    def _closed(self, conn: socket.socket) -> None:
        if conn in self.counters.open:
            self.counters.open.discard(conn)
            self.counters.open_now -= 1

    def _reap(self) -> None:
        """Count as closed every connection whose client has already closed it.

        The behaviour threads notice an EOF only when scheduled; a client
        closes one connection before opening the next, and on loopback the FIN
        is there before the new SYN, so peeking now makes the count exact."""
        for conn in list(self.counters.open):
            try:
                if conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                    self._closed(conn)
            except BlockingIOError:
                continue  # open, nothing to read
            except OSError:
                self._closed(conn)

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        with self.lock:
            for conn in self._connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def __enter__(self) -> RawServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def wait_closed(conn: socket.socket, server: RawServer, seconds: float = 60.0) -> None:
    """Keep the connection open until the client closes it (or the server stops)."""
    conn.settimeout(0.2)
    end = time.monotonic() + seconds
    while time.monotonic() < end and not server.stopped:
        try:
            if not conn.recv(4096):
                return
        except TimeoutError:
            continue


def drip(conn: socket.socket, server: RawServer, data: bytes, every: float) -> None:
    """Send ``data`` one byte at a time, ``every`` seconds apart, until stopped."""
    for i in range(len(data)):
        if server.stopped:
            return
        server.send(conn, data[i:i + 1])
        time.sleep(every)


def keep_alive(answer: Callable[[bytes, RawServer], bytes]) -> Behaviour:
    """A behaviour answering every request on the connection, until the client
    closes it: ``answer(request_head, server)`` returns the whole response."""

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        while not server.stopped:
            request = server.read_request(conn)
            if not request:
                return
            server.send(conn, answer(request, server))

    return behaviour


def still_open(sock: socket.socket) -> bool:
    """True while the client has neither closed nor reset: the kernel's TCP state."""
    try:
        state = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]
    except OSError:
        return False  # our side closed it already
    return state == 1  # TCP_ESTABLISHED; a client's FIN moves it to CLOSE_WAIT


def most_in_one_second(moments: list[float]) -> int:
    """The most events (connections opened) within any one-second window."""
    times = sorted(moments)
    best, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best
