"""A seeded history store and the dashboard app over it (Flask's WSGI test client:
the real app, every layer, without a socket)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from egov_audit.dashboard import Settings, create_app
from egov_audit.dashboard.auth import add_user
from egov_audit.history import HistoryStore

from .helpers import seeded_store

LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}
PASSWORD = "correct horse battery"


@pytest.fixture
def history(tmp_path: Path) -> str:
    return seeded_store(tmp_path)


@pytest.fixture
def app(history: str, tmp_path: Path) -> Iterator[Flask]:
    application = create_app(Settings(history=history, reports=tmp_path / "reports"))
    yield application
    application.extensions["egov_store"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def add_account(history: str, name: str, role: str, opd: str | None = None) -> None:
    with HistoryStore.open(history) as store:
        add_user(store.engine, name, PASSWORD, role, opd)


def csrf_of(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the form on ``path``, as a browser would read it."""
    import re

    page = client.get(path, environ_base=LOOPBACK).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def sign_in(client: FlaskClient, name: str, password: str = PASSWORD) -> int:
    token = csrf_of(client)
    response = client.post("/login", data={"name": name, "password": password,
                                           "csrf_token": token}, environ_base=LOOPBACK)
    return response.status_code
