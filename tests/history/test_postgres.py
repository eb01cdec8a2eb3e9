"""What is particular to a history store on a PostgreSQL server.

The store's behaviour runs on both backends (``history_location`` in
conftest.py). Here: which driver a URL means, a server that never answers,
``run`` and ``history`` end to end, and the password that must never be shown.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from egov_audit.cli.history_cmd import history
from egov_audit.cli.run_cmd import run
from egov_audit.demo.pki import CertificateAuthority
from egov_audit.demo.server import html
from egov_audit.history import HistoryError, HistoryStore
from egov_audit.history import connect as history_connect
from egov_audit.history.connect import make_engine

from ..conftest import ServeFn
from ..rawserver import RawServer, wait_closed
from .helpers import three_weeks
from .postgres import PostgresServer, free_port

pytest.importorskip("psycopg")


def assert_hidden(password: str, text: str) -> None:
    """Neither the password nor its percent-encoded form is in ``text``."""
    assert password not in text
    assert quote(password, safe="") not in text


def test_a_postgresql_url_without_a_driver_means_psycopg_3() -> None:
    # Given the URL form libpq and every PostgreSQL manual use
    engine = make_engine("postgresql://audit@127.0.0.1:1/history")
    # Then the driver is psycopg 3 (the one the extra installs), not psycopg2
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql+pg8000://audit:Hunter2-x@127.0.0.1:1/h", "driver 'pg8000' is not installed"),
    ("nosuchdb://audit:Hunter2-x@127.0.0.1:1/h", "unknown kind of database 'nosuchdb'"),
])
def test_a_url_without_its_driver_is_an_input_error_without_the_password(
        url: str, message: str) -> None:
    with pytest.raises(HistoryError, match=message) as err:
        make_engine(url)
    assert_hidden("Hunter2-x", str(err.value))
    assert "audit:***@127.0.0.1" in str(err.value)


def test_a_server_that_never_answers_is_given_up_after_the_connect_timeout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a "database" that accepts the connection and then says nothing
    # (libpq alone would wait for it until TCP gives up)
    monkeypatch.setattr(history_connect, "CONNECT_TIMEOUT_S", 2)
    outcome: list[BaseException | None] = []

    def open_store(url: str) -> None:
        try:
            HistoryStore.open(url).close()
            outcome.append(None)
        except BaseException as exc:  # any failure is handed to the test thread
            outcome.append(exc)

    with RawServer(wait_closed) as silent:
        opener = threading.Thread(target=open_store, daemon=True, args=(
            f"postgresql://audit:Hunter2-x@127.0.0.1:{silent.port}/history",))
        opener.start()
        # When the store is opened, then it gives up with the 2 s default (generous bound)
        opener.join(60)
        assert not opener.is_alive(), "still waiting for a silent server"
    [error] = outcome
    assert isinstance(error, HistoryError) and "cannot open the history store" in str(error)
    assert_hidden("Hunter2-x", str(error))


def test_no_error_message_or_log_record_shows_the_password(
        postgres: PostgresServer, postgres_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # whatever SQLAlchemy and psycopg log, too
    database = sa.make_url(postgres_url).database or ""
    right = postgres.password
    wrong = right + "-wrong"
    failures = {
        "wrong password": postgres.url(database, password=wrong),
        "nothing listening": postgres.url(database).replace(
            f":{sa.make_url(postgres_url).port}/", f":{free_port()}/"),
        "no such database": postgres.url("no_such_database"),
    }
    for case, url in failures.items():
        # When the store cannot be opened, the library's error ...
        with pytest.raises(HistoryError, match="cannot open the history store") as err:
            HistoryStore.open(url)
        assert "***@127.0.0.1" in str(err.value), case
        # ... and the command's output name the store without the password
        result = CliRunner().invoke(history, ["--history", url])
        assert result.exit_code == 2, (case, result.output)
        for text in (str(err.value), result.output):
            assert_hidden(right, text)
            assert_hidden(wrong, text)
    # And a store that works logs nothing that shows it either
    with HistoryStore.open(postgres_url) as store:
        store.record(three_weeks()[0])
    assert caplog.records, "nothing was logged: the check would prove nothing"
    assert_hidden(right, caplog.text)
    assert_hidden(wrong, caplog.text)


def test_run_and_history_commands_store_and_list_on_postgresql(
        serve: ServeFn, ca_file: Path, tmp_path: Path, postgres: PostgresServer,
        postgres_url: str) -> None:
    # Given a configuration of one loopback service whose history is on PostgreSQL
    site = serve({"/": html("ok")}, tls=True)
    cfg = tmp_path / "audit.toml"
    cfg.write_text(f'[scan]\nchecks = ["https"]\nrate = 200\nfail_on = "none"\n'
                   f'ca_bundle = "{ca_file}"\n'
                   f'[history]\nurl = "{postgres_url}"\nkeep_runs = 1\n'
                   f'[[services]]\nname = "Portal"\nopd = "Diskominfo"\n'
                   f'targets = ["{site.url("/")}"]\n')
    # When it runs twice (configured store) and the history is listed (--history)
    outputs = []
    for _ in range(2):
        result = CliRunner().invoke(run, ["-c", str(cfg), "-o", str(tmp_path / "out")])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    listed = CliRunner().invoke(history, ["--history", postgres_url, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    # Then the second run is stored, the first dropped by retention, and the
    # run's own audit read the store (it compared with the first run)
    [only] = json.loads(listed.output)
    assert only["status"] == "complete"
    with HistoryStore.open(postgres_url) as store:
        assert [r.run_id for r in store.runs()] == [only["run_id"]]
        assert store.load("last").extensions["history"]["previous_run"] != only["run_id"]
    # And the commands named the store without its password
    assert all("stored run" in out and "egov_audit:***@127.0.0.1" in out for out in outputs)
    for text in (*outputs, listed.output):
        assert_hidden(postgres.password, text)


def test_a_verify_full_url_talks_tls_to_the_server_its_ca_vouches_for(
        postgres: PostgresServer, postgres_url: str, ca_file: Path, tmp_path: Path) -> None:
    if not postgres.tls:
        pytest.skip("the PostgreSQL server in use does not offer TLS")
    # Given the URL the operations guide gives: verify the server against our CA
    verified = f"{postgres_url}?sslmode=verify-full&sslrootcert={ca_file}"
    # When the store is opened and written through it
    with HistoryStore.open(verified) as store:
        store.record(three_weeks()[0])
        with store.engine.connect() as conn:
            # Then the session is encrypted
            assert conn.exec_driver_sql(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").scalar() is True
    # And a server that another CA vouches for is refused, naming the reason
    # and not the password
    other = CertificateAuthority.create("Some Other CA").write_cert(tmp_path / "other.pem")
    with pytest.raises(HistoryError, match="certificate verify failed") as err:
        HistoryStore.open(f"{postgres_url}?sslmode=verify-full&sslrootcert={other}")
    assert_hidden(postgres.password, str(err.value))


def test_without_the_server_binaries_the_tests_skip_locally_and_fail_in_ci(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from . import postgres as harness

    monkeypatch.delenv(harness.ADMIN_ENV, raising=False)
    monkeypatch.setattr(harness, "find_bindir", lambda: None)
    monkeypatch.delenv(harness.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install postgresql"), \
            harness.postgres_server():
        pass
    monkeypatch.setenv(harness.REQUIRE_ENV, "1")  # as .ci/run sets it
    with pytest.raises(pytest.fail.Exception, match="EGOV_AUDIT_REQUIRE_POSTGRES=1"), \
            harness.postgres_server():
        pass


def test_the_password_may_stay_out_of_the_url_in_a_pgpass_file(
        postgres: PostgresServer, postgres_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a URL without a password and the password in a libpq password file
    # (as the docs advise, so it is neither in the configuration nor in `ps`)
    url = sa.make_url(postgres_url)
    pgpass = tmp_path / "pgpass"
    escaped = postgres.password.replace("\\", "\\\\").replace(":", "\\:")
    pgpass.write_text(f"{url.host}:{url.port}:{url.database}:{url.username}:{escaped}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    bare = sa.URL.create(url.drivername, username=url.username, host=url.host,
                         port=url.port, database=url.database,
                         ).render_as_string(hide_password=False)
    assert "@" in bare and ":" not in bare.split("//", 1)[1].split("@", 1)[0]
    # When egov-audit opens it, then the store works
    with HistoryStore.open(bare) as store:
        store.record(three_weeks()[0])
        assert len(store.runs()) == 1
