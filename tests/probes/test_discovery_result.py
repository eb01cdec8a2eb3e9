"""The site map reaches result.json: schema-valid, redacted, and it loads again."""

from __future__ import annotations

import json
from pathlib import Path

from egov_audit.demo.server import Response, html
from egov_audit.result_io import dumps, load_result, validate

from ..conftest import AuditFn, ServeFn

NIK = "3201015506900001"


def test_a_scan_stores_its_site_map_redacted(serve: ServeFn, audit: AuditFn,
                                             tmp_path: Path) -> None:
    # Given a portal linking a search result whose query string carries a NIK,
    # and a bundle that calls an API
    site = serve({
        "/": html(f'<a href="/cari?nik={NIK}">Cek data</a><script src="/app.js"></script>'),
        "/cari": html("<p>hasil</p>"),
        "/app.js": Response(200, [("Content-Type", "application/javascript")],
                            b'const A="/api/v1";fetch(A+"/opd")'),
        "/api/v1/opd": Response(200, [("Content-Type", "application/json")], b'[{"id": 1}]'),
    })
    # When a scan that needs the crawl runs and its result is written
    report = audit([site.url("/")], checks=("secrets.*",))
    path = tmp_path / "result.json"
    path.write_text(dumps(report), "utf-8")
    text = path.read_text("utf-8")
    data = json.loads(text)
    # Then the result is valid against the schema and holds the site map,
    validate(data)
    (target,) = data["targets"]
    entries = {(e["kind"], e["found_by"], e["status"]): e["url"] for e in target["site_map"]}
    assert entries[("api", "script", 200)] == site.url("/api/v1/opd")
    assert entries[("page", "entry", 200)] == site.url("/")
    # with the NIK in the query string masked, nowhere in full
    searched = entries[("page", "link", 200)]
    assert searched.startswith(site.url("/cari?nik=")) and NIK not in searched
    assert NIK not in text
    # and the stored result loads back with the same site map
    (outcome,) = load_result(path).outcomes
    assert [e.url for e in outcome.site_map] == [e["url"] for e in target["site_map"]]
