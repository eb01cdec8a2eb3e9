"""Loopback TLS servers the issue-15 lab needs: nginx, custom DH groups, minted issuers."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from egov_audit.demo.pki import CertificateAuthority, Issued, PrivateKey, _san, make_key


def dh_params_pem(prime: int, generator: int) -> bytes:
    """PKCS #3 DH parameters for any (p, g), even ones ``cryptography`` refuses to
    build (a composite p): the DER is two INTEGERs in a SEQUENCE."""
    def length(n: int) -> bytes:
        if n < 128:
            return bytes([n])
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        return bytes([0x80 | len(raw)]) + raw

    def integer(n: int) -> bytes:
        raw = n.to_bytes(n.bit_length() // 8 + 1, "big")  # a leading 0 keeps it positive
        return b"\x02" + length(len(raw)) + raw

    body = integer(prime) + integer(generator)
    der = b"\x30" + length(len(body)) + body
    return (b"-----BEGIN DH PARAMETERS-----\n" + base64.encodebytes(der)
            + b"-----END DH PARAMETERS-----\n")


def leaf_with_aia(ca: CertificateAuthority, names: list[str], *, aia: str | None,
                  key: PrivateKey | None = None) -> Issued:
    """A server certificate from ``ca``, naming ``aia`` as where its issuer is
    fetched (as public CAs do), or no AIA at all."""
    key = key or make_key("ec", 256)
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(_san(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
                       False)
    )
    if aia is not None:
        builder = builder.add_extension(x509.AuthorityInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                   x509.UniformResourceIdentifier(aia))]), False)
    return Issued(builder.sign(ca.key, hashes.SHA256()), key, ())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Nginx:
    process: subprocess.Popen[bytes]
    port: int

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_nginx(workdir: Path, cert: Path, key: Path, tls_lines: str) -> Nginx | str:
    """nginx serving ``/`` over TLS on a loopback port, in the foreground, one
    process; or why it cannot run here."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                       else None)
    if binary is None:
        return "nginx is not installed"
    workdir.mkdir(parents=True, exist_ok=True)
    last = ""
    for _ in range(5):  # the port picked may be taken before nginx binds it
        port = free_port()
        temp = "\n".join(f"{kind}_temp_path {workdir}/{kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (workdir / "nginx.conf").write_text(f"""
daemon off; master_process off; worker_processes 1;
pid {workdir}/nginx.pid; error_log {workdir}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off; {temp}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert}; ssl_certificate_key {key};
        {tls_lines}
        location / {{ return 200 "ok"; }}
    }}
}}
""")
        proc = subprocess.Popen([binary, "-p", str(workdir), "-c", str(workdir / "nginx.conf")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return Nginx(proc, port)
            except OSError:
                time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        last = (proc.stderr.read() if proc.stderr else b"").decode(errors="replace")[:300]
    return f"nginx did not start: {last}"
