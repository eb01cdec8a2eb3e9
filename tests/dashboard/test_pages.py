"""The pages over a seeded store: what an officer sees, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from egov_audit.reports.i18n import catalogue
from flask.testing import FlaskClient

from egov_audit.dashboard import Settings, create_app
from egov_audit.dashboard.i18n import dashboard_catalogue

from .conftest import LOOPBACK
from .helpers import CSP, ENV, HSTS, RUN_1, RUN_2

TEMPLATES = Path(__file__).parents[2] / "egov_audit" / "dashboard"


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path, environ_base=LOOPBACK)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_the_overview_shows_each_unit_and_service_with_grades_counts_and_a_trend(
        client: FlaskClient) -> None:
    html = page(client, "/")
    # Units and services, each linked
    assert "/unit?opd=Dinas+Kesehatan" in html and "/unit?opd=Diskominfo" in html
    assert "Klinik Online" in html and "Webmail" in html
    # The newest grades: the portal improved from C to A, the clinic's TLS grade is B
    assert 'grade-a">A<' in html and 'grade-b">B<' in html and 'grade-c">C<' not in html
    # Inline SVG trends, no external asset or script
    assert html.count("<svg class=\"trend\"") == 5  # 2 units + 3 services
    assert "<script" not in html and "http://" not in html.replace("http://localhost", "")
    # BSSN verdict for the clinic (a critical finding fails a control: Tidak Memadai)
    assert "Inadequate" in html


def test_a_service_page_lists_its_open_findings_of_the_newest_run(client: FlaskClient) -> None:
    html = page(client, "/service?opd=Dinas+Kesehatan&name=Klinik+Online")
    assert f"/findings/{ENV.id}" in html and f"/findings/{CSP.id}" in html
    assert f"/findings/{HSTS.id}" not in html


def test_indonesian_uses_the_dashboard_and_report_catalogues(client: FlaskClient) -> None:
    html = page(client, "/?lang=id")
    assert '<html lang="id">' in html
    assert "Ringkasan" in html and "Nilai TLS" in html and "Kritis" in html
    # The choice sticks for the session
    assert "Daftar run" in page(client, "/runs")


def test_the_diff_sorts_findings_into_new_fixed_and_still_open(client: FlaskClient) -> None:
    html = page(client, f"/diff?base={RUN_1}&current={RUN_2}")
    sections = dict(re.findall(r'id="h-(\w+)">[^<]*<span class="count">\((\d+)\)', html))
    assert sections == {"new": "1", "regressed": "0", "fixed": "1", "still_open": "3",
                        "not_rechecked": "0"}


def test_a_finding_page_shows_redacted_evidence_remediation_and_its_history(
        client: FlaskClient) -> None:
    html = page(client, f"/findings/{ENV.id}")
    assert "DB_PASSWORD=se****** (redacted)" in html
    assert html.count(f"/runs/{RUN_1}") == 1 and html.count(f"/runs/{RUN_2}") == 1
    hsts = page(client, f"/findings/{HSTS.id}")
    assert "Strict-Transport-Security" in hsts  # the server snippet of the remediation


def test_evidence_is_escaped_never_rendered_as_markup(tmp_path: Path) -> None:
    from egov_audit.history import HistoryStore

    from ..factories import make_finding, make_outcome, make_report
    from .helpers import PORTAL

    hostile = make_finding("exposure.env_file", PORTAL.spec,
                           evidence='<script>alert(1)</script><img src=x onerror=alert(2)>')
    location = str(tmp_path / "h.sqlite")
    with HistoryStore.open(location) as store:
        store.record(make_report([make_outcome(PORTAL, [hostile])], id="x" * 36))
    app = create_app(Settings(history=location))
    html = app.test_client().get(f"/findings/{hostile.id}", environ_base=LOOPBACK).get_data(
        as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
    app.extensions["egov_store"].close()


def test_the_compliance_matrix_has_a_column_per_service_and_a_row_per_control(
        client: FlaskClient) -> None:
    html = page(client, "/compliance?pack=uu-pdp-2022")
    assert html.count('<th scope="col">') >= 4  # control + three services
    assert client.get("/compliance?pack=nope", environ_base=LOOPBACK).status_code == 404


def test_the_run_list_and_a_run_page(client: FlaskClient) -> None:
    html = page(client, "/runs")
    assert html.index(RUN_2[:8]) < html.index(RUN_1[:8])  # newest first
    run = page(client, f"/runs/{RUN_2}")
    assert f"base={RUN_1}" in run  # compare with the previous run
    assert "No report directory found" in run


def test_without_accounts_only_loopback_clients_may_read(client: FlaskClient) -> None:
    assert client.get("/", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 403
    assert client.get("/", environ_base=LOOPBACK).status_code == 200


def test_security_headers_and_hsts_only_over_https(client: FlaskClient, history: str) -> None:
    response = client.get("/", environ_base=LOOPBACK)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers
    proxied = create_app(Settings(history=history, tls=True, proxies=1))
    secure = proxied.test_client().get("/", environ_base=LOOPBACK,
                                       headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    proxied.extensions["egov_store"].close()


def test_every_dashboard_label_has_an_indonesian_translation() -> None:
    ids: set[str] = set()
    for path in [*TEMPLATES.glob("templates/*.html"), *TEMPLATES.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        ids |= set(re.findall(r'(?:\b_|gettext)\(\s*"([^"]+)"\s*\)', text))
        ids |= set(re.findall(r"(?:\b_|gettext)\(\s*'([^']+)'\s*\)", text))
    known = {**catalogue("id", "report"), **dashboard_catalogue("id")}
    assert len(ids) > 50
    assert sorted(i for i in ids if i not in known) == []


def test_the_run_list_pages_back_to_older_runs(client: FlaskClient,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from egov_audit.dashboard import queries

    monkeypatch.setattr(queries, "RUNS_PER_PAGE", 1)
    first = page(client, "/runs")
    assert RUN_2[:8] in first and RUN_1[:8] not in first
    older = re.search(r'href="(/runs\?before=\d+)"', first)
    assert older, first
    second = page(client, older.group(1))
    assert RUN_1[:8] in second and RUN_2[:8] not in second and "Older runs" not in second
