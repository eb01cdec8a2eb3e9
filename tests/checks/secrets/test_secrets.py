"""Secrets in content: found in scripts, maps and exposed files, masked in
every finding, and not raised for placeholders."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest
from egov_audit.checks.secrets import RULES
from egov_audit.checks.secrets._patterns import entropy, find

from egov_audit.demo.server import Response

from ...conftest import AuditFn, ServeFn
from ..portal import HOME, by_check, check_ids, clean_site, html, text

AWS = "AKIAQ7RZ3MXB2KTV4WPN"
TELEGRAM = "6123456789:AAF3kZq9Lw2Xv7Rt5Yp1Nc8Hm4Bd6Gs0Je2"
DB_URL_PASSWORD = "Kp9vR2qW7xLm"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_secret_rule_examples(rule) -> None:  # type: ignore[no-untyped-def]
    assert any(e for _, e in rule.examples) and any(not e for _, e in rule.examples)
    for sample, expect in rule.examples:
        assert bool(find(rule, sample)) is expect, (rule.id, sample)


def test_entropy_orders_random_above_repetitive() -> None:
    assert entropy("aaaaaaaa") == 0
    assert entropy("Kp9vR2qW7xLm") > 3.5


def test_secrets_in_script_map_and_page_are_found_and_masked(
    serve: ServeFn, audit: AuditFn
) -> None:
    # Given a script with an AWS key, a source map with a database URL, and an
    # inline Telegram token, plus placeholder values that must be ignored
    routes = clean_site()
    routes["/"] = html(HOME.replace(
        "</body>", f"<script>var bot='{TELEGRAM}'; var demo='AKIAIOSFODNN7EXAMPLE';</script>"
                   "</body>"))
    routes["/assets/app.js"] = text(
        f"var s3={{accessKeyId:'{AWS}'}};\n//# sourceMappingURL=app.js.map\n",
        "application/javascript")
    routes["/assets/app.js.map"] = text(json.dumps({
        "version": 3, "sources": ["src/db.ts"], "mappings": "AAAA",
        "sourcesContent": [f"const url = 'postgres://portal:{DB_URL_PASSWORD}@10.0.0.5/portal';"
                           "\nconst doc = 'mysql://user:password@localhost/db';"],
    }), "application/json")
    site = serve(routes)
    # When the secrets (and source-map) checks run
    report = audit([site.url("/")], checks=["secrets", "exposure.source_map"])
    # Then each real secret is reported once, where it was seen
    assert check_ids(report) == {"secrets.aws_access_key", "secrets.telegram_bot_token",
                                 "secrets.database_url", "exposure.source_map"}
    (aws,) = by_check(report, "secrets.aws_access_key")
    assert aws.location == site.url("/assets/app.js")
    (db,) = by_check(report, "secrets.database_url")
    assert db.details["sources"] == ["source map"]
    # and no raw secret survives anywhere in the findings
    dumped = json.dumps([asdict(f) for f in report.findings], default=str)
    for raw in (AWS, TELEGRAM, DB_URL_PASSWORD):
        assert raw not in dumped
    assert "AKIA************" in aws.evidence.text
    assert any(r.kind == "secret" for r in aws.evidence.redactions)


def test_the_same_secret_on_many_pages_is_one_finding(serve: ServeFn, audit: AuditFn) -> None:
    routes = clean_site()
    for path in ("/", "/profil", "/berita"):
        routes[path] = html(f"<html><body><a href='/profil'>p</a><a href='/berita'>b</a>"
                            f"<script>k='{AWS}'</script></body></html>")
    site = serve(routes)
    report = audit([site.url("/")], checks=["secrets.aws_access_key"])
    (finding,) = report.findings
    assert len(finding.details["locations"]) == 3


def test_jwt_finding_carries_triage_claims_not_the_token(serve: ServeFn, audit: AuditFn) -> None:
    # Given a page embedding a service-role JWT
    token = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaXNzIjoicG9y"
             "dGFsIn0.kQ7zR3mW9vLx2Np5Tb8Yc4HdJ6sF1gA0")
    routes = clean_site()
    routes["/"] = html(HOME.replace("</body>", f"<script>var t='{token}'</script></body>"))
    site = serve(routes)
    report = audit([site.url("/")], checks=["secrets.jwt"])
    (finding,) = report.findings
    assert finding.details["claims"] == {"alg": "HS256", "typ": "JWT", "role": "service_role",
                                         "iss": "portal"}
    assert token not in json.dumps(asdict(finding), default=str)


def test_secrets_in_api_answers_and_error_pages_are_found(serve: ServeFn, audit: AuditFn) -> None:
    # Given an API named only in a script that echoes a key, and a linked page that
    # fails with a debug dump holding a database URL
    routes = clean_site()
    routes["/"] = html(HOME.replace(
        "</body>", "<a href='/laporan'>Laporan</a><script src='/assets/app.js'></script></body>"))
    routes["/assets/app.js"] = text("fetch('/api/v1/config').then(r => r.json());",
                                    "application/javascript")
    routes["/api/v1/config"] = text(json.dumps({"storage": {"key": AWS}}), "application/json")
    routes["/laporan"] = Response(500, [("Content-Type", "text/plain")],
                                  f"Exception at db: postgres://portal:{DB_URL_PASSWORD}"
                                  "@10.0.0.5/p")
    site = serve(routes)
    # When the secrets checks run
    report = audit([site.url("/")], checks=["secrets"])
    # Then both are reported where a visitor meets them
    (aws,) = by_check(report, "secrets.aws_access_key")
    assert aws.location == site.url("/api/v1/config")
    (db,) = by_check(report, "secrets.database_url")
    assert db.details["sources"] == ["error page"]
