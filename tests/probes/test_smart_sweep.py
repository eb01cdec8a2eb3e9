"""Smarter sweeps: announced directories seed the path rules, technology
fingerprints choose the technology-specific rules, each directory can have its
own catch-all, and the request budget's cuts are reported."""

from __future__ import annotations

from egov_audit.demo.server import Request, Response, html
from egov_audit.model import RunReport, Status

from ..conftest import AuditFn, ServeFn

SQL_DUMP = ("-- MySQL dump 10.13\n--\nDROP TABLE IF EXISTS `penduduk`;\n"
            "CREATE TABLE `penduduk` (`nik` char(16));\n")
HOME = ("<!doctype html><html><head><title>Portal Kota</title></head><body>"
        "<h1>Portal Kota</h1><p>Layanan publik kota contoh.</p>"
        "<a href='/profil'>Profil</a></body></html>")
EXPOSURE = ("exposure.*",)


def text(body: str, ctype: str = "text/plain") -> Response:
    return Response(200, [("Content-Type", ctype)], body)


def site_routes(robots: str) -> dict[str, Response]:
    return {
        "/": html(HOME),
        "/profil": html("<html><body><p>Profil kota.</p></body></html>"),
        "/robots.txt": text(robots),
    }


def findings(report: RunReport, check_id: str) -> list[str]:
    return [f.location or "" for f in report.findings if f.check == check_id]


def result(report: RunReport, check_id: str) -> tuple[Status, str | None]:
    found = next(r for r in report.results if r.check == check_id)
    return found.status, found.reason


def test_a_dump_inside_a_disallowed_directory_is_found(serve: ServeFn, audit: AuditFn) -> None:
    # Given robots.txt disallowing /arsip-lama/ (a name no rule guesses), holding dump.sql,
    # and two decoys: a disallowed directory answering 403 whose files are all 404,
    # and one answering 404
    routes = site_routes("User-agent: *\nDisallow: /arsip-lama/\nDisallow: /rahasia/\n"
                         "Disallow: /hilang/\n")
    routes["/arsip-lama/"] = Response(403, [("Content-Type", "text/html")], "<h1>403</h1>")
    routes["/arsip-lama/dump.sql"] = text(SQL_DUMP, "application/sql")
    routes["/rahasia/"] = Response(403, [("Content-Type", "text/html")], "<h1>403</h1>")
    site = serve(routes)
    # When the exposure family runs
    report = audit([site.url("/")], checks=EXPOSURE)
    # Then the dump is reported where it is, and nothing for the decoys
    assert findings(report, "exposure.sql_dump") == [site.url("/arsip-lama/dump.sql")]
    swept = {r.path for r in site.requests}
    assert "/rahasia/dump.sql" in swept  # a 403 directory may still serve its files
    # And a directory answering 404 is not searched
    assert not any(p.startswith("/hilang/") and p != "/hilang/" for p in swept)
    assert {f.check for f in report.findings} == {"exposure.sql_dump"}


def test_a_directory_with_its_own_catch_all_produces_no_findings(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given a host whose unknown paths are 404, but whose /unduh/ (downloads)
    # answers every name with the same public ZIP (a download handler mounted
    # there), and robots.txt naming that directory
    brochure = b"PK\x03\x04" + b"\x14\x00brosur-layanan.pdf" + b"\x00" * 200

    def downloads(request: Request) -> Response:
        if request.path.startswith("/unduh/"):
            return Response(200, [("Content-Type", "application/zip")], brochure)
        return Response(404, [("Content-Type", "text/html")], "<h1>Not Found</h1>")

    site = serve(site_routes("User-agent: *\nDisallow: /unduh/\n"), fallback=downloads)
    report = audit([site.url("/")], checks=EXPOSURE)
    # Then /unduh/backup.zip (a ZIP, answered 200) is not taken for a site backup:
    # the directory answers the same for a name that cannot exist
    assert report.findings == ()
    swept = {r.path for r in site.requests}
    assert "/unduh/backup.zip" in swept
    assert any(p.startswith("/unduh/egov-audit-") for p in swept)  # its own profile


def test_a_hardened_host_is_not_swept_for_other_stacks(serve: ServeFn, audit: AuditFn) -> None:
    # Given a host that shows no technology at all (not even a Server header)
    site = serve(site_routes("User-agent: *\nDisallow:\n"), server_header=None)
    report = audit([site.url("/")], checks=EXPOSURE)
    swept = {r.path for r in site.requests}
    # Then generic paths are swept, technology-specific ones are not
    assert {"/.git/HEAD", "/.env"} <= swept
    assert not swept & {"/storage/logs/laravel.log", "/wp-login.php", "/actuator/env",
                        "/elmah.axd", "/server-status"}
    # And the rules left out say why, instead of passing
    status, reason = result(report, "exposure.laravel_log")
    assert status is Status.SKIPPED
    assert reason is not None and reason.startswith("not applicable: the host shows no "
                                                    "sign of laravel")
    assert result(report, "exposure.git_metadata")[0] is Status.PASS


def test_a_laravel_host_gets_the_laravel_rules(serve: ServeFn, audit: AuditFn) -> None:
    # Given a host whose entry page sets Laravel's session cookie, and a readable log
    routes = site_routes("User-agent: *\nDisallow:\n")
    routes["/"] = html(HOME, headers=[("Set-Cookie", "laravel_session=x; Path=/; HttpOnly")])
    routes["/storage/logs/laravel.log"] = text(
        "[2024-05-01 10:11:12] production.ERROR: SQLSTATE[HY000] [2002] refused\n")
    site = serve(routes, server_header="nginx")
    report = audit([site.url("/")], checks=EXPOSURE)
    assert findings(report, "exposure.laravel_log") == [site.url("/storage/logs/laravel.log")]
    swept = {r.path for r in site.requests}
    assert "/composer.json" in swept  # Laravel implies PHP
    assert "/nginx_status" in swept or "/status" in swept  # the Server header says nginx
    assert "/wp-login.php" not in swept


def test_what_the_budget_cuts_is_reported_as_skipped(serve: ServeFn, audit: AuditFn) -> None:
    # Given a budget so small that guesses get nothing after the discovery
    site = serve(site_routes("User-agent: *\nDisallow:\n"))
    report = audit([site.url("/")], checks=("exposure.git_metadata", "exposure.env_file"),
                   request_budget=10)
    # Then the rules whose paths were all refused are skipped with the reason
    for check_id in ("exposure.git_metadata", "exposure.env_file"):
        status, reason = result(report, check_id)
        assert status is Status.SKIPPED
        assert reason is not None and reason.startswith(
            "skipped: request budget of 10 for host 127.0.0.1 reached")
    # And the host saw no more than the budget; the refusals are counted
    assert len(site.requests) <= 10
    counts = report.run.requests["127.0.0.1"]
    assert counts["sent"] == len(site.requests) and counts["over_budget"] > 0


def test_a_host_listed_twice_is_swept_once(serve: ServeFn, audit: AuditFn) -> None:
    # Given one host listed twice (the same URL, as two inventory entries would)
    site = serve(site_routes("User-agent: *\nDisallow:\n"))
    report = audit([site.url("/"), site.url("/index")], checks=("exposure.git_metadata",))
    # Then every swept path went out once, and the second target's were shared
    paths = [r.path for r in site.requests if r.path in ("/.git/HEAD", "/.git/config")]
    assert sorted(paths) == ["/.git/HEAD", "/.git/config"]
    assert report.run.requests["127.0.0.1"]["shared"] >= 2
