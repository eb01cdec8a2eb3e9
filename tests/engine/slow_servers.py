"""Raw socket servers on loopback that never finish an answer.

``HangingServer`` accepts connections and says nothing; ``DripServer`` sends
a response head promising a large body, then one byte per second. Both count
the connections they accepted (tests wait on the count instead of sleeping)
and close every connection on ``stop()``, which releases whatever was
blocked reading from them.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType


class HangingServer:
    """Accepts on 127.0.0.1 and never answers."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.accepted = 0
        self._connections: list[socket.socket] = []
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True,
                                        name=f"slow-server-{self.port}")

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> HangingServer:
        self._thread.start()
        return self

    def wait_for_connections(self, count: int = 1, timeout: float = 60.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.accepted >= count:
                return True
            time.sleep(0.05)
        return False

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.accepted += 1
                self._connections.append(conn)
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn: socket.socket) -> None:
        """What to do with one connection: nothing at all."""

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        with self._lock:
            for conn in self._connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
        self._thread.join(timeout=5)

    def __enter__(self) -> HangingServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class DripServer(HangingServer):
    """A complete response head with ``Content-Length: 100000``, then a byte a second."""

    def serve(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                         b"Content-Length: 100000\r\n\r\n")
            while not self._stopped.is_set():
                conn.sendall(b"a")
                self._stopped.wait(1.0)
        except OSError:
            return
