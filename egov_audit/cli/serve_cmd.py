"""egov-audit serve: the officers' dashboard over the history store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError
from .common import handle_errors
from .history_cmd import history_options
from .terminal import clean


@click.command("serve")
@history_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Any address but loopback needs accounts "
              "(--add-user) first.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option("--reports", "reports", type=click.Path(file_okay=False, path_type=Path),
              default=Path("egov-audit-reports"), show_default=True,
              help="Where 'egov-audit run' wrote the report directories (its -o).")
@click.option("--pubkey", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Public key to verify the runs' signed artifacts with.")
@click.option("--behind-tls-proxy", "proxied", is_flag=True,
              help="A TLS-terminating reverse proxy is in front: trust its "
              "X-Forwarded-For/-Proto, send HSTS, use a __Host- session cookie.")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True)
@click.option("--add-user", "add_user", metavar="NAME",
              help="Create (or reset) an account and exit; the password is asked for "
              "(or read from standard input with --password-stdin).")
@click.option("--role", type=click.Choice(["viewer", "officer"]), default="viewer",
              show_default=True, help="With --add-user: viewer sees one unit, officer all.")
@click.option("--opd", help="With --add-user --role viewer: the unit the viewer sees.")
@click.option("--password-stdin", is_flag=True, help="With --add-user: read the password "
              "from the first line of standard input.")
@handle_errors
def serve(history: str | None, config_path: str | None, host: str, port: int,
          reports: Path, pubkey: Path | None, proxied: bool, threads: int,
          add_user: str | None, role: str, opd: str | None, password_stdin: bool) -> None:
    """The dashboard: overview per OPD and service, runs, diffs, findings,
    compliance, signed artifacts. Read-only; listens on 127.0.0.1 unless told
    otherwise, and on another address only once accounts exist.

    \b
    egov-audit serve --add-user siti --role officer
    egov-audit serve --add-user budi --role viewer --opd "Dinas Kesehatan"
    egov-audit serve --history /srv/egov-audit/history.sqlite --pubkey signing-key.pub
    """
    from ..history import HistoryStore, configured_store, display_location

    _require_extra()
    location, _keep = configured_store(config_path, history)
    if add_user is not None:
        _add_user(location, add_user, role, opd, password_stdin)
        return
    from ..dashboard import Settings, create_app
    from ..dashboard.app import is_loopback
    from ..dashboard.auth import has_users

    with HistoryStore.open(location) as store:
        accounts = has_users(store.engine)
    if not is_loopback(host) and not accounts:
        raise InputError(f"refusing to listen on {host}: the dashboard has no accounts, so "
                         "anyone who reaches it could read every finding",
                         expected="create one first: egov-audit serve --add-user NAME "
                         "--role officer")
    app = create_app(Settings(history=location, reports=reports, pubkey=pubkey,
                              tls=proxied, proxies=1 if proxied else 0))
    from waitress.server import create_server

    # ident="": no Server header, no version in error pages.
    server = create_server(app, host=host, port=port, threads=threads, ident="")
    bound = getattr(server, "effective_port", port)  # the real port when --port 0
    click.echo(f"serving {clean(display_location(location))} on http://{clean(host)}:{bound}/ "
               f"({'accounts required' if accounts else 'read-only, loopback only'})",
               err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _require_extra() -> None:
    """The dashboard's packages are an optional extra: say so, not a traceback."""
    import importlib.util

    missing = [m for m in ("flask", "argon2", "waitress") if importlib.util.find_spec(m) is None]
    if missing:
        raise InputError(f"the dashboard needs {', '.join(missing)}, which are not installed",
                         expected="pip install 'egov-audit[dashboard]'")


def _add_user(location: str, name: str, role: str, opd: str | None, from_stdin: bool) -> None:
    from ..dashboard.auth import add_user
    from ..history import HistoryStore

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True,
                                err=True)
    with HistoryStore.open(location) as store:
        user = add_user(store.engine, name, password, role, opd)
    scope = f"unit {user.opd}" if user.opd else "every unit"
    click.echo(f"account {clean(user.name)} ({user.role}, {clean(scope)}) saved", err=True)
