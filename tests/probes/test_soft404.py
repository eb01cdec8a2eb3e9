"""Soft-404 fingerprint: a catch-all site must not look like it exposes files."""

from __future__ import annotations

import time

from egov_audit.demo.server import Request, Response, html
from egov_audit.model import Target
from egov_audit.options import ScanOptions
from egov_audit.probes.base import ProbeEnv, ProbeSession
from egov_audit.probes.http import HttpClient
from egov_audit.probes.soft404 import NotFoundProbe, NotFoundProfile, hamming, simhash
from egov_audit.scope import Scope

from ..conftest import ServeFn


def profile_and_client(url: str) -> tuple[NotFoundProfile, HttpClient]:
    options = ScanOptions(rate=500)
    scope = Scope.of(["127.0.0.1"])
    http = HttpClient(options, scope)
    env = ProbeEnv(options, scope, http, time.monotonic() + 30)
    session = ProbeSession(Target(url, "127.0.0.1", url, None), env,
                           {"http.not_found": NotFoundProbe()}, {})
    return session.get(NotFoundProfile), http


def test_catch_all_site_with_echoed_path_is_recognised(serve: ServeFn) -> None:
    # Given a site answering 200 with a page that echoes the requested path
    def catch_all(request: Request) -> Response:
        return html(f"<html><body><h1>Portal Kota</h1><p>Halaman {request.path} tidak "
                    "ditemukan, silakan kembali ke beranda. " + "Menu layanan " * 40 +
                    f"</p><small>id {time.time_ns()}</small></body></html>")

    site = serve(fallback=catch_all)
    profile, http = profile_and_client(site.url("/"))
    assert profile.catch_all
    # When a "sensitive" path is fetched, it is the same not-found page
    env_page = http.fetch(site.url("/.env"))
    assert env_page.status == 200
    assert profile.resembles(env_page)
    assert not profile.looks_present(env_page)


def test_real_file_on_catch_all_site_is_present(serve: ServeFn) -> None:
    site = serve({"/.git/HEAD": Response(200, [("Content-Type", "text/plain")],
                                         b"ref: refs/heads/main\n")},
                 fallback=html("<h1>Beranda</h1>" + "berita terbaru " * 50))
    profile, http = profile_and_client(site.url("/"))
    assert profile.looks_present(http.fetch(site.url("/.git/HEAD")))


def test_redirect_home_for_unknown_paths(serve: ServeFn) -> None:
    site = serve({"/": html("home")})
    site.fallback = Response(302, [("Location", site.url("/"))], b"")
    profile, http = profile_and_client(site.url("/"))
    assert profile.resembles(http.fetch(site.url("/backup.zip")))


def test_plain_404_site(serve: ServeFn) -> None:
    site = serve({"/robots.txt": Response(200, [("Content-Type", "text/plain")], b"x")})
    profile, http = profile_and_client(site.url("/"))
    assert not profile.catch_all
    assert profile.resembles(http.fetch(site.url("/nope")))
    assert profile.looks_present(http.fetch(site.url("/robots.txt")))


def test_simhash_tolerates_small_changes() -> None:
    base = "Selamat datang di portal layanan publik pemerintah kota " * 20
    assert hamming(simhash(base), simhash(base + " 2026-11-29 token 9f8e7d")) <= 10
    assert hamming(simhash(base), simhash("DB_PASSWORD=x APP_KEY=y " * 20)) > 10
