"""The demo: an imitation of a city's e-government services on loopback.

Each service has a plain-HTTP and/or an HTTPS server with pages and planted
misconfigurations. Every check family adds its own plants (see
:mod:`egov_audit.demo.plants`), so the demo always shows what the tool finds.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from ..model import Service, Target
from .pki import CertificateAuthority, Issued
from .server import LocalServer, html, redirect, tls_context

PORTAL_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{opd} — Pemerintah Kota Contoh (demo egov-audit)</p>
{content}</body></html>"""


@dataclass
class DemoService:
    """One service of the imitation city: its inventory entry and its servers."""

    key: str
    service: Service
    http: LocalServer | None = None
    https: LocalServer | None = None
    # Filled in once the servers run and their ports are known.
    finalizers: list[Callable[[DemoService], None]] = field(default_factory=list)

    def page(self, title: str, content: str = "") -> str:
        return PORTAL_PAGE.format(title=title, opd=self.service.opd or "", content=content)

    def target(self) -> Target:
        https = self.https.url("/") if self.https else None
        http = self.http.url("/") if self.http else None
        server = self.https or self.http
        assert server is not None, f"demo service {self.key} has no server"
        return Target(spec=server.url("/"), host=server.host, http_url=http, https_url=https,
                      service=self.service)


class DemoPortal:
    """Starts every demo service on loopback; use as a context manager."""

    def __init__(self, workdir: Path | None = None) -> None:
        self._own_dir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="egov-audit-demo-"))
        self.ca = CertificateAuthority.create("Pemerintah Kota Contoh Demo Root CA")
        self.ca_file = self.ca.write_cert(self.workdir / "demo-ca.pem")
        self.services: list[DemoService] = []

    # -- building --------------------------------------------------------------
    def tls_server(self, names: list[str] | None = None, *, issued: Issued | None = None,
                   name: str = "server", **context: Any) -> LocalServer:
        """An HTTPS server with a certificate from the demo CA (or ``issued``)."""
        issued = issued or self.ca.issue(names or ["127.0.0.1", "localhost"])
        cert, key = issued.write(self.workdir / "certs", f"{name}-{len(self.services)}")
        return LocalServer(tls=tls_context(str(cert), str(key), **context))

    def add(self, service: DemoService) -> DemoService:
        self.services.append(service)
        return service

    # -- running ---------------------------------------------------------------
    def start(self) -> DemoPortal:
        for svc in self.services:
            for server in (svc.http, svc.https):
                if server is not None:
                    server.start()
        for svc in self.services:
            for finalize in svc.finalizers:
                finalize(svc)
        return self

    def stop(self) -> None:
        for svc in self.services:
            for server in (svc.http, svc.https):
                if server is not None:
                    server.stop()
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> DemoPortal:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def targets(self) -> list[Target]:
        return [svc.target() for svc in self.services]


def build_portal(workdir: Path | None = None) -> DemoPortal:
    """The demo city: base services, then every family's planted problems."""
    from .plants import PLANTS

    portal = DemoPortal(workdir)
    for plant in PLANTS:
        plant(portal)
    return portal


def same_host_https_redirect(svc: DemoService, path: str = "/") -> None:
    """Finalizer: make the HTTP side redirect to the HTTPS side (ports known only now)."""
    assert svc.http is not None and svc.https is not None
    svc.http.routes[path] = redirect(svc.https.url(path))


__all__ = ["DemoPortal", "DemoService", "build_portal", "html", "redirect"]
