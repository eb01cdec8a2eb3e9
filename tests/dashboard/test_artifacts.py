"""Signed artifacts of a run: listed, downloadable, and verified against a public key."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from egov_audit import pipeline
from egov_audit.cli.run_cmd import run_directory, signed_digest
from egov_audit.dashboard import Settings, create_app
from egov_audit.dashboard.artifacts import run_directory as dashboard_run_directory
from egov_audit.history import HistoryStore
from egov_audit.signing.keys import generate_keypair

from .conftest import LOOPBACK
from .helpers import week


def signed_run(tmp_path: Path) -> tuple[str, Path, Path, Path]:
    """A run written and signed as 'egov-audit run --sign-key' does, then stored."""
    report = week(1)
    reports = tmp_path / "reports"
    private, public = generate_keypair(tmp_path / "signing")
    written = pipeline.write_reports(report, ["json", "md"], run_directory(reports, report))
    signature = pipeline.sign(written, private)
    location = str(tmp_path / "history.sqlite")
    with HistoryStore.open(location) as store:
        store.record(report, signed_sha256=signed_digest(signature))
    return location, reports, public, written[0].parent


def app_for(location: str, reports: Path, pubkey: Path | None) -> Flask:
    return create_app(Settings(history=location, reports=reports, pubkey=pubkey))


def test_the_dashboard_finds_the_directory_egov_audit_run_writes(tmp_path: Path) -> None:
    report = week(2)
    assert dashboard_run_directory(tmp_path, report.run.id, report.run.started_at) == \
        run_directory(tmp_path, report)


def test_an_intact_signed_run_is_verified_and_its_files_download(tmp_path: Path) -> None:
    location, reports, public, _directory = signed_run(tmp_path)
    app = app_for(location, reports, public)
    client = app.test_client()
    html = client.get("/runs/last", environ_base=LOOPBACK).get_data(as_text=True)
    assert "badge-verified" in html and "it is the signed result." in html
    for name in ("result.json", "signature.json", "report.md"):
        response = client.get(f"/runs/last/files/{name}", environ_base=LOOPBACK)
        assert response.status_code == 200, name
        assert response.headers["Content-Disposition"].startswith("attachment")
    app.extensions["egov_store"].close()


def test_an_altered_report_turns_the_badge_to_altered(tmp_path: Path) -> None:
    location, reports, public, directory = signed_run(tmp_path)
    (directory / "report.md").write_text("# all clear\n", encoding="utf-8")
    app = app_for(location, reports, public)
    html = app.test_client().get("/runs/last", environ_base=LOOPBACK).get_data(as_text=True)
    assert "badge-altered" in html and "report.md was altered" in html
    app.extensions["egov_store"].close()


def test_without_a_public_key_the_run_is_only_said_to_be_signed(tmp_path: Path) -> None:
    location, reports, _public, _directory = signed_run(tmp_path)
    app = app_for(location, reports, None)
    html = app.test_client().get("/runs/last", environ_base=LOOPBACK).get_data(as_text=True)
    assert "badge-signed" in html and "badge-verified" not in html
    app.extensions["egov_store"].close()


def test_only_the_signed_files_are_served(tmp_path: Path) -> None:
    location, reports, public, directory = signed_run(tmp_path)
    (directory / "notes.txt").write_text("not signed", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    app = app_for(location, reports, public)
    client = app.test_client()
    for name in ("notes.txt", "..%2F..%2Fsecret.txt", "..%2Fsigning.key"):
        assert client.get(f"/runs/last/files/{name}", environ_base=LOOPBACK).status_code == 404
    app.extensions["egov_store"].close()


def test_an_unreadable_public_key_is_said_on_the_page(tmp_path: Path) -> None:
    location, reports, _public, _directory = signed_run(tmp_path)
    bad = tmp_path / "not-a-key.pub"
    bad.write_text("not a key\n", encoding="utf-8")
    app = app_for(location, reports, bad)
    response = app.test_client().get("/runs/last", environ_base=LOOPBACK)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="error"' in html
    assert "badge-verified" not in html
    app.extensions["egov_store"].close()
