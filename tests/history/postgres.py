"""A throw-away PostgreSQL server for the history tests, on 127.0.0.1.

The tests start their own cluster (``initdb`` + ``pg_ctl`` from Debian's
``postgresql`` package) in a temporary directory, on a free loopback port,
with its Unix socket in that directory, and remove it at the end of the
session: CI needs only the package, no running service, and nothing
listens beyond loopback. PostgreSQL refuses to run as root, so as root the
cluster runs as the ``postgres`` user the package creates.

Each test gets a database of its own, owned by an ordinary role with a
password (not the superuser), the way docs/scheduled-audits.md tells an
administrator to set it up; so the tests also prove that the migrations need
no more than owning the database.

Without the binaries or the driver the tests skip, saying why; with
``EGOV_AUDIT_REQUIRE_POSTGRES=1`` (set by .ci/run) that is a failure instead,
so CI can never pass by skipping them. ``EGOV_AUDIT_TEST_POSTGRES_ADMIN`` may
name an existing server's superuser URL (loopback only) to use instead.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
import sqlalchemy as sa

from egov_audit.demo.pki import Issued

REQUIRE_ENV = "EGOV_AUDIT_REQUIRE_POSTGRES"
ADMIN_ENV = "EGOV_AUDIT_TEST_POSTGRES_ADMIN"
ROLE = "egov_audit"
# Characters a URL must percent-encode: the tests prove neither the raw nor
# the encoded password is ever printed.
PASSWORD_PREFIX = "s3cr#t/:@"
START_TIMEOUT_S = 60


def unavailable(reason: str) -> NoReturn:
    """Skip the test, or fail it where PostgreSQL is required (CI)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1)", pytrace=False)
    pytest.skip(reason)


def find_bindir() -> Path | None:
    """The newest PostgreSQL server binaries: Debian's layout, else the PATH."""
    found = []
    for pg_ctl in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"):
        with contextlib.suppress(ValueError):
            found.append((int(pg_ctl.parent.parent.name), pg_ctl.parent))
    if found:
        return max(found)[1]
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    """A server the tests may create roles and databases on."""

    admin_url: sa.URL
    password: str
    tls: bool = False  # whether the server accepts TLS (with the tests' CA)

    def admin(self) -> sa.Engine:
        return sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")

    def url(self, database: str, *, password: str | None = None) -> str:
        """The URL a user of egov-audit would configure, for the test role."""
        return sa.URL.create(
            "postgresql+psycopg", username=ROLE, password=password or self.password,
            host=self.admin_url.host, port=self.admin_url.port, database=database,
        ).render_as_string(hide_password=False)

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        """A new, empty database owned by the test role; dropped afterwards."""
        name = f"history_{secrets.token_hex(6)}"
        engine = self.admin()
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}" OWNER "{ROLE}"')
            yield self.url(name)
            with engine.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        finally:
            engine.dispose()

    def prepare_role(self) -> None:
        engine = self.admin()
        try:
            with engine.connect() as conn:
                exists = conn.exec_driver_sql(
                    "SELECT 1 FROM pg_roles WHERE rolname = %(r)s", {"r": ROLE}).first()
                verb = "ALTER" if exists else "CREATE"
                # A literal, not a parameter: utility statements take none.
                quoted = self.password.replace("'", "''")
                conn.exec_driver_sql(f"{verb} ROLE \"{ROLE}\" LOGIN PASSWORD '{quoted}'")
        finally:
            engine.dispose()


class LocalCluster:
    """``initdb`` + ``pg_ctl`` in a temporary directory, as a non-root user."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="egov-audit-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    def _run(self, *args: str, timeout: float = START_TIMEOUT_S) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): "
                               f"{done.stderr.strip()[-2000:]}\n{log}")

    def _own(self, path: Path) -> Path:
        """``path`` readable by the server alone (it refuses a key others can read)."""
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(path, entry.pw_uid, entry.pw_gid)
        path.chmod(0o600)
        return path

    def start(self, superuser_password: str, tls: Issued | None = None) -> sa.URL:
        pwfile = self.root / "pw"
        pwfile.write_text(superuser_password + "\n")
        self._own(pwfile)
        ssl = ""
        if tls is not None:
            cert, key = (self._own(p) for p in tls.write(self.root, "server"))
            ssl = f" -c ssl=on -c ssl_cert_file={cert} -c ssl_key_file={key}"
        self._run("initdb", "-D", str(self.data), "-U", "egov_admin", f"--pwfile={pwfile}",
                  "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                  "--no-locale", "--no-sync", "--no-instructions")
        pwfile.unlink()
        for attempt in range(3):
            port = free_port()
            # Throw-away data: durability settings off, so the tests are not
            # bound by fsync on a busy CI disk.
            options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {self.root} "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                       "-c max_connections=80 -c shared_buffers=16MB" + ssl)
            try:
                self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w",
                          "-t", str(START_TIMEOUT_S), "-o", options, "start",
                          timeout=START_TIMEOUT_S + 10)
            except RuntimeError:
                if attempt == 2:
                    raise
                continue  # the port was taken meanwhile: another one
            return sa.URL.create("postgresql+psycopg", username="egov_admin",
                                 password=superuser_password, host="127.0.0.1",
                                 port=port, database="postgres")
        raise AssertionError("unreachable")

    def stop(self) -> None:
        if not self.root.exists():
            return  # stopped already (the fixture's teardown, then atexit)
        try:
            if (self.data / "postmaster.pid").exists():
                try:
                    self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
                except (RuntimeError, subprocess.TimeoutExpired):
                    self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def postgres_server(tls: Issued | None = None) -> Iterator[PostgresServer]:
    """The session's server: the one named by $EGOV_AUDIT_TEST_POSTGRES_ADMIN,
    or a new local cluster (accepting TLS with ``tls``'s certificate); skips
    (or fails, see the module) without one."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("the PostgreSQL driver is missing (pip install 'psycopg[binary]')")
    password = PASSWORD_PREFIX + secrets.token_hex(8)
    external = os.environ.get(ADMIN_ENV)
    if external:
        url = sa.make_url(external)
        if url.host not in ("127.0.0.1", "::1", "localhost"):
            pytest.fail(f"{ADMIN_ENV} must name a loopback server", pytrace=False)
        server = PostgresServer(url, password)
        server.prepare_role()
        yield server
        return
    bindir = find_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        unavailable("PostgreSQL server binaries not found "
                    "(Debian: apt-get install postgresql)")
    cluster = LocalCluster(bindir)
    # pg_ctl leaves the server running on its own: should the fixture's
    # teardown never run, stop it when the test process ends anyway.
    atexit.register(cluster.stop)
    try:
        server = PostgresServer(cluster.start(secrets.token_hex(16), tls), password,
                                tls=tls is not None)
        server.prepare_role()
        yield server
    finally:
        cluster.stop()
