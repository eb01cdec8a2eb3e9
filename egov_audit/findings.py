"""Turning what a check observed into a finding: redaction and a stable id."""

from __future__ import annotations

import hashlib

from .check import Check, Issue
from .model import Finding, Target
from .redaction import Redactor


def fingerprint(check_id: str, target: str, location: str, key: str) -> str:
    """A finding id that stays the same across runs for the same problem.

    Built only from already-redacted text, so the id itself can never encode
    a personal identifier.
    """
    material = "\x1f".join((check_id, target, location, key)).encode()
    return hashlib.sha256(material).hexdigest()[:20]


def build_finding(check: Check, issue: Issue, target: Target, redactor: Redactor) -> Finding:
    meta = check.meta
    known = issue.sensitive
    location = redactor.redact_text(issue.location or target.primary_url, known)
    # The key may carry a sensitive value (e.g. the NIK that identifies a leak):
    # only its salted hash reaches the fingerprint.
    key = redactor.hash("key", issue.key) if issue.key else ""
    return Finding(
        id=fingerprint(meta.id, target.spec, location, key),
        check=meta.id,
        title=meta.title,
        severity=issue.severity or meta.severity,
        confidence=issue.confidence or meta.confidence,
        cwe=meta.cwe,
        target=target.spec,
        location=location,
        evidence=redactor.redact(issue.evidence, known),
        description=meta.description,
        remediation=meta.remediation,
        references=meta.references,
        details=redactor.redact_structure(dict(issue.details), known),
    )
