"""Disclosure checks: banners with versions in headers and the generator meta tag."""

from __future__ import annotations

from egov_audit.demo.server import html, redirect
from egov_audit.model import Severity

from ...conftest import AuditFn, ServeFn, pair
from .._web.helpers import found
from .._web.servers import HARDENED, PAGE


def test_versions_in_headers_and_markup(serve: ServeFn, audit: AuditFn) -> None:
    # Given an Apache/PHP stack that announces itself, with a WordPress generator tag
    body = PAGE.replace("<title>", '<meta name="generator" content="WordPress 6.4.2"><title>')
    https = serve({"/": html(body, headers=[*HARDENED, ("X-Powered-By", "PHP/7.4.3"),
                                            ("X-AspNet-Version", "4.0.30319"),
                                            ("X-Generator", "Drupal 10 (https://drupal.example.org)")])},
                  tls=True, server_header="Apache/2.4.41 (Ubuntu)")
    # and a plain-HTTP listener that is a different, older server
    http = serve({"/": redirect(https.url("/"))}, server_header="nginx/1.14.0")
    report = audit([pair(http, https)], checks=["disclosure"])
    servers = sorted(f.details["value"] for f in found(report, "disclosure.server_version"))
    assert servers == ["Apache/2.4.41 (Ubuntu)", "nginx/1.14.0"]
    assert found(report, "disclosure.x_powered_by")[0].evidence.text == "X-Powered-By: PHP/7.4.3"
    assert found(report, "disclosure.aspnet_version")
    (gen,) = found(report, "disclosure.x_generator")
    assert gen.severity is Severity.INFO  # "Drupal 10": a major version says little
    (meta,) = found(report, "disclosure.meta_generator")
    assert meta.severity is Severity.LOW and meta.details["generator"] == "WordPress 6.4.2"


def test_product_names_without_versions(serve: ServeFn, audit: AuditFn) -> None:
    body = PAGE.replace("<title>", '<meta name="generator" content="Joomla! - CMS"><title>')
    https = serve({"/": html(body, headers=HARDENED)}, tls=True, server_header="nginx")
    report = audit([pair(None, https)], checks=["disclosure"])
    assert not found(report, "disclosure.server_version")
    (meta,) = found(report, "disclosure.meta_generator")
    assert meta.severity is Severity.INFO
