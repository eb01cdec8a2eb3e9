"""A behaviour of the zoo, and the loopback "lab" (addresses, servers, listeners) it runs in.

Each behaviour gets its own loopback address (127.0.12.N), so per-host
politeness applies to it as to a different government host, and its own
off-scope listeners: 127.0.13.N, another port of 127.0.12.N, and 127.0.0.1
(reached as "localhost"). A listener answers like a web server, so a scanner
that leaks would even report the answer, and counts every connection.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from egov_audit.demo.pki import CertificateAuthority
from egov_audit.demo.server import tls_context

from .offscope import Aim
from .replies import page, site
from .wire import Dialogue, RawServer

TARGET_NET = "127.0.12"
OFFSCOPE_NET = "127.0.13"


@dataclass(frozen=True)
class Behaviour:
    """One misbehaviour: its name, what a correct scanner does, how to start it.

    ``answers=False`` marks behaviours where no usable HTTP answer can exist,
    so a target status of ``ok`` would be a lie; ``tls`` marks TLS-level ones."""

    name: str
    expect: str
    start: Callable[[Lab], str]  # starts the servers, returns the target URL
    answers: bool = True
    tls: bool = False


class Lab:
    """The loopback addresses and servers of one behaviour."""

    def __init__(self, index: int, ca: CertificateAuthority, workdir: Path) -> None:
        self.host = f"{TARGET_NET}.{index + 1}"
        self.offscope_host = f"{OFFSCOPE_NET}.{index + 1}"
        self.ca = ca
        self.workdir = workdir
        self.servers: list[RawServer] = []
        self.listeners: list[RawServer] = []

    def server(self, dialogue: Dialogue, *, tls: ssl.SSLContext | None = None) -> RawServer:
        return self.add(RawServer(dialogue, host=self.host, tls=tls))

    def add(self, server: RawServer) -> RawServer:
        self.servers.append(server.start())
        return server

    def listener(self, host: str | None = None) -> RawServer:
        """An off-scope listener that counts connections."""
        server = RawServer(site({}, page("<h1>off scope: the scanner should not be here</h1>")),
                           host=host or self.offscope_host).start()
        self.listeners.append(server)
        return server

    def aim(self, target: RawServer) -> Aim:
        """Listeners for every kind of off-scope trick aimed from ``target``."""
        off = self.listener()
        other = self.listener(self.host)
        local = self.listener("127.0.0.1")
        return Aim(off.host, off.port, self.host, target.port, other.port, local.port)

    def certificate(self) -> ssl.SSLContext:
        """A server context with a certificate for this lab's address from the test CA."""
        cert, key = self.ca.issue([self.host]).write(self.workdir / "certs", self.host)
        return tls_context(str(cert), str(key))

    @property
    def offscope_connections(self) -> int:
        return sum(listener.counters.accepted for listener in self.listeners)

    def signal_stop(self) -> None:
        for server in [*self.servers, *self.listeners]:
            server.signal_stop()

    def stop(self) -> None:
        self.signal_stop()
        for server in [*self.servers, *self.listeners]:
            with contextlib.suppress(OSError):
                server.join()
