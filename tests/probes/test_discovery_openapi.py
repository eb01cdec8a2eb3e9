"""Discovery from an exposed OpenAPI document: GET operations only, harmless examples."""

from __future__ import annotations

import json

from egov_audit.demo.server import Response, html
from egov_audit.model import SiteMapEntry
from egov_audit.probes.openapi import WELL_KNOWN, get_urls, parse

from ..conftest import ServeFn
from .test_crawl import crawl

JSON = [("Content-Type", "application/json")]
DESCRIPTION = {
    "openapi": "3.0.1",
    "servers": [{"url": "/api"}],
    "components": {"parameters": {"Tahun": {"name": "tahun", "in": "query", "required": True,
                                            "schema": {"type": "integer", "example": 2024}}}},
    "paths": {
        "/layanan/{id}": {"get": {"parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "integer",
                                                                       "example": 7}},
            {"name": "status", "in": "query", "required": True,
             "schema": {"type": "string", "enum": ["aktif", "nonaktif"]}},
            {"name": "q", "in": "query", "schema": {"type": "string"}}]}},
        "/laporan": {"get": {"parameters": [{"$ref": "#/components/parameters/Tahun"}]}},
        "/pengaduan": {"post": {"summary": "lapor"}},  # never requested
        "/hilang": {"get": {}},  # a decoy: documented, answers 404
    },
}


def test_a_linked_description_is_read_and_its_get_operations_requested(serve: ServeFn) -> None:
    # Given a page linking an OpenAPI document of a small API
    server = serve({
        "/": html('<a href="/docs/openapi.json">Dokumentasi API</a>'),
        "/docs/openapi.json": Response(200, JSON, json.dumps(DESCRIPTION)),
        "/api/layanan/7": Response(200, JSON, b'{"id": 7}'),
        "/api/laporan": Response(200, JSON, b"[]"),
        "/api/pengaduan": Response(200, JSON, b"{}"),
    })
    base = server.url("")
    # When the site is discovered
    result = crawl(base + "/")
    entries = {e.url.removeprefix(base): e for e in result.site_map}
    # Then each GET operation was requested with the document's own examples,
    assert entries["/api/layanan/7?status=aktif"] == SiteMapEntry(
        base + "/api/layanan/7?status=aktif", "api", "openapi", 200)
    assert entries["/api/laporan?tahun=2024"].status == 200
    assert {r.url.removeprefix(base) for r in result.apis} == {
        "/api/layanan/7?status=aktif", "/api/laporan?tahun=2024"}
    # the documented 404 is listed with its status only, the POST operation not at all,
    assert entries["/api/hilang"].status == 404
    assert not any("pengaduan" in e.url for e in result.site_map)
    # the description itself is listed, and no well-known path was guessed
    assert entries["/docs/openapi.json"] == SiteMapEntry(base + "/docs/openapi.json",
                                                         "document", "link", 200)
    paths = {r.path for r in server.requests}
    assert "/api/pengaduan" not in paths and not paths & set(WELL_KNOWN)
    assert {r.method for r in server.requests} <= {"GET"}


def test_a_description_at_a_well_known_path_is_found(serve: ServeFn) -> None:
    # Given a Spring-style /v3/api-docs nothing links to
    doc = {"openapi": "3.0.0", "paths": {"/warga": {"get": {}}}}
    server = serve({"/": html("<p>portal</p>"), "/v3/api-docs": Response(200, JSON,
                                                                          json.dumps(doc)),
                    "/warga": Response(200, JSON, b'{"data": []}')})
    result = crawl(server.url("/"))
    entries = {e.url.removeprefix(server.url("")): e for e in result.site_map}
    # Then it is listed as found by the OpenAPI guess, and its operation requested
    assert entries["/v3/api-docs"] == SiteMapEntry(server.url("/v3/api-docs"), "document",
                                                   "openapi", 200)
    assert entries["/warga"] == SiteMapEntry(server.url("/warga"), "api", "openapi", 200)
    # while the guesses that answered 404 are not listed as found
    assert "/swagger.json" not in entries


def test_swagger_2_base_path_and_bounds() -> None:
    # Given a Swagger 2.0 document with a basePath and many operations
    paths = {f"/r{i}/{{kode}}": {"get": {"parameters": [
        {"name": "kode", "in": "path", "type": "string", "default": "A1"}]}} for i in range(80)}
    doc = parse(json.dumps({"swagger": "2.0", "basePath": "/v1", "paths": paths}).encode())
    assert doc is not None
    urls, capped = get_urls(doc, "http://127.0.0.1/swagger.json")
    # Then paths hang under the basePath, holes take the default, and the count is bounded
    assert urls[0] == "http://127.0.0.1/v1/r0/A1"
    assert capped and len(urls) == 50
    # and what is not a description is refused
    assert parse(b'{"paths": {}}') is None and parse(b"[1]") is None and parse(b"{") is None
