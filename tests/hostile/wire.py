"""Raw loopback servers that control every byte a client gets, and when it gets it.

``http.server`` cannot drip a header, flood 1xx responses or reset a TLS
handshake, so the zoo speaks TCP itself. Every server here is bounded: a
connection lives at most ``max_life`` seconds, a drip stops as soon as the
client hangs up, and :meth:`RawServer.stop` ends the accept loop and every
connection, so a test run never leaves threads behind that keep pytest alive.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from egov_audit.demo.server import is_loopback

MAX_REQUEST_HEAD = 64 * 1024


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # the request-target as sent, path and query
    headers: dict[str, str]

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


class Conn:
    """One accepted connection, with sends that give up when the client or the server does."""

    def __init__(self, sock: socket.socket, server: RawServer) -> None:
        self.sock = sock
        self.server = server
        self.born = time.monotonic()

    @property
    def alive(self) -> bool:
        return (not self.server.stopping.is_set()
                and time.monotonic() - self.born < self.server.max_life)

    def read_request(self, timeout: float = 10.0) -> Request | None:
        """Read one request head; ``None`` when the client closed or sent nonsense."""
        self.sock.settimeout(timeout)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = self.sock.recv(4096)
                if not chunk or len(data) > MAX_REQUEST_HEAD:
                    return None
                data += chunk
        except (OSError, ValueError):
            return None
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        first, *lines = head.split("\r\n")
        parts = first.split(" ")
        if len(parts) != 3:
            return None
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return Request(parts[0].upper(), parts[1], headers)

    def send(self, data: bytes) -> bool:
        """``False`` once the client is gone, the server stops or the connection is too old."""
        if not self.alive:
            return False
        try:
            self.sock.settimeout(5.0)
            self.sock.sendall(data)
        except OSError:
            return False
        return True

    def send_all(self, chunks: Iterable[bytes]) -> bool:
        return all(self.send(chunk) for chunk in chunks)

    def drip(self, data: Iterable[bytes], interval: float) -> None:
        """Send each piece ``interval`` seconds apart until the client hangs up."""
        for piece in data:
            if not self.send(piece) or self.server.stopping.wait(interval):
                return

    def hold(self) -> None:
        """Say nothing and keep the connection open until the client gives up."""
        while self.alive:
            try:
                readable, _, _ = select.select([self.sock], [], [], 0.2)
                if readable and not self.sock.recv(65536):
                    return  # the client closed its side
            except (OSError, ValueError):
                return

    def reset(self) -> None:
        """Close with a TCP RST instead of a FIN (SO_LINGER with a zero timeout)."""
        with contextlib.suppress(OSError):
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


Dialogue = Callable[[Conn], None]


@dataclass
class Counters:
    """What a server saw: connections (total, open now, most open at once) and request times."""

    accepted: int = 0
    open_now: int = 0
    max_open: int = 0
    request_times: list[float] = field(default_factory=list)
    request_lines: list[str] = field(default_factory=list)  # "GET /path (user agent)"
    intervals: list[tuple[float, float]] = field(default_factory=list)  # (accepted, closed)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def opened(self) -> float:
        with self.lock:
            self.accepted += 1
            self.open_now += 1
            self.max_open = max(self.max_open, self.open_now)
        return time.monotonic()

    def closed(self, opened_at: float) -> None:
        with self.lock:
            self.open_now -= 1
            self.intervals.append((opened_at, time.monotonic()))

    def request(self, line: str = "") -> None:
        with self.lock:
            self.request_times.append(time.monotonic())
            self.request_lines.append(line)


class RawServer:
    """A TCP listener on a loopback address running ``dialogue`` for each connection.

    ``tls`` wraps each accepted socket (server side) before the dialogue runs;
    ``accept=False`` listens with a backlog of zero and never accepts (see
    :func:`blackhole`)."""

    def __init__(self, dialogue: Dialogue, *, host: str = "127.0.0.1", port: int = 0,
                 tls: ssl.SSLContext | None = None, max_life: float = 150.0,
                 accept: bool = True) -> None:
        if not is_loopback(host):
            raise ValueError(f"the hostile zoo listens on loopback only, not {host}")
        self.dialogue = dialogue
        self.tls = tls
        self.max_life = max_life
        self.counters = Counters()
        self.stopping = threading.Event()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self._sock.listen(0 if not accept else 128)
        self._sock.settimeout(0.2)
        self.host = host
        self.port: int = self._sock.getsockname()[1]
        self._accepting = accept
        self._threads: list[threading.Thread] = []
        self._conns: set[int] = set()  # descriptors of open connections
        self._lock = threading.Lock()

    def url(self, path: str = "/", scheme: str | None = None) -> str:
        scheme = scheme or ("https" if self.tls else "http")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}{path}"

    def start(self) -> RawServer:
        if self._accepting:
            self._spawn(self._accept_loop, f"zoo-{self.host}:{self.port}")
        return self

    def stop(self) -> None:
        self.signal_stop()
        self.join()

    def signal_stop(self) -> None:
        """Ask every loop to end and unblock every connection (no waiting)."""
        self.stopping.set()
        with self._lock:  # held while a descriptor is closed, so none is reused meanwhile
            for fileno in self._conns:
                with contextlib.suppress(OSError):
                    _shutdown(fileno)

    def join(self) -> None:
        for thread in list(self._threads):
            thread.join(timeout=3)
        self._sock.close()

    def _spawn(self, run: Callable[..., None], name: str, *args: object) -> None:
        thread = threading.Thread(target=run, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            opened_at = self.counters.opened()
            self._threads = [t for t in self._threads if t.is_alive()]
            self._spawn(self._talk, f"zoo-conn-{self.port}", sock, opened_at)

    def _talk(self, sock: socket.socket, opened_at: float) -> None:
        # stop() shuts sockets down by file descriptor: the TLS wrapper takes over
        # the descriptor of the plain socket, so the number stays valid.
        fileno = sock.fileno()
        with self._lock:
            self._conns.add(fileno)
        try:
            if self.tls is not None:
                sock.settimeout(10)
                sock = self.tls.wrap_socket(sock, server_side=True)
            self.dialogue(Conn(sock, self))
        except (OSError, ValueError):
            pass  # clients hang up mid-sentence; with hostile servers that is the point
        finally:
            with self._lock:
                self._conns.discard(fileno)
                with contextlib.suppress(OSError):
                    sock.close()
            self.counters.closed(opened_at)


def _shutdown(fileno: int) -> None:
    """shutdown(2) on a descriptor another object owns, without closing it."""
    borrowed = socket.socket(fileno=fileno)
    try:
        borrowed.shutdown(socket.SHUT_RDWR)
    finally:
        borrowed.detach()


def blackhole(host: str) -> RawServer:
    """A port whose SYNs go unanswered: a listener with a full accept queue.

    Linux drops a SYN when the listener's accept queue is full, so the client's
    connect() hangs as if a firewall ate the packet. The queue (backlog 0) is
    filled by the zoo's own connections, made before the scanner's."""
    server = RawServer(lambda conn: None, host=host, accept=False)
    fillers = []
    for _ in range(2):
        filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError, OSError):
            filler.connect((host, server.port))
        fillers.append(filler)
    time.sleep(0.05)

    def join() -> None:
        for filler in fillers:
            filler.close()
        original_join()

    original_join = server.join
    server.join = join  # type: ignore[method-assign]
    return server
