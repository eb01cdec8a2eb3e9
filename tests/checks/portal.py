"""A clean imitation portal and finding filters, shared by the tests of the content
families (exposure, secrets, errors, integrity) and of the path rules.

A plain module, not a conftest: it holds no fixtures, and the families import it."""

from __future__ import annotations

import io
import zipfile

from egov_audit.demo.server import Response, html
from egov_audit.model import RunReport

FAMILIES = ("exposure", "secrets", "errors", "integrity")

HOME = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>Portal Resmi Pemerintah Kota Contoh</title>
<meta name="description" content="Portal informasi dan layanan publik Kota Contoh"></head>
<body><h1>Pemerintah Kota Contoh</h1>
<p>Selamat datang di portal resmi. Informasi layanan perizinan, kependudukan dan pengaduan.</p>
<p><a href="/profil">Profil</a> <a href="/berita">Berita</a> <a href="/layanan">Layanan</a>
<a href="https://www.instagram.com/kotacontoh">Instagram</a></p>
<script src="/assets/app.js"></script></body></html>"""

APP_JS = Response(200, [("Content-Type", "application/javascript")],
                  "document.addEventListener('DOMContentLoaded',function(){console.log('ok')});\n")


def text(body: str | bytes, ctype: str = "text/plain") -> Response:
    return Response(200, [("Content-Type", ctype)], body)


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("public_html/index.php", "<?php echo 'portal';")
    return buf.getvalue()


def clean_site() -> dict[str, Response]:
    return {
        "/": html(HOME),
        "/profil": html("<html><head><title>Profil</title></head><body><p>Profil kota.</p>"
                        "</body></html>"),
        "/berita": html("<html><head><title>Berita</title></head><body><p>Berita terbaru.</p>"
                        "</body></html>"),
        "/layanan": html("<html><head><title>Layanan</title></head><body><p>Layanan publik.</p>"
                         "</body></html>"),
        "/assets/app.js": APP_JS,
        "/robots.txt": text("User-agent: *\nDisallow:\n"),
    }


def check_ids(report: RunReport) -> set[str]:
    return {f.check for f in report.findings}


def by_check(report: RunReport, check_id: str) -> list:  # type: ignore[type-arg]
    return [f for f in report.findings if f.check == check_id]


__all__ = ["FAMILIES", "HOME", "by_check", "check_ids", "clean_site", "html", "text", "zip_bytes"]
