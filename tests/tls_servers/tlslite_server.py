"""A tlslite-ng HTTPS server on 127.0.0.1, run as a script in its own process.

tlslite-ng is pure Python: its handshakes owe nothing to OpenSSL, like the
embedded and Java stacks of old government appliances, and it still offers
3DES. Run as ``python tlslite_server.py CERT KEY CIPHERS MIN MAX``; it prints
its port on the first line of stdout and serves until killed. ``CIPHERS`` is
a comma list of tlslite cipher names (e.g. ``aes128gcm,3des``), ``MIN`` and
``MAX`` protocol versions like ``3.1`` (TLS 1.0) and ``3.3`` (TLS 1.2).

:func:`start` launches it from a test and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 20\r\n"
            b"Connection: close\r\n\r\n<p>tlslite-ng</p>\r\n")


def _version(text: str) -> tuple[int, int]:
    major, minor = text.split(".")
    return int(major), int(minor)


def serve(cert: str, key: str, ciphers: str, low: str, high: str) -> None:
    from tlslite.api import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey

    chain = X509CertChain()
    chain.parsePemList(Path(cert).read_text())
    private = parsePEMKey(Path(key).read_text(), private=True)
    settings = HandshakeSettings()
    settings.cipherNames = ciphers.split(",")
    settings.minVersion, settings.maxVersion = _version(low), _version(high)
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)

    def handle(conn: socket.socket) -> None:
        conn.settimeout(10)
        tls = TLSConnection(conn)
        with contextlib.suppress(Exception):  # probes drop handshakes half-way
            tls.handshakeServer(certChain=chain, privateKey=private, settings=settings)
            tls.read(max=4096)
            tls.write(RESPONSE)
            tls.close()
        conn.close()

    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


@contextlib.contextmanager
def start(cert: Path, key: Path, ciphers: str = "aes128gcm,aes256gcm,3des",
          low: str = "3.1", high: str = "3.3") -> Iterator[int]:
    """Run the server in a child process; yields its port on 127.0.0.1."""
    proc = subprocess.Popen([sys.executable, __file__, str(cert), str(key), ciphers, low, high],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.strip():
            raise RuntimeError("the tlslite-ng server did not start")
        yield int(line)
    finally:
        proc.kill()
        proc.wait(timeout=10)


if __name__ == "__main__":
    serve(*sys.argv[1:6])
