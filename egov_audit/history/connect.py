"""Where the history store lives, and opening it: engine, pragmas, migrations.

SQLite is the default (one file in the user data directory, or the path in
``[history] path``); any SQLAlchemy URL (``[history] url``, e.g.
``postgresql+psycopg://…``) serves a shared deployment with the same code.

SQLite settings, and why:

* WAL journal: readers never block the writer, and a crash mid-write leaves
  the last committed run intact;
* a busy timeout: concurrent runs (two cron jobs, a CI matrix) wait for the
  write lock instead of failing with "database is locked";
* write transactions begin ``IMMEDIATE``: a run takes the write lock before
  it reads anything, so two writers never deadlock upgrading a read lock;
* foreign keys on, so removing a run removes its rows.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from ..errors import InputError

ENV_VAR = "EGOV_AUDIT_HISTORY"
DEFAULT_NAME = "history.sqlite"
BUSY_TIMEOUT_S = 60.0
# Execution option that makes a SQLite transaction take the write lock at BEGIN.
WRITE = {"egov_audit_write": True}


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
        except sa.exc.ArgumentError as exc:
            raise HistoryError(f"not a database URL: {exc}") from None
    else:
        path = Path(location)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(f"cannot create the history directory: {exc.strerror or exc}",
                               source=path.parent) from None
        url = sa.URL.create("sqlite", database=str(path))
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
    _sqlite_settings(engine)
    return engine


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


def migrate(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default), under the write
    lock, so that two processes opening a new store at once do not both create it."""
    from alembic import command
    from alembic.config import Config

    with resources.as_file(resources.files("egov_audit.history.migrations")) as where:
        config = Config()
        config.set_main_option("script_location", str(where))
        with engine.connect().execution_options(**WRITE) as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                # The same guarantee on a shared server: one migrator at a time.
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(1684369256)")
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
