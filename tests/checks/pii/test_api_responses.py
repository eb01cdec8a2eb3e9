"""Personal data in the answers of discovered API endpoints (``Crawl.apis``),
and the caching headers of every response that carried it.

The servers and the content probe are real; the discovery stage is stood in
for by a probe that hands over the API answers it would have fetched.
"""

from __future__ import annotations

import time
from collections import Counter
from urllib.parse import urljoin

from egov_audit.checks.pii.cacheable_response import cacheable_response

from egov_audit.check import CheckContext
from egov_audit.demo.server import LocalServer, html
from egov_audit.model import Target
from egov_audit.options import ScanOptions
from egov_audit.probes.base import Probe, ProbeEnv, ProbeSession
from egov_audit.probes.content import ContentProbe, PersonalData
from egov_audit.probes.crawl import Crawl
from egov_audit.probes.http import HttpClient
from egov_audit.probes.site import SiteProbe
from egov_audit.scope import Scope

from ...conftest import ServeFn
from .conftest import json_doc, people

APIS = ("/api/v1/warga?page=1", "/api/v1/pegawai", "/api/v1/pengumuman")


class StandInDiscovery(Probe):
    """The discovery stage's API answers, fetched with the real client."""

    name = "http.crawl"
    snapshot = Crawl

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> Crawl:
        home = session.env.http.fetch(target.primary_url)
        apis = tuple(session.env.http.fetch(urljoin(target.primary_url, p)) for p in APIS)
        return Crawl(start_url=target.primary_url, pages=(home,), scripts=(), source_maps=(),
                     documents=(), forms=(), robots_paths=(), external_links=(), limited=(),
                     apis=apis)


def portal(serve: ServeFn) -> LocalServer:
    return serve({
        "/": html("<html><head><title>Portal</title></head><body><p>Portal kota.</p>"
                  "<script>fetch('/api/v1/warga?page=1')</script></body></html>"),
        # Residents' records, cacheable by any proxy for ten minutes
        "/api/v1/warga": json_doc({"data": people(4, seed=5)},
                                  headers=[("Cache-Control", "public, max-age=600")]),
        # Decoys: personal data sent with no-store, and public data with no header
        "/api/v1/pegawai": json_doc({"data": people(4, seed=6)},
                                    headers=[("Cache-Control", "no-store")]),
        "/api/v1/pengumuman": json_doc({"judul": "Jadwal pelayanan KTP keliling"}),
    })


def personal_data(site: LocalServer) -> PersonalData:
    options = ScanOptions(rate=500, connections=4)
    scope = Scope.of(["127.0.0.1"])
    env = ProbeEnv(options, scope, HttpClient(options, scope), time.monotonic() + 60)
    url = site.url("/")
    probes = {"http.site": SiteProbe(), "http.crawl": StandInDiscovery(),
              "pii.content": ContentProbe()}
    session = ProbeSession(Target(url, "127.0.0.1", url, None), env, probes, {})
    return session.get(PersonalData)


def test_discovered_api_answers_are_read_once_and_named(serve: ServeFn) -> None:
    # Given a portal whose residents' API is called from the page's script
    site = portal(serve)
    # When the personal-data reading runs over what discovery fetched
    data = personal_data(site)
    # Then each API answer is read as an API, under its own URL
    apis = {b.scan.url: b.scan for b in data.bodies if b.scan.source == "api"}
    warga = site.url("/api/v1/warga?page=1")
    assert set(apis) == {warga, site.url("/api/v1/pegawai"), site.url("/api/v1/pengumuman")}
    assert apis[warga].counts["nik"] == 4
    assert apis[site.url("/api/v1/pengumuman")].total == 0
    # and the content probe did not fetch again what discovery had answered
    fetched = Counter(r.path for r in site.requests)
    assert fetched["/api/v1/warga"] == 1


def test_caching_is_judged_on_every_api_answer_with_personal_data(serve: ServeFn) -> None:
    site = portal(serve)
    ctx = CheckContext(Target(site.url("/"), "127.0.0.1", site.url("/"), None),
                       {PersonalData: personal_data(site)}, needs=cacheable_response.needs)
    (issue,) = cacheable_response.run(ctx)
    assert issue.location == site.url("/api/v1/warga?page=1")
    assert issue.evidence.startswith(f"API answer {site.url('/api/v1/warga?page=1')} carries")
    assert "Cache-Control: public, max-age=600" in issue.evidence
