"""Moving a history from the embedded SQLite file to a shared store."""

from __future__ import annotations

from pathlib import Path

from egov_audit.history import HistoryStore
from egov_audit.history.transfer import copy_runs
from egov_audit.result_io import report_to_dict

from .helpers import three_weeks


def test_a_sqlite_history_is_copied_whole_and_a_second_copy_adds_nothing(
        tmp_path: Path, history_location: str) -> None:
    # Given three weekly runs in a SQLite file, the last one signed
    weeks = three_weeks()
    with HistoryStore.open(str(tmp_path / "old.sqlite")) as old:
        for n, report in enumerate(weeks):
            old.record(report, signed_sha256="f" * 64 if n == 2 else None)
        # When they are copied into a new store (SQLite, then PostgreSQL), twice
        with HistoryStore.open(history_location) as new:
            first = copy_runs(old, new)
            again = copy_runs(old, new)
            # Then every run is there, in the same order, with the same counts,
            # signatures, results and history of finding ids
            assert first.copied == tuple(r.run.id for r in weeks) and not first.skipped
            assert not again.copied and len(again.skipped) == 3
            assert [(r.run_id, r.counts, r.signed_sha256) for r in new.runs()] == \
                [(r.run_id, r.counts, r.signed_sha256) for r in old.runs()]
            for report in weeks:
                assert report_to_dict(new.load(report.run.id)) == report_to_dict(report)
            assert new.finding_ids_before("last") == old.finding_ids_before("last")


def test_the_cli_copies_a_history_and_never_prints_the_password(
        tmp_path: Path, history_location: str) -> None:
    from click.testing import CliRunner

    from egov_audit.cli import main

    # Given two runs in a SQLite file
    old = tmp_path / "old.sqlite"
    weeks = three_weeks()[:2]
    with HistoryStore.open(str(old)) as store:
        for report in weeks:
            store.record(report)
    # When `history --copy-to` names the new store, twice
    runner = CliRunner()
    first = runner.invoke(main, ["history", "--history", str(old), "--copy-to", history_location])
    again = runner.invoke(main, ["history", "--history", str(old), "--copy-to", history_location])
    # Then both succeed, say what they did, and the runs are in the new store
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert "copied 2 run(s)" in first.output and "0 already there" in first.output
    assert "copied 0 run(s)" in again.output and "2 already there" in again.output
    with HistoryStore.open(history_location) as new:
        assert [r.run_id for r in new.runs()] == [r.run.id for r in reversed(weeks)]
    # and a URL's password appears nowhere in what was printed
    if "://" in history_location:
        from sqlalchemy.engine import make_url

        password = make_url(history_location).password
        assert password and password not in first.output + again.output
