"""Where the history store lives, and opening it: engine, pragmas, migrations.

SQLite is the default (one file in the user data directory, or the path in
``[history] path``); a PostgreSQL URL (``[history] url``, ``postgresql://…``)
serves a shared deployment with the same code. Both are tested; other
SQLAlchemy URLs are passed through untested.

SQLite settings, and why:

* WAL journal: readers never block the writer, and a crash mid-write leaves
  the last committed run intact;
* a busy timeout: concurrent runs (two cron jobs, a CI matrix) wait for the
  write lock instead of failing with "database is locked";
* write transactions begin ``IMMEDIATE``: a run takes the write lock before
  it reads anything, so two writers never deadlock upgrading a read lock;
* foreign keys on, so removing a run removes its rows.

PostgreSQL settings, and why (docs/scheduled-audits.md, "A shared store on
PostgreSQL"):

* ``postgresql://`` means psycopg 3, the driver the ``postgresql`` extra
  installs (SQLAlchemy alone would pick psycopg2);
* a write transaction first takes the store's advisory lock, the
  counterpart of SQLite's ``BEGIN IMMEDIATE``: writers queue one at a time,
  so the store's read-then-write steps (is this run already stored? which
  runs fall out of retention? is a run of this plan pending?) hold as they do
  on SQLite, and a run's ``seq`` follows the order runs were committed.
  Readers never wait for it. Writes are a few short transactions per run;
* a lock wait gives up after the same 60 s as SQLite's busy timeout, and a
  connection attempt after 15 s (libpq would wait for a silent server until
  TCP gives up), unless the URL says otherwise;
* ``application_name=egov-audit``, so an administrator can tell our sessions
  apart in ``pg_stat_activity``.

A URL's password never reaches a message: errors quote
:func:`display_location` and :func:`scrub`.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event

from ..errors import InputError

ENV_VAR = "EGOV_AUDIT_HISTORY"
DEFAULT_NAME = "history.sqlite"
BUSY_TIMEOUT_S = 60.0
CONNECT_TIMEOUT_S = 15
# Execution option that makes a transaction take the store's write lock at BEGIN.
WRITE = {"egov_audit_write": True}
# The key of that lock on PostgreSQL (advisory locks are per database, so two
# stores on one server do not share it).
PG_WRITE_LOCK = 1684369256


class HistoryError(InputError):
    """The history store cannot be opened, or a run reference names no stored run."""


def default_location() -> str:
    """``$EGOV_AUDIT_HISTORY``, else ``history.sqlite`` in the user data directory
    (the same directory that holds the redaction salt)."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        return explicit
    from platformdirs import user_data_path

    return str(user_data_path("egov-audit", appauthor=False) / DEFAULT_NAME)


