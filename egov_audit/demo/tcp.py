"""Tiny TCP services on loopback that look like databases and cleartext daemons.

The network checks judge what nmap's service detection sees, so the demo
portal and the tests need listeners that *speak* the first bytes of MySQL,
Redis, FTP and Telnet: enough for nmap to recognise them and for its
read-only scripts (``redis-info``, ``ftp-anon``) to get an answer. Nothing
here stores data or runs commands; every reply is canned.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable

from .server import is_loopback

Dialogue = Callable[[socket.socket], None]


class TcpService:
    """A threaded TCP listener on loopback running one ``dialogue`` per connection.

    ``connections`` counts accepted connections, so a test can prove that a
    scanner never touched this listener.
    """

    def __init__(self, dialogue: Dialogue, *, host: str = "127.0.0.1", port: int = 0) -> None:
        if not is_loopback(host):
            raise ValueError(f"demo and test services listen on loopback only, not {host}")
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))  # OSError when the port is taken; callers decide
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.host = host
        self.port: int = self._sock.getsockname()[1]
        self.dialogue = dialogue
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"tcp-{self.port}", daemon=True)

    def start(self) -> TcpService:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            self.dialogue(conn)
        except OSError:
            pass  # scanners hang up abruptly; that is their right
        finally:
            conn.close()


def _lines(conn: socket.socket) -> list[bytes] | None:
    data = conn.recv(4096)
    return data.splitlines() if data else None


def mysql(version: str = "5.5.62-log") -> Dialogue:
    """Sends a MySQL protocol-10 handshake (what every MySQL server says first)."""

    def talk(conn: socket.socket) -> None:
        salt1, salt2 = b"abcdefgh", b"ijklmnopqrst\0"
        payload = (
            b"\x0a" + version.encode() + b"\0"
            + struct.pack("<I", 42) + salt1 + b"\0"
            + struct.pack("<H", 0xF7FF) + b"\x21" + struct.pack("<H", 0x0002)
            + struct.pack("<H", 0x807F) + bytes([21]) + b"\0" * 10
            + salt2 + b"mysql_native_password\0"
        )
        conn.sendall(struct.pack("<I", len(payload))[:3] + b"\0" + payload)
        conn.recv(1024)  # whatever the client says, hang up like a refusing server

    return talk


def ftp(banner: str = "(vsFTPd 3.0.3)", *, anonymous: bool = False) -> Dialogue:
    """An FTP greeting; with ``anonymous`` the anonymous login is accepted."""

    def talk(conn: socket.socket) -> None:
        conn.sendall(f"220 {banner}\r\n".encode())
        logged_in = False
        while (lines := _lines(conn)) is not None:
            for line in lines:
                verb = line.split(b" ", 1)[0].upper()
                if verb == b"USER":
                    conn.sendall(b"331 Please specify the password.\r\n")
                elif verb == b"PASS":
                    logged_in = anonymous
                    conn.sendall(b"230 Login successful.\r\n" if anonymous
                                 else b"530 Login incorrect.\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 Goodbye.\r\n")
                    return
                elif logged_in and verb == b"SYST":
                    conn.sendall(b"215 UNIX Type: L8\r\n")
                elif line.strip():
                    conn.sendall(b"502 Command not implemented.\r\n" if logged_in
                                 else b"530 Please login with USER and PASS.\r\n")

    return talk


def telnet() -> Dialogue:
    """A Linux telnetd: option negotiation, then a login prompt."""

    def talk(conn: socket.socket) -> None:
        # IAC DO TERMINAL-TYPE, TERMINAL-SPEED, X-DISPLAY-LOCATION, NEW-ENVIRON
        conn.sendall(b"\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27")
        while _lines(conn) is not None:
            conn.sendall(b"\r\nlogin: ")

    return talk


def redis(version: str = "4.0.9") -> Dialogue:
    """Answers like a Redis without ``requirepass``: INFO works for anyone."""
    info = (
        f"# Server\r\nredis_version:{version}\r\nredis_mode:standalone\r\n"
        "os:Linux x86_64\r\narch_bits:64\r\nprocess_id:1\r\ntcp_port:6379\r\n"
        "# Clients\r\nconnected_clients:1\r\n# Memory\r\nused_memory_human:1.00M\r\n"
        "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"
    ).encode()

    def talk(conn: socket.socket) -> None:
        while (data := conn.recv(4096)) != b"":
            low = data.lower()
            if b"info" in low:
                conn.sendall(b"$%d\r\n%s\r\n" % (len(info), info))
            elif b"ping" in low:
                conn.sendall(b"+PONG\r\n")
            elif low.startswith(b"get "):
                conn.sendall(b"-ERR wrong number of arguments for 'get' command\r\n")
            else:
                conn.sendall(b"-ERR unknown command\r\n")

    return talk
