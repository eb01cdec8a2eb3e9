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


SAME_RUN = """
import sys, time
from pathlib import Path
from egov_audit.history import HistoryError, HistoryStore
from tests.history.helpers import three_weeks

store_path, go, ready = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
store = HistoryStore.open(store_path)
ready.touch()
while not go.exists():
    time.sleep(0.01)
try:
    store.record(three_weeks()[0])
    print("stored")
except HistoryError as exc:
    print("refused:", exc)
store.close()
"""


def test_racing_writers_of_the_same_run_store_it_once_and_the_others_are_told(
        history_location: str, tmp_path: Path) -> None:
    # Given four processes about to store the same run at the same moment (a
    # result added twice by two officers): on SQLite the write lock queues them;
    # on PostgreSQL the advisory lock must do the same, or the "already
    # stored?" check of each would pass before any insert is committed
    go = tmp_path / "go"
    root = Path(__file__).resolve().parents[2]
    HistoryStore.open(history_location).close()  # migrated; the race is on the run
    ready = [tmp_path / f"ready-{n}" for n in range(4)]
    procs = [subprocess.Popen([sys.executable, "-c", SAME_RUN, history_location, str(go),
                               str(flag)], cwd=root, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for flag in ready]
    limit = time.monotonic() + 120
    while not all(flag.exists() for flag in ready):  # every one has its store open
        assert time.monotonic() < limit and all(p.poll() is None for p in procs)
        time.sleep(0.05)
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    # Then exactly one stored it, the others were told it is already stored
    assert [p.returncode for p in procs] == [0] * 4, [err for _out, err in outputs]
    said = sorted(out.split(":")[0].strip() for out, _err in outputs)
    assert said == ["refused", "refused", "refused", "stored"], outputs
    assert all("already stored" in out for out, _err in outputs if out.startswith("refused"))
    with HistoryStore.open(history_location) as store:
        assert len(store.runs()) == 1
