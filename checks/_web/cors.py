"""Reading CORS answers, and telling whether a response is worth protecting."""

from __future__ import annotations

import os
from functools import cache

from egov_audit.probes.http import HttpResponse
from egov_audit.redaction import Redactor

# Kinds from the redactor's safety net that mean "data about a person"
# (e-mail is left out: a public contact address on a page is not a leak).
PERSONAL_KINDS = frozenset({"identifier", "npwp", "card", "phone", "nik", "kk"})


def allow_origin(resp: HttpResponse) -> str | None:
    value = resp.header("Access-Control-Allow-Origin")
    return value.strip() if value is not None else None


def allows_credentials(resp: HttpResponse) -> bool:
    # The only valid value is the literal "true" (case-sensitive in the Fetch spec).
    return (resp.header("Access-Control-Allow-Credentials") or "").strip() == "true"


@cache
def _detector() -> Redactor:
    # Only the kinds of redactions are used, never the hashes, so any salt works.
    return Redactor(os.urandom(16))


def personal_data_kinds(resp: HttpResponse) -> list[str]:
    """Kinds of personal data the redactor's patterns see in the body."""
    if not resp.body:
        return []
    evidence = _detector().redact(resp.text[:500_000])
    return sorted({r.kind for r in evidence.redactions} & PERSONAL_KINDS)


def sensitivity(resp: HttpResponse) -> list[str]:
    """Why a cross-origin reader of this response would learn something private."""
    reasons = []
    if resp.headers_all("Set-Cookie"):
        reasons.append("sets cookies")
    kinds = personal_data_kinds(resp)
    if kinds:
        reasons.append("carries personal data (" + ", ".join(kinds) + ")")
    return reasons


def remediation_snippets() -> str:
    """Allow-list snippets, indented for a check's ``remediation=`` text."""
    lines = [
        "  nginx:  map $http_origin $cors_ok {",
        "            default \"\"; \"https://app.example.go.id\" $http_origin; }",
        "          add_header Access-Control-Allow-Origin $cors_ok always;",
        "          add_header Vary Origin always;",
        "  Apache: SetEnvIf Origin \"^https://app\\.example\\.go\\.id$\" CORS_OK=$0",
        "          Header always set Access-Control-Allow-Origin %{CORS_OK}e env=CORS_OK",
        "          Header always merge Vary Origin",
        "  IIS:    <cors enabled=\"true\"><add origin=\"https://app.example.go.id\"",
        "          allowCredentials=\"true\" /></cors>   (IIS CORS module)",
    ]
    return ("\n" + " " * 8).join(lines)
