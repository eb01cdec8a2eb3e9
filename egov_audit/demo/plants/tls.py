"""Planted problems for the tls checks.

* Arsip Digital: the certificate expired ten days ago (tls.cert_expired, grade F).
* SIMDA Keuangan (lama): accepts TLS 1.0/1.1 and a static-RSA suite
  (tls.legacy_tls_accepted, tls.no_forward_secrecy, tls.mozilla_profile, grade B),
  planted only when this machine's OpenSSL can still serve TLS 1.0.
* Helpdesk: a self-signed certificate (tls.cert_untrusted, grade F).

The other services use certificates from the demo CA, which the demo passes
as ``--ca-bundle``: they are reported (at info) as trusted only by that bundle.
"""

from __future__ import annotations

import datetime as dt
import ssl
import warnings

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from ...model import Service
from ..pki import Issued, _san, make_key
from ..portal import DemoPortal, DemoService, same_host_https_redirect
from ..server import LocalServer, html

NAMES = ["127.0.0.1", "localhost"]


def legacy_tls_available() -> bool:
    """Can this Python's OpenSSL still be told to serve TLS 1.0?"""
    if not getattr(ssl, "HAS_TLSv1", False):
        return False
    try:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ssl.TLSVersion.TLSv1
    except (ssl.SSLError, ValueError):
        return False
    return True


def _self_signed(names: list[str]) -> Issued:
    key = make_key("ec", 256)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "helpdesk.kota-contoh.local")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(_san(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key, ())


def _service(portal: DemoPortal, key: str, service: Service, https: LocalServer,
             title: str) -> None:
    svc = portal.add(DemoService(key, service, LocalServer(), https))
    https.routes["/"] = html(svc.page(title), headers=[
        ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")])
    svc.finalizers.append(same_host_https_redirect)


def plant(portal: DemoPortal) -> None:
    now = dt.datetime.now(dt.UTC)
    expired = portal.ca.issue(NAMES, not_before=now - dt.timedelta(days=100),
                              not_after=now - dt.timedelta(days=10))
    _service(portal, "arsip",
             Service("Arsip Digital", "Dinas Perpustakaan dan Kearsipan", "medium",
                     "personal", "internet"),
             portal.tls_server(issued=expired, name="arsip"), "Arsip Digital")

    if legacy_tls_available():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # planted on purpose
            legacy = portal.tls_server(
                issued=portal.ca.issue(NAMES, key=make_key("rsa", 2048)), name="simda",
                minimum=ssl.TLSVersion.TLSv1,
                ciphers="ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:@SECLEVEL=0",
            )
        _service(portal, "simda",
                 Service("SIMDA Keuangan (lama)", "BPKAD", "high", "internal", "internet"),
                 legacy, "SIMDA Keuangan")

    _service(portal, "helpdesk",
             Service("Helpdesk TIK", "Diskominfo", "low", "internal", "internet"),
             portal.tls_server(issued=_self_signed(NAMES), name="helpdesk"), "Helpdesk TIK")
