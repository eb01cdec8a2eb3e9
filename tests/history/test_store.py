"""The history store: what a stored run gives back, references, retention, trends."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

import egov_audit.dashboard.tables  # noqa: F401  (its tables share the store's metadata)
from egov_audit.errors import InputError
from egov_audit.history import (
    HistoryError,
    HistoryStore,
    keep_runs_from_config,
    location_from_config,
)
from egov_audit.history.schema import METADATA
from egov_audit.model import Status, TargetStatus
from egov_audit.result_io import report_to_dict

from ..factories import make_finding, make_outcome, make_report, make_target
from .helpers import three_weeks


@pytest.fixture()
def store(history_location: str) -> Iterator[HistoryStore]:
    # Every test taking ``store`` runs on SQLite and on PostgreSQL (conftest.py).
    s = HistoryStore.open(history_location)
    yield s
    s.close()


def test_a_stored_run_loads_back_exactly_as_the_result_file(store: HistoryStore) -> None:
    # Given three runs stored in order
    runs = three_weeks()
    for report in runs:
        store.record(report)
    # When each is loaded back by id, and by last / previous
    # Then the result is the same document, field for field
    for report in runs:
        assert report_to_dict(store.load(report.run.id)) == report_to_dict(report)
    assert store.load("last").run.id == runs[2].run.id
    assert store.load("previous").run.id == runs[1].run.id
    assert store.resolve(runs[0].run.id[:9]).run_id == runs[0].run.id


def test_runs_are_listed_newest_first_with_counts_per_severity(store: HistoryStore) -> None:
    for report in three_weeks():
        store.record(report, signed_sha256="f" * 64 if report.run.id.startswith("run-0003")
                     else None)
    listed = store.runs()
    assert [r.seq for r in listed] == [3, 2, 1]
    assert listed[0].counts == {"critical": 1, "high": 1, "medium": 1, "low": 0, "info": 0}
    assert listed[0].signed_sha256 == "f" * 64 and listed[1].signed_sha256 is None
    assert listed[1].counts["medium"] == 0 and listed[1].status == "complete"
    # Filtered by service or owning unit, only that service's findings count
    portal = store.runs(service="Portal")
    assert [r.counts["high"] for r in portal] == [0, 0, 0]
    assert [r.findings for r in store.runs(opd="DPMPTSP")] == [1, 1, 1]
    assert store.runs(opd="No such unit") == []


def test_unknown_references_are_input_errors(store: HistoryStore) -> None:
    with pytest.raises(HistoryError, match="no last run"):
        store.resolve("last")
    store.record(three_weeks()[0])
    with pytest.raises(HistoryError, match="no previous run"):
        store.resolve("previous")
    with pytest.raises(HistoryError, match="no stored run"):
        store.load("run-9999")
    with pytest.raises(HistoryError, match="already stored"):
        store.record(three_weeks()[0])


def test_retention_keeps_the_newest_runs_and_nothing_of_the_others(store: HistoryStore) -> None:
    for report in three_weeks():
        store.record(report, keep_runs=2)
    assert [r.run_id[:8] for r in store.runs()] == ["run-0003", "run-0002"]
    with store.engine.connect() as conn:
        for table in ("run_targets", "run_results", "run_findings", "run_documents"):
            left = conn.execute(sa.text(f"SELECT count(*) FROM {table} "
                                        "WHERE run_id LIKE 'run-0001%'")).scalar()
            assert left == 0, table


def test_trends_count_open_findings_per_service_and_per_unit(store: HistoryStore) -> None:
    for report in three_weeks():
        store.record(report)
    by_service = store.trend("service", last=3)
    assert [p.counts["medium"] + p.counts["critical"] for p in by_service["Portal"]] == [1, 0, 2]
    assert [p.counts["high"] for p in by_service["Perizinan"]] == [1, 1, 1]
    by_opd = store.trend("opd", last=2)
    assert [p.run_id[:8] for p in by_opd["Diskominfo"]] == ["run-0002", "run-0003"]
    assert by_opd["Diskominfo"][1].counts["critical"] == 1


def test_finding_ids_seen_before_a_run(store: HistoryStore) -> None:
    for report in three_weeks():
        store.record(report)
    assert store.finding_ids_before("last") == {"a" * 20, "b" * 20}
    assert store.finding_ids_before(three_weeks()[0].run.id) == frozenset()


def test_the_migrations_create_exactly_the_tables_the_queries_use(store: HistoryStore) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as conn:
        changes = compare_metadata(MigrationContext.configure(conn), METADATA)
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert changes == []
    assert version == "0003"


def test_reopening_a_store_keeps_its_runs_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with HistoryStore.open(str(path)) as first:
        first.record(three_weeks()[0])
    with HistoryStore.open(str(path)) as again:
        assert len(again.runs()) == 1
        with again.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_store_that_is_not_a_database_is_an_input_error(tmp_path: Path) -> None:
    bogus = tmp_path / "h.sqlite"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(HistoryError, match="cannot open the history store") as err:
        HistoryStore.open(str(bogus))
    assert str(bogus) in str(err.value)


def test_the_location_comes_from_the_configuration_or_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = str(tmp_path / "audit.toml")
    assert location_from_config({"path": "h/db.sqlite"}, config) == str(tmp_path / "h/db.sqlite")
    assert location_from_config({"url": "postgresql://db.invalid/audit"}) == \
        "postgresql://db.invalid/audit"
    monkeypatch.setenv("EGOV_AUDIT_HISTORY", str(tmp_path / "env.sqlite"))
    assert location_from_config(None) == str(tmp_path / "env.sqlite")
    assert location_from_config({"keep_runs": 5}) == str(tmp_path / "env.sqlite")
    monkeypatch.delenv("EGOV_AUDIT_HISTORY")
    assert location_from_config(None).endswith("egov-audit/history.sqlite")
    with pytest.raises(InputError, match="both url and path"):
        location_from_config({"url": "sqlite://", "path": "x"}, config)
    assert keep_runs_from_config({"keep_runs": 52}) == 52
    assert keep_runs_from_config(None) is None
    for bad in (0, -1, "10", True):
        with pytest.raises(InputError, match="keep_runs"):
            keep_runs_from_config({"keep_runs": bad}, config)


def test_a_store_of_an_older_schema_is_upgraded_on_open_keeping_its_runs(
        history_location: str) -> None:
    from egov_audit.history.connect import make_engine, migrate

    # Given a store created by the first schema revision, holding a run
    path = history_location
    engine = make_engine(path)
    migrate(engine, "0001")
    HistoryStore(engine).record(three_weeks()[0])
    engine.dispose()
    # When a newer egov-audit opens it
    with HistoryStore.open(path) as store:
        # Then it is at the newest revision and the run is still there
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() \
                == "0003"
            assert conn.execute(sa.text("SELECT count(*) FROM pending_runs")).scalar() == 0
        assert [r.run_id for r in store.runs()] == [three_weeks()[0].run.id]


def test_server_text_with_a_nul_character_is_stored_and_loads_back_exactly(
        store: HistoryStore) -> None:
    # Given a run whose finding, result reason and target error quote a server's
    # text with a NUL character in it (PostgreSQL's text type cannot hold one)
    target = make_target("https://nul.example.go.id/", name="Nul", opd="Diskominfo")
    finding = make_finding("disclosure.server_banner", target.spec, evidence="Apache\x00/2.4",
                           location=target.spec + "a\x00b", id="e" * 20)
    report = make_report([make_outcome(target, [finding], results=[
        ("disclosure.server_banner", Status.FAIL)], status=TargetStatus.PARTIAL)],
        id="run-nul")
    report = replace(report, outcomes=(replace(report.outcomes[0], error="reset\x00by peer"),))
    # When it is stored
    stored = store.record(report)
    # Then the run is kept whole: counted, and loaded back character for character
    assert stored.counts["medium"] == 1
    assert report_to_dict(store.load("run-nul")) == report_to_dict(report)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT evidence FROM run_findings")).scalar() == \
            "Apache\ufffd/2.4"


def test_a_value_longer_than_its_column_is_refused_alike_on_every_backend(
        store: HistoryStore) -> None:
    # A result file from elsewhere with a run id longer than the column: SQLite
    # would keep it and PostgreSQL refuse it; both say so, before writing anything.
    report = make_report([], id="r" * 65)
    with pytest.raises(HistoryError, match="run_id is longer than 64 characters"):
        store.record(report)
    assert store.runs() == []
