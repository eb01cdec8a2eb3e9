"""CORS checks against servers that reflect origins, accept null, or send *."""

from __future__ import annotations

from egov_audit.demo.server import Request, Response, html
from egov_audit.model import Severity
from egov_audit.probes.cors import FOREIGN_ORIGIN

from ...conftest import AuditFn, ServeFn, pair
from .._web.helpers import found
from .._web.servers import HARDENED, PAGE, reflect_origin


def test_reflected_origin_with_credentials_is_high(serve: ServeFn, audit: AuditFn) -> None:
    # Given a server that copies any Origin into ACAO and allows credentials
    https = serve({"/": reflect_origin(credentials=True)}, tls=True)  # type: ignore[dict-item]
    # When the CORS family runs
    report = audit([pair(None, https)], checks=["cors"])
    # Then the worst case is reported once, as HIGH, and null (also reflected) as HIGH too
    (f,) = found(report, "cors.reflected_origin_credentials")
    assert f.severity is Severity.HIGH
    assert FOREIGN_ORIGIN in f.evidence.text
    (null,) = found(report, "cors.null_origin")
    assert null.severity is Severity.HIGH and null.details["credentials"] is True
    assert not found(report, "cors.wildcard_sensitive")
    # and the probe really sent both origins
    origins = {r.headers.get("Origin") for r in https.requests}
    assert {FOREIGN_ORIGIN, "null"} <= origins


def test_reflection_without_credentials_on_cookie_page_is_medium(serve: ServeFn,
                                                                 audit: AuditFn) -> None:
    https = serve({"/": reflect_origin(credentials=False)}, tls=True)  # type: ignore[dict-item]
    report = audit([pair(None, https)], checks=["cors"])
    assert not found(report, "cors.reflected_origin_credentials")
    (f,) = found(report, "cors.wildcard_sensitive")
    assert f.details["reasons"] == ["sets cookies"]


def test_null_only_allow_list(serve: ServeFn, audit: AuditFn) -> None:
    def handler(request: Request) -> Response:
        extra = [("Access-Control-Allow-Origin", "null")] if request.headers.get(
            "Origin") == "null" else []
        return html(PAGE, headers=[*HARDENED, *extra])

    https = serve({"/": handler}, tls=True)
    report = audit([pair(None, https)], checks=["cors"])
    (f,) = found(report, "cors.null_origin")
    assert f.severity is Severity.MEDIUM
    assert not found(report, "cors.reflected_origin_credentials")


def test_wildcard_on_personal_data_but_not_on_public_page(serve: ServeFn,
                                                          audit: AuditFn) -> None:
    # Given two services answering ACAO: *, one returning a NIK-like record,
    # one a public page without cookies
    star = [("Access-Control-Allow-Origin", "*"), ("Content-Type", "application/json")]
    record = '{"nama": "Warga Contoh", "nik": "3171234567890123"}'
    api = serve({"/": Response(200, star, record)}, tls=True)
    public = serve({"/": html("<h1>Pengumuman</h1>", headers=[
        ("Access-Control-Allow-Origin", "*")])}, tls=True)
    report = audit([pair(None, api), pair(None, public)], checks=["cors.wildcard_sensitive"])
    (f,) = found(report, "cors.wildcard_sensitive")
    assert f.target == api.url("/")
    assert "personal data (identifier)" in f.evidence.text
    assert "3171234567890123" not in repr(report)  # never copied into the report


def test_wildcard_with_credentials_is_not_reported_as_reflection(serve: ServeFn,
                                                                 audit: AuditFn) -> None:
    # Browsers refuse "*" with credentials; that is broken, not exploitable
    https = serve({"/": html("ok", headers=[("Access-Control-Allow-Origin", "*"),
                                            ("Access-Control-Allow-Credentials", "true")])},
                  tls=True)
    report = audit([pair(None, https)], checks=["cors"])
    assert report.findings == ()
