"""A GnuTLS HTTPS server (``gnutls-serv``) on 127.0.0.1: a third TLS stack, not OpenSSL.

:func:`start` runs it with a GnuTLS priority string and yields its port;
:func:`expected_suites` asks ``gnutls-cli --list`` what that priority string
enables (code point and oldest version per suite), an oracle independent of
the prober's own table. Needs Debian's gnutls-bin.

gnutls-serv has no option to listen on loopback only: for the few seconds of
a test it listens on every interface (with a throw-away certificate, serving
a status page). The tests connect to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

VERSIONS = {"TLS1.0": 0x0301, "TLS1.1": 0x0302, "TLS1.2": 0x0303, "TLS1.3": 0x0304}


def available() -> bool:
    return shutil.which("gnutls-serv") is not None and shutil.which("gnutls-cli") is not None


def expected_suites(priority: str) -> dict[int, int]:
    """code point → the oldest protocol version (0x03..) the suite is enabled for."""
    listing = subprocess.run(["gnutls-cli", "--list", "--priority", priority], check=True,
                             capture_output=True, text=True, timeout=60).stdout
    suites: dict[int, int] = {}
    for line in listing.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[1].startswith("0x"):
            high, low = (int(b.strip(), 16) for b in parts[1].split(","))
            suites[high << 8 | low] = VERSIONS[parts[2].strip()]
    return suites


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def start(cert: Path, key: Path, priority: str) -> Iterator[int]:
    port = _free_port()  # gnutls-serv wants a port; a race with another binder is unlikely
    proc = subprocess.Popen(
        ["gnutls-serv", "--http", "--quiet", "--x509certfile", str(cert),
         "--x509keyfile", str(key), "--priority", priority, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > end:
                    raise RuntimeError("gnutls-serv did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        proc.kill()
        proc.wait(timeout=10)
