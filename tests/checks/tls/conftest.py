"""A TLS lab: real loopback servers, each with one planted flaw, scanned once.

sslyze scans take seconds, so the whole lab is scanned in ONE audit run per
test package (sslyze scans the servers concurrently) and every test reads
its assertions from that shared report.
"""

from __future__ import annotations

import datetime as dt
import shutil
import ssl
import subprocess
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dh
from cryptography.x509.oid import NameOID

from egov_audit.audit import build_request
from egov_audit.demo.pki import CertificateAuthority, Issued, _san, make_key
from egov_audit.demo.server import LocalServer, html, tls_context
from egov_audit.model import Finding, RunReport, Status, Target
from egov_audit.runner import run_audit

from ...conftest import FAST
from .servers import leaf_with_aia

# Mozilla "intermediate" TLS 1.2 suites: a server with these passes the profile.
GOOD_CIPHERS = ":".join((
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
))
WEAK_CIPHERS = ("NULL-MD5:AECDH-AES128-SHA:AES128-SHA:DHE-RSA-AES128-SHA:"
                "ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0")
# RFC 2409 Oakley group 2: a well-known 1024-bit MODP prime (weak on purpose).
OAKLEY_1024 = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B2251"
    "4A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C"
    "42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFF"
    "FFFFFFFFFF", 16)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def self_signed(names: list[str]) -> Issued:
    key = make_key("ec", 256)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(_now() - dt.timedelta(hours=1))
        .not_valid_after(_now() + dt.timedelta(days=90))
        .add_extension(_san(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key, ())


def sha1_reissue(ca: CertificateAuthority, names: list[str], workdir: Path) -> Issued | str:
    """A leaf signed with SHA-1 by ``ca``, or the reason it cannot be made here.

    ``cryptography`` refuses to create SHA-1 signatures, so the OpenSSL command
    line signs it (OpenSSL 3 still does at the default security level)."""
    if shutil.which("openssl") is None:
        return "the openssl command is not installed"
    leaf_key = make_key("rsa", 2048)
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
           .sign(leaf_key, hashes.SHA256()))
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "leaf.csr").write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    (workdir / "ca.pem").write_bytes(ca.cert_pem)
    (workdir / "ca.key").write_bytes(ca.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    sans = ",".join(("IP:" if n[0].isdigit() else "DNS:") + n for n in names)
    (workdir / "ext.cnf").write_text(f"subjectAltName={sans}\n")
    proc = subprocess.run(
        ["openssl", "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
         "-set_serial", "4660", "-days", "90", "-sha1", "-extfile", "ext.cnf", "-out", "leaf.pem"],
        cwd=workdir, capture_output=True, text=True, timeout=30, check=False)
    if proc.returncode != 0:
        return f"openssl refused to sign with SHA-1: {proc.stderr.strip()[:200]}"
    cert = x509.load_pem_x509_certificate((workdir / "leaf.pem").read_bytes())
    return Issued(cert, leaf_key, ())


def legacy_tls_reason() -> str | None:
    """Why this machine's OpenSSL cannot serve TLS 1.0, or None when it can."""
    try:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # planting it on purpose
            ctx.minimum_version = ssl.TLSVersion.TLSv1
    except (ssl.SSLError, ValueError) as exc:
        return f"local OpenSSL cannot enable TLS 1.0: {exc}"
    if not ssl.HAS_TLSv1:
        return "local OpenSSL was built without TLS 1.0"
    return None


def server_context(cert: Path, key: Path, *, ciphers: str | None = None,
                   minimum: ssl.TLSVersion | None = None, curve: str | None = None,
                   dh_params: Path | None = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if ciphers:
        ctx.set_ciphers(ciphers)
    if minimum is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = minimum
    if curve:
        ctx.set_ecdh_curve(curve)
    if dh_params is not None:
        ctx.load_dh_params(str(dh_params))
    ctx.load_cert_chain(str(cert), str(key))
    return ctx


@dataclass
class Lab:
    """Servers by name, the report of the one scan, and why some were not built."""

    servers: dict[str, LocalServer] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    report: RunReport | None = None
    targets: dict[str, Target] = field(default_factory=dict)

    def target(self, name: str) -> str:
        if name in self.skipped:
            pytest.skip(self.skipped[name])
        return self.targets[name].spec

    def findings(self, name: str, check: str | None = None) -> list[Finding]:
        spec = self.target(name)
        assert self.report is not None
        return [f for f in self.report.findings
                if f.target == spec and (check is None or f.check == check)]

    def status(self, name: str, check: str) -> tuple[Status, str | None]:
        spec = self.target(name)
        assert self.report is not None
        (result,) = [r for r in self.report.results if r.target == spec and r.check == check]
        return result.status, result.reason


def _start(lab: Lab, name: str, issued: Issued, workdir: Path, *, include_chain: bool = True,
           **context: Any) -> None:
    cert, key = issued.write(workdir / "certs", name, include_chain=include_chain)
    server = LocalServer({"/": html("ok")}, tls=server_context(cert, key, **context)).start()
    lab.servers[name] = server
    lab.targets[name] = Target(spec=server.url("/"), host=server.host, http_url=None,
                               https_url=server.url("/"))


@pytest.fixture(scope="package")
def lab(ca: CertificateAuthority, ca_file: Path, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[Lab]:
    work = tmp_path_factory.mktemp("tls-lab")
    lab = Lab()
    names = ["127.0.0.1", "localhost"]
    inter = ca.intermediate("egov-audit Test Intermediate CA")
    now = _now()
    good = {"ciphers": GOOD_CIPHERS, "curve": "prime256v1"}
    _start(lab, "good", inter.issue(names), work, **good)
    by_name = lab.servers["good"].url("/").replace("127.0.0.1", "localhost")
    lab.targets["good_by_name"] = Target(spec=by_name, host="localhost", http_url=None,
                                         https_url=by_name)
    try:  # IPv6 loopback, where the machine has it
        cert, key = inter.issue(["::1"]).write(work / "certs", "v6")
        v6 = LocalServer({"/": html("ok")}, host="::1",
                         tls=server_context(cert, key, **good)).start()
        lab.servers["good_v6"] = v6
        lab.targets["good_v6"] = Target(spec=v6.url("/"), host="::1", http_url=None,
                                        https_url=v6.url("/"))
    except OSError as exc:
        lab.skipped["good_v6"] = f"no IPv6 loopback here: {exc}"
    plain_only = f"http://127.0.0.1:{lab.servers['good'].port}/"
    lab.targets["http_only"] = Target(spec=plain_only, host="127.0.0.1",
                                      http_url=plain_only, https_url=None)
    _start(lab, "expired", ca.issue(names, not_before=now - dt.timedelta(days=100),
                                    not_after=now - dt.timedelta(days=10)), work, **good)
    _start(lab, "not_yet_valid", ca.issue(names, not_before=now + dt.timedelta(days=10)),
           work, **good)
    _start(lab, "expiring", ca.issue(names, not_before=now - dt.timedelta(days=80),
                                     not_after=now + dt.timedelta(days=3)), work, **good)
    _start(lab, "self_signed", self_signed(names), work, **good)
    _start(lab, "wrong_host", ca.issue(["portal.example.go.id"]), work, **good)
    # As a public CA's leaf does, it names where its issuer is fetched (AIA):
    # that is what tells a missing intermediate from an unknown issuer.
    _start(lab, "missing_intermediate",
           leaf_with_aia(inter, names, aia="http://ca.example.invalid/intermediate.crt"),
           work, include_chain=False, **good)
    seclevel0 = {"ciphers": GOOD_CIPHERS + ":@SECLEVEL=0", "curve": "prime256v1"}
    _start(lab, "rsa1024", ca.issue(names, key=make_key("rsa", 1024)), work, **seclevel0)
    sha1 = sha1_reissue(ca, names, work / "sha1")
    if isinstance(sha1, str):
        lab.skipped["sha1"] = sha1
    else:
        _start(lab, "sha1", sha1, work, **seclevel0)
    reason = legacy_tls_reason()
    if reason:
        lab.skipped["weak"] = reason
    else:
        dh_file = work / "dh1024.pem"
        dh_file.write_bytes(dh.DHParameterNumbers(OAKLEY_1024, 2).parameters().parameter_bytes(
            serialization.Encoding.PEM, serialization.ParameterFormat.PKCS3))
        _start(lab, "weak", ca.issue(names, key=make_key("rsa", 2048)), work,
               ciphers=WEAK_CIPHERS, minimum=ssl.TLSVersion.TLSv1, dh_params=dh_file)
    # Failures: a port nobody listens on, and plain HTTP where TLS is expected.
    plain = LocalServer({"/": html("plain")}).start()
    lab.servers["plain_http"] = plain
    lab.targets["plain_http"] = Target(spec=f"https://127.0.0.1:{plain.port}/",
                                       host="127.0.0.1", http_url=None,
                                       https_url=f"https://127.0.0.1:{plain.port}/")
    closed = LocalServer().start()
    closed_url = f"https://127.0.0.1:{closed.port}/"
    closed.stop()  # nobody listens there any more
    lab.targets["closed"] = Target(spec=closed_url, host="127.0.0.1", http_url=None,
                                   https_url=closed_url)
    request = build_request([], targets=list(lab.targets.values()), overrides={
        **FAST, "connections": 5, "ca_bundle": str(ca_file), "checks": ("tls",)})
    lab.report = run_audit(request, workdir=work)
    yield lab
    for server in lab.servers.values():
        server.stop()


@pytest.fixture
def healthy(ca: CertificateAuthority, tmp_path: Path) -> Iterator[LocalServer]:
    """One TLS server that works (TLS 1.2+, a certificate from the session CA)."""
    cert, key = ca.issue(["127.0.0.1", "localhost"]).write(tmp_path / "certs", "healthy")
    server = LocalServer({"/": html("ok")}, tls=tls_context(str(cert), str(key))).start()
    yield server
    server.stop()
