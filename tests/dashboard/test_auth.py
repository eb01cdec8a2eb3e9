"""Accounts: hashed passwords, sessions, CSRF, throttled sign-in, roles and scope."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner
from flask.testing import FlaskClient

from egov_audit.cli.serve_cmd import serve
from egov_audit.dashboard.tables import USERS
from egov_audit.history import HistoryStore

from .conftest import LOOPBACK, PASSWORD, add_account, csrf_of, sign_in
from .helpers import CSP, ENV, HSTS, RUN_1, RUN_2


def test_with_accounts_every_page_needs_a_session(client: FlaskClient, history: str) -> None:
    add_account(history, "siti", "officer")
    response = client.get(f"/findings/{ENV.id}", environ_base=LOOPBACK)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert sign_in(client, "siti") == 302
    assert client.get(f"/findings/{ENV.id}", environ_base=LOOPBACK).status_code == 200


def test_passwords_are_stored_as_argon2id_hashes_only(history: str) -> None:
    add_account(history, "siti", "officer")
    with HistoryStore.open(history) as store, store.engine.connect() as conn:
        stored = conn.execute(sa.select(USERS.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_the_session_cookie_is_secure_httponly_and_samesite(client: FlaskClient,
                                                            history: str) -> None:
    add_account(history, "siti", "officer")
    token = csrf_of(client)
    response = client.post("/login", data={"name": "siti", "password": PASSWORD,
                                           "csrf_token": token}, environ_base=LOOPBACK)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_a_form_without_the_csrf_token_is_refused(client: FlaskClient, history: str) -> None:
    add_account(history, "siti", "officer")
    csrf_of(client)  # the session has a token; the forged form does not carry it
    forged = client.post("/login", data={"name": "siti", "password": PASSWORD},
                         environ_base=LOOPBACK)
    wrong = client.post("/login", data={"name": "siti", "password": PASSWORD,
                                        "csrf_token": "x" * 43}, environ_base=LOOPBACK)
    assert forged.status_code == 400 and wrong.status_code == 400
    assert sign_in(client, "siti") == 302
    # Signing out is a form too
    assert client.post("/logout", environ_base=LOOPBACK).status_code == 400
    assert client.get("/", environ_base=LOOPBACK).status_code == 200


def test_logout_ends_the_session(client: FlaskClient, history: str) -> None:
    add_account(history, "siti", "officer")
    sign_in(client, "siti")
    token = csrf_of(client, "/")
    assert client.post("/logout", data={"csrf_token": token},
                       environ_base=LOOPBACK).status_code == 302
    assert client.get("/", environ_base=LOOPBACK).status_code == 302


def test_sign_in_is_throttled_after_five_failures(client: FlaskClient, history: str) -> None:
    add_account(history, "siti", "officer")
    codes = [sign_in(client, "siti", "wrong password!") for _ in range(5)]
    assert codes == [401] * 5
    # The sixth try is refused even with the right password, and says when to retry
    token = csrf_of(client)
    blocked = client.post("/login", data={"name": "siti", "password": PASSWORD,
                                          "csrf_token": token}, environ_base=LOOPBACK)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0


def test_an_unknown_name_and_a_wrong_password_look_the_same(client: FlaskClient,
                                                            history: str) -> None:
    add_account(history, "siti", "officer")
    assert sign_in(client, "nobody", PASSWORD) == sign_in(client, "siti", "wrong password!")


def test_sign_in_never_redirects_off_site(client: FlaskClient, history: str) -> None:
    add_account(history, "siti", "officer")
    token = csrf_of(client)
    response = client.post("/login?next=//evil.invalid/x", environ_base=LOOPBACK,
                           data={"name": "siti", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_a_viewer_sees_only_its_unit_also_by_direct_url(client: FlaskClient,
                                                        history: str) -> None:
    add_account(history, "budi", "viewer", "Diskominfo")
    assert sign_in(client, "budi") == 302
    home = client.get("/", environ_base=LOOPBACK).get_data(as_text=True)
    assert "Portal" in home and "Klinik Online" not in home and "Dinas Kesehatan" not in home
    forbidden = ["/unit?opd=Dinas+Kesehatan", "/service?opd=Dinas+Kesehatan&name=Klinik+Online",
                 f"/findings/{ENV.id}", f"/findings/{CSP.id}", f"/runs/{RUN_2}/result.json",
                 f"/runs/{RUN_2}/files/result.json"]
    for path in forbidden:
        assert client.get(path, environ_base=LOOPBACK).status_code == 404, path
    assert client.get(f"/findings/{HSTS.id}", environ_base=LOOPBACK).status_code == 200
    diff = client.get(f"/diff?base={RUN_1}&current={RUN_2}",
                      environ_base=LOOPBACK).get_data(as_text=True)
    assert ENV.id not in diff and HSTS.id in diff
    matrix = client.get("/compliance", environ_base=LOOPBACK).get_data(as_text=True)
    assert "Klinik Online" not in matrix and "Portal" in matrix
    # Its unit's run page, counted for its unit only, without the run's artifacts
    run = client.get(f"/runs/{RUN_1}", environ_base=LOOPBACK).get_data(as_text=True)
    assert "Signed artifacts" not in run and "result.json" not in run
    assert 'sev-critical">' not in run  # the critical .env finding is another unit's


def test_a_viewer_of_a_unit_never_audited_sees_no_run(client: FlaskClient,
                                                      history: str) -> None:
    add_account(history, "ani", "viewer", "Dinas Pariwisata")
    sign_in(client, "ani")
    assert client.get(f"/runs/{RUN_2}", environ_base=LOOPBACK).status_code == 404
    assert RUN_2[:8] not in client.get("/runs", environ_base=LOOPBACK).get_data(as_text=True)


def test_the_cli_adds_users_and_refuses_a_public_address_without_them(history: str) -> None:
    runner = CliRunner()
    refused = runner.invoke(serve, ["--history", history, "--host", "0.0.0.0", "--port", "0"])
    assert refused.exit_code == 2 and "no accounts" in refused.output
    added = runner.invoke(serve, ["--history", history, "--add-user", "budi", "--role",
                                  "viewer", "--opd", "Diskominfo", "--password-stdin"],
                          input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    short = runner.invoke(serve, ["--history", history, "--add-user", "x", "--role",
                                  "officer", "--password-stdin"], input="short\n")
    assert short.exit_code == 2
    viewer_without_unit = runner.invoke(serve, ["--history", history, "--add-user", "y",
                                                "--password-stdin"], input=PASSWORD + "\n")
    assert viewer_without_unit.exit_code == 2


def test_the_users_table_comes_from_migration_0003(history: str) -> None:
    with HistoryStore.open(history) as store, store.engine.connect() as conn:
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        columns = {c["name"] for c in sa.inspect(conn).get_columns("dashboard_users")}
    assert version == "0003"
    assert columns == {c.name for c in USERS.columns}
