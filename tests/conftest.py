"""Shared fixtures: a throw-away PKI, real loopback servers, and a one-call audit.

Every server here is real (sockets, TLS, headers) and listens on 127.0.0.1
only; nothing in the suite sends traffic anywhere else.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

# Tests never write a salt into the user's data directory.
os.environ.setdefault("EGOV_AUDIT_SALT", "test-salt-0123456789abcdef")

# A child run that asks how the client behaves without the brotli package
# (tests/probes/test_http_deadlines.py) hides it before urllib3 first looks.
if os.environ.get("EGOV_AUDIT_TEST_HIDE_BROTLI") == "1":
    sys.modules["brotli"] = None  # type: ignore[assignment]
    sys.modules["brotlicffi"] = None  # type: ignore[assignment]

from egov_audit.audit import build_request
from egov_audit.demo.pki import CertificateAuthority, Issued
from egov_audit.demo.server import LocalServer, Route, tls_context
from egov_audit.model import RunReport, Target
from egov_audit.runner import run_audit

FAST = {"rate": 200.0, "connections": 8, "timeout": 5.0}


@pytest.fixture(scope="session")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    """A root CA for the whole session (EC P-256, minted now)."""
    return CertificateAuthority.create("egov-audit Test Root CA")


@pytest.fixture(scope="session")
def ca_file(ca: CertificateAuthority, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ca.write_cert(tmp_path_factory.mktemp("ca") / "ca.pem")


ServeFn = Callable[..., LocalServer]


@pytest.fixture
def serve(ca: CertificateAuthority, tmp_path: Path) -> Iterator[ServeFn]:
    """Start a real loopback server: ``serve(routes, tls=True, issued=..., fallback=...)``.

    With ``tls=True`` the server gets a certificate for 127.0.0.1/localhost from
    the session CA, or ``issued`` when given; ``tls_options`` go to
    :func:`egov_audit.demo.server.tls_context` (minimum/maximum/ciphers).
    """
    started: list[LocalServer] = []

    def _serve(
        routes: Mapping[str, Route] | None = None,
        *,
        tls: bool = False,
        issued: Issued | None = None,
        tls_options: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> LocalServer:
        context = None
        if tls or issued is not None:
            cert = issued or ca.issue(["127.0.0.1", "localhost"])
            cert_path, key_path = cert.write(tmp_path / "certs", f"srv{len(started)}")
            context = tls_context(str(cert_path), str(key_path), **dict(tls_options or {}))
        server = LocalServer(routes, tls=context, **kwargs).start()
        started.append(server)
        return server

    yield _serve
    for server in started:
        server.stop()


AuditFn = Callable[..., RunReport]


@pytest.fixture
def audit(ca_file: Path, tmp_path: Path) -> AuditFn:
    """Run the real engine: ``audit(targets, checks=("https.*",), **options)``.

    ``targets`` are specs (str) or Target objects; the session CA is trusted.
    """

    def _audit(
        targets: Iterable[str | Target],
        checks: Iterable[str] = ("*",),
        skip: Iterable[str] = (),
        **options: Any,
    ) -> RunReport:
        specs = [t for t in targets if isinstance(t, str)]
        objects = [t for t in targets if isinstance(t, Target)]
        overrides = {**FAST, "ca_bundle": str(ca_file), "checks": tuple(checks),
                     "skip": tuple(skip), **options}
        request = build_request(specs, targets=objects, overrides=overrides)
        return run_audit(request, workdir=tmp_path)

    return _audit


def pair(http: LocalServer | None, https: LocalServer | None, **service: Any) -> Target:
    """A target whose plain-HTTP and HTTPS sides live on two loopback ports."""
    from egov_audit.model import Service

    primary = https or http
    assert primary is not None
    return Target(
        spec=primary.url("/"),
        host=primary.host,
        http_url=http.url("/") if http else None,
        https_url=https.url("/") if https else None,
        service=Service(**service) if service else Service(),
    )
