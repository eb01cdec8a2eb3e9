"""A Java (JSSE) HTTPS server on 127.0.0.1: a TLS stack that owes nothing to OpenSSL.

:func:`start` compiles ``JsseServer.java`` into a temporary directory, lets
JSSE offer what its defaults forbid (TLS 1.0, 3DES: ``jdk.tls.disabledAlgorithms``
emptied for this process only) and yields the server's port. Needs ``java``
and ``javac`` (Debian: default-jdk-headless).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

from egov_audit.demo.pki import Issued

SOURCE = Path(__file__).with_name("JsseServer.java")
PASSWORD = b"changeit"


def available() -> bool:
    return shutil.which("java") is not None and shutil.which("javac") is not None


@contextlib.contextmanager
def start(issued: Issued, workdir: Path, protocols: Sequence[str],
          ciphers: Sequence[str]) -> Iterator[int]:
    """Run the server; yields its port. ``protocols``/``ciphers`` use JSSE names."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(SOURCE, workdir / SOURCE.name)
    subprocess.run(["javac", "-d", str(workdir), str(workdir / SOURCE.name)], check=True,
                   timeout=300, capture_output=True)
    store = workdir / "server.p12"
    store.write_bytes(pkcs12.serialize_key_and_certificates(
        b"server", issued.key, issued.cert, list(issued.chain) or None,  # type: ignore[arg-type]
        BestAvailableEncryption(PASSWORD)))
    security = workdir / "java.security"
    security.write_text("jdk.tls.disabledAlgorithms=\njdk.certpath.disabledAlgorithms=\n")
    proc = subprocess.Popen(
        ["java", f"-Djava.security.properties={security}", "-cp", str(workdir), "JsseServer",
         str(store), PASSWORD.decode(), ",".join(protocols), ",".join(ciphers)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.strip():
            raise RuntimeError("the JSSE server did not start")
        yield int(line)
    finally:
        proc.kill()
        proc.wait(timeout=10)
