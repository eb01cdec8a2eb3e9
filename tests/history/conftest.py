"""History stores to test against: SQLite always, PostgreSQL where it is installed.

``history_location`` is parametrised over both, so a store test written once
runs on each backend (see postgres.py for how the server is started).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from egov_audit.demo.pki import CertificateAuthority

from .postgres import PostgresServer, postgres_server


@pytest.fixture(scope="session")
def postgres(ca: CertificateAuthority) -> Iterator[PostgresServer]:
    # TLS with a certificate for 127.0.0.1 from the session's test CA, so the
    # documented sslmode=verify-full URL is tested as written.
    with postgres_server(tls=ca.issue(["127.0.0.1", "localhost"])) as server:
        yield server


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> Iterator[str]:
    """A new empty database on the session's PostgreSQL server, as a URL with a password."""
    with postgres.database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def history_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new, empty history store lives: a SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "deep" / "history.sqlite")
    return str(request.getfixturevalue("postgres_url"))
