"""Several processes storing runs in one store at once (SQLite and PostgreSQL):
nothing lost, nothing torn."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from egov_audit.history import HistoryStore

WRITER = """
import sys, time
from pathlib import Path
from egov_audit.history import HistoryStore
from tests.factories import make_finding, make_outcome, make_report, make_target

store_path, go, worker, runs = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
while not go.exists():  # start together, so the first opens race on the migration too
    time.sleep(0.01)
store = HistoryStore.open(store_path)
for n in range(runs):
    targets = [make_target(f"https://s{t}.example.go.id/", name=f"S{t}", opd="Diskominfo")
               for t in range(5)]
    outcomes = [make_outcome(t, [make_finding("https.hsts_missing", t.spec,
                                              id=f"{worker:02d}{n:02d}{t.host[1]}{i:02d}{'0' * 13}",
                                              location=f"{t.spec}#{i}")
                                 for i in range(20)]) for t in targets]
    store.record(make_report(outcomes, id=f"w{worker}-r{n}"), keep_runs=None)
store.close()
"""


def test_concurrent_writers_store_every_run_whole(history_location: str, tmp_path: Path,
                                                 ) -> None:
    # Given four processes that each store five runs (100 findings each) into
    # one new store, released at the same moment
    store_path, go = history_location, tmp_path / "go"
    root = Path(__file__).resolve().parents[2]
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(store_path), str(go),
                               str(w), "5"], cwd=root, stderr=subprocess.PIPE, text=True)
             for w in range(4)]
    time.sleep(0.5)
    go.touch()
    # When they all finish
    errors = [p.communicate(timeout=240)[1] for p in procs]
    # Then every one succeeded, and every run is there with all its rows
    assert [p.returncode for p in procs] == [0] * 4, errors
    with HistoryStore.open(str(store_path)) as store:
        runs = store.runs()
        assert sorted(r.run_id for r in runs) == sorted(
            f"w{w}-r{n}" for w in range(4) for n in range(5))
        assert {r.findings for r in runs} == {100}
        assert {len(store.load(r.run_id).findings) for r in runs} == {100}
        with store.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 1