def location_from_config(section: Any, config_path: str | None = None) -> str:
    """The store named by a ``[history]`` table (``url`` or ``path``; a relative
    path is relative to the configuration file), else the default."""
    if section is None:
        return default_location()
    if not isinstance(section, dict):
        raise InputError("history must be a table", source=config_path, expected="[history]",
                         key=("history",))
    url, path = section.get("url"), section.get("path")
    if url is not None and path is not None:
        raise InputError("history has both url and path", source=config_path,
                         expected="one of history.url or history.path", key=("history", "url"))
    for key, value in (("url", url), ("path", path)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise InputError(f"history.{key} must be a non-empty string", source=config_path,
                             expected="a string", key=("history", key))
    if url is not None:
        return str(url)
    if path is not None:
        p = Path(os.path.expanduser(str(path)))
        if not p.is_absolute() and config_path:
            p = Path(config_path).parent / p
        return str(p)
    return default_location()


def keep_runs_from_config(section: Any, config_path: str | None = None) -> int | None:
    """``[history] keep_runs``: how many runs to keep (None keeps every run)."""
    if not isinstance(section, dict) or section.get("keep_runs") is None:
        return None
    value = section["keep_runs"]
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InputError("history.keep_runs must be a whole number of runs, at least 1",
                         source=config_path, expected="e.g. keep_runs = 104",
                         key=("history", "keep_runs"))
    return value


def make_engine(location: str) -> sa.Engine:
    """An engine for a URL (``scheme://…``) or a SQLite file path."""
    if "://" in location:
        try:
            url = sa.make_url(location)
        except sa.exc.ArgumentError:
            # The message would quote nothing useful; the location is redacted.
            raise HistoryError("not a database URL", source=display_location(location),
                               expected="a SQLite path or postgresql://USER@HOST:PORT/DB"
                               ) from None
    else:
        path = Path(location)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(f"cannot create the history directory: {exc.strerror or exc}",
                               source=path.parent) from None
        url = sa.URL.create("sqlite", database=str(path))
    backend = url.get_backend_name()
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    try:
        if backend == "sqlite":
            engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        else:
            engine = sa.create_engine(url, pool_pre_ping=True,
                                      connect_args=_connect_defaults(url))
    except ImportError as exc:
        raise HistoryError(f"the database driver {exc.name or url.get_driver_name()!r} is "
                           "not installed", source=display_location(location),
                           expected="pip install 'psycopg[binary]' for PostgreSQL") from None
    except sa.exc.ArgumentError:  # an unknown scheme (NoSuchModuleError)
        raise HistoryError(f"unknown kind of database {url.drivername!r}",
                           source=display_location(location),
                           expected="a SQLite path or a postgresql:// URL") from None
    if backend == "sqlite":
        _sqlite_settings(engine)
    elif backend == "postgresql":
        _postgresql_settings(engine)
    return engine


def _connect_defaults(url: sa.URL) -> dict[str, Any]:
    """libpq options the URL may override (query parameters win)."""
    if url.get_driver_name() not in ("psycopg", "psycopg2"):  # the libpq drivers
        return {}
    defaults: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S,
                                "application_name": "egov-audit"}
    return {k: v for k, v in defaults.items() if k not in url.query}


def _sqlite_settings(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling would BEGIN lazily (and not
        # before DDL); we emit BEGIN ourselves in _on_begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get("egov_audit_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _postgresql_settings(engine: sa.Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get("egov_audit_write", False):
            # SET LOCAL: both end with the transaction, so a pooled connection
            # carries nothing over.
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")


def migrate(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default), under the write
    lock, so that two processes opening a new store at once do not both create it."""
    from alembic import command
    from alembic.config import Config

    with resources.as_file(resources.files("egov_audit.history.migrations")) as where:
        config = Config()
        config.set_main_option("script_location", str(where))
        with engine.connect().execution_options(**WRITE) as conn, conn.begin():
            config.attributes["connection"] = conn
            command.upgrade(config, revision)


def configured_store(config_path: str | None, override: str | None = None,
                     ) -> tuple[str, int | None]:
    """Where the store is and how many runs it keeps, for a configuration file
    (its ``[history]`` table) and an explicit location that wins over it."""
    section = None
    if config_path:
        from ..config import load_config

        section = load_config(config_path).sections.get("history")
    keep = keep_runs_from_config(section, config_path)
    return (override or location_from_config(section, config_path)), keep


def display_location(location: str) -> str:
    """The location as it may be printed: a database URL without its password."""
    if "://" not in location:
        return location
    try:
        return sa.make_url(location).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(unparseable database URL)"


def scrub(text: str, location: str) -> str:
    """``text`` (a driver's message) with the location's password masked, raw
    and percent-encoded, and the location itself shown as it may be printed."""
    if "://" not in location:
        return text
    text = text.replace(location, display_location(location))
    try:
        password = sa.make_url(location).password
    except sa.exc.ArgumentError:
        return text
    if password:
        for form in {str(password), quote(str(password), safe="")}:
            text = text.replace(form, "***")
    return text
