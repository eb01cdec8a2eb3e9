"""A run killed with SIGKILL resumes without re-auditing the targets it finished."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

from egov_audit.audit import build_request
from egov_audit.cli.run_cmd import run
from egov_audit.demo.server import Request, Response, html
from egov_audit.history import HistoryStore
from egov_audit.history.resume import begin, checkpoint, merge

from ..conftest import ServeFn
from ..factories import make_outcome, make_report

ROOT = Path(__file__).resolve().parents[2]


def test_checkpoints_survive_and_merge_in_configuration_order(history_location: str) -> None:
    # Given a plan of three targets, the first of which finished before a crash
    specs = [f"https://{n}.example.go.id/" for n in ("a", "b", "c")]
    request = build_request(specs, overrides={"checks": ("https.hsts_missing",)})
    with HistoryStore.open(history_location) as store:
        first = begin(store, request)
        assert not first.resumed
        a = make_outcome(request.targets[0])
        checkpoint(store, first.key, a)
        # When the same plan starts again
        again = begin(store, request)
        # Then it is the same pending run, with A finished and B, C to do
        assert again.key == first.key and again.started_at == first.started_at
        assert [t.spec for t in again.remaining(request.targets)] == specs[1:]
        assert again.finished[specs[0]] == a
        # And this session's outcomes merge back in the configuration's order
        session = make_report([make_outcome(t) for t in request.targets[:0:-1]])
        merged = merge(session, again, request.targets)
        assert [o.target.spec for o in merged.outcomes] == specs
        assert merged.run.started_at == first.started_at
        assert merged.extensions["resume"]["targets_reused"] == [specs[0]]
        # A different plan (another check selection) does not pick it up
        other = build_request(specs, overrides={"checks": ("https.unavailable",)})
        assert begin(store, other).key != first.key
        # And --fresh discards it
        assert not begin(store, request, fresh=True).resumed


def _pending(store: str) -> int:
    """Checkpoints in the store, read without creating or migrating it."""
    if "://" in store:
        engine = sa.create_engine(store)
    elif not Path(store).exists():
        return 0
    else:
        engine = sa.create_engine(f"sqlite:///{store}", connect_args={"timeout": 30})
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM pending_outcomes").scalar()
                       or 0)
    except (sa.exc.OperationalError, sa.exc.ProgrammingError):
        return 0  # not migrated yet (PostgreSQL: the table does not exist)
    finally:
        engine.dispose()


def test_a_run_killed_with_sigkill_resumes_without_reauditing_finished_targets(
        serve: ServeFn, ca_file: Path, tmp_path: Path, history_location: str) -> None:
    # Given three services audited one at a time; the third answers only once released
    release = threading.Event()

    def held(request: Request) -> Response:
        release.wait(60)
        return html("ok")

    a, b = serve({"/": html("ok")}, tls=True), serve({"/": html("ok")}, tls=True)
    c = serve({"/": held}, tls=True, fallback=held)
    cfg = tmp_path / "audit.toml"
    services = "".join(f'\n[[services]]\nname = "S{i}"\nopd = "Diskominfo"\n'
                       f'targets = ["{s.url("/")}"]\n' for i, s in enumerate((a, b, c)))
    cfg.write_text(f'[scan]\nchecks = ["https"]\nrate = 200\nworkers = 1\n'
                   f'target_deadline = 120\nca_bundle = "{ca_file}"\nfail_on = "none"\n'
                   + services)
    store = history_location  # SQLite, then PostgreSQL: the same behaviour end to end
    args = ["-c", str(cfg), "--history", store, "-o", str(tmp_path / "out"), "-q"]
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from egov_audit.cli.run_cmd import run; run()", *args],
            cwd=ROOT, env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # When the first two targets are checkpointed and the third is being audited
        limit = time.monotonic() + 180
        while _pending(store) < 2 or not c.requests:
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < limit, "the first two targets never finished"
            time.sleep(0.1)
        proc.kill()  # SIGKILL: no handler, no cleanup
        proc.wait(timeout=30)
        seen = (len(a.requests), len(b.requests), len(c.requests))
        # Then nothing was stored as a run, and the checkpoints remain
        with HistoryStore.open(store) as h:
            assert h.runs() == []
        release.set()
        # When the same configuration runs again
        result = CliRunner().invoke(run, args[:-1])
        assert result.exit_code == 0, result.output
        assert "2 of 3 target(s) already audited" in result.output
    finally:
        release.set()
    # Then the finished targets got no request at all, the third was audited
    assert (len(a.requests), len(b.requests)) == seen[:2]
    assert len(c.requests) > seen[2]
    # And one complete run holds all three targets; no checkpoint is left
    with HistoryStore.open(store) as h:
        [stored] = h.runs()
        assert stored.status == "complete" and stored.targets == 3
        report = h.load("last")
    assert sorted(report.extensions["resume"]["targets_reused"]) == sorted(
        [a.url("/"), b.url("/")])
    assert all(o.results for o in report.outcomes)
    assert _pending(store) == 0


def test_a_run_stopped_with_sigterm_is_stored_incomplete_then_resumed(
        serve: ServeFn, ca_file: Path, tmp_path: Path) -> None:
    release = threading.Event()

    def held(request: Request) -> Response:
        release.wait(60)
        return html("ok")

    a = serve({"/": html("ok")}, tls=True)
    c = serve({"/": held}, tls=True, fallback=held)
    cfg = tmp_path / "audit.toml"
    cfg.write_text(f'[scan]\nchecks = ["https"]\nrate = 200\nworkers = 1\n'
                   f'ca_bundle = "{ca_file}"\nfail_on = "none"\n'
                   f'[[services]]\nname = "A"\ntargets = ["{a.url("/")}"]\n'
                   f'[[services]]\nname = "C"\ntargets = ["{c.url("/")}"]\n')
    store = tmp_path / "history.sqlite"
    args = ["-c", str(cfg), "--history", str(store), "-o", str(tmp_path / "out"), "-q"]
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from egov_audit.cli.run_cmd import run; run()", *args],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        limit = time.monotonic() + 180
        while _pending(str(store)) < 1 or not c.requests:
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < limit
            time.sleep(0.1)
        proc.terminate()  # SIGTERM, as a scheduler stops a job
        # Then the partial result is written and stored, marked interrupted (exit 130)
        assert proc.wait(timeout=60) == 130
        with HistoryStore.open(str(store)) as h:
            assert [r.status for r in h.runs()] == ["interrupted"]
        seen = len(a.requests)
        release.set()
        assert CliRunner().invoke(run, args).exit_code == 0
    finally:
        release.set()
    assert len(a.requests) == seen
    with HistoryStore.open(str(store)) as h:
        assert [r.status for r in h.runs()] == ["complete", "interrupted"]
    assert _pending(str(store)) == 0
