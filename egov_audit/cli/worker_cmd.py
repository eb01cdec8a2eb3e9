"""``egov-audit worker``: a Celery worker that audits targets sent by ``scan``/``run``."""

from __future__ import annotations

import click

from .common import handle_errors


@click.command()
@click.option("--broker", required=True, metavar="URL",
              help="Redis broker: redis://[:PASSWORD@]HOST:PORT/DB, rediss:// for TLS. "
                   "Better given in $EGOV_AUDIT_BROKER, so the password is not in ps.",
              envvar="EGOV_AUDIT_BROKER")
@click.option("-P", "--pool", type=click.Choice(["threads", "prefork"]), default="threads",
              show_default=True,
              help="threads: one process audits --concurrency targets at once (the work is "
                   "mostly waiting on the network and on politeness, as in a local run); "
                   "prefork: one process per target (a crash costs one target, memory costs more).")
@click.option("-c", "--concurrency", type=click.IntRange(min=1), default=None,
              help="Targets audited at once (default: 16 threads, or one process per CPU).")
@click.option("-Q", "--queues", default="egov-audit", show_default=True,
              help="Comma-separated queues to take targets from.")
@click.option("--visibility-timeout", type=click.FloatRange(min=10), default=None,
              help="Seconds before an unacknowledged target goes to another worker "
                   "(default 600). Must exceed the target deadline plus 30 s.")
@click.option("-n", "--hostname", default=None, help="Worker name (default celery@HOST).")
@click.option("--loglevel", default="WARNING", show_default=True)
@handle_errors
def worker(broker: str, pool: str, concurrency: int | None, queues: str,
           visibility_timeout: float | None, hostname: str | None, loglevel: str) -> None:
    """Run a worker that audits targets for `scan --executor celery`.

    Start as many as you like, on as many machines, against one Redis; see
    docs/distributed.md. Give every worker the runner's EGOV_AUDIT_SALT and
    the same egov-audit version and plugins, or its targets end as errors
    saying so.
    """
    from ..distributed.app import make_app, register_job
    from ..distributed.settings import DEFAULT_VISIBILITY_TIMEOUT, check_broker_url

    check_broker_url(broker)
    first = queues.split(",")[0].strip()
    app = make_app(broker, visibility_timeout=visibility_timeout or DEFAULT_VISIBILITY_TIMEOUT,
                   queue=first)
    register_job(app)
    if concurrency is None and pool == "threads":
        concurrency = 16  # as many targets as the local executor runs at once
    argv = ["worker", f"--pool={pool}", f"--queues={queues}", f"--loglevel={loglevel}",
            "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    if hostname:
        argv.append(f"--hostname={hostname}")
    app.worker_main(argv)
