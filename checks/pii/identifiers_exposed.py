"""pii.identifiers_exposed"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.content import PersonalData

from ._common import (
    BLOCK_DOCUMENTS,
    NEEDS,
    REFERENCES,
    exposure_issue_parts,
    grade,
    not_judged_on_unread_documents,
    sensitive,
    thresholds,
)


@check(
    id="pii.identifiers_exposed",
    judges=Judged.SITE,
    title="Personal identifiers or contact details of individuals are publicly readable",
    severity=Severity.HIGH,
    cwe=(359, 200),
    needs=NEEDS,
    confidence=Confidence.FIRM,
    tags=("uu-pdp",),
    remediation=f"""
        Remove the identifiers from the public page, API response or document, or mask them
        so that nothing identifying remains (no birth-date part of a NIK, no full phone
        number). Publish an officer's office number or a service mailbox instead of personal
        numbers. If the data was reachable for a while, assess whether UU PDP Pasal 46
        notification applies.
        {BLOCK_DOCUMENTS}
    """,
    references=REFERENCES,
)
@not_judged_on_unread_documents
def identifiers_exposed(ctx: CheckContext) -> Iterator[Issue]:
    """Each published identifier of a citizen (NIK, KK, NPWP, NISN, BPJS, passport,
    card or account number) or a list of personal phone numbers and addresses can be
    misused for fraud or profiling; severity grows with volume and with specific data
    (health, children, finance) under UU PDP Pasal 4(2). One or two contacts on a
    contact page are expected and not reported; bulk lists are ``pii.bulk_exposure``."""
    bulk, contact = thresholds(ctx)
    for body in ctx.get(PersonalData).bodies:
        scan = body.scan
        severity = grade(scan, bulk, contact)
        if severity is None or scan.strong >= bulk:
            continue
        evidence, details = exposure_issue_parts(scan)
        yield Issue(location=scan.url, evidence=evidence, severity=severity, details=details,
                    sensitive=sensitive(scan.samples))
