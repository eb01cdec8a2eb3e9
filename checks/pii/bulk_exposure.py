"""pii.bulk_exposure"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.content import PersonalData

from ._common import (
    BLOCK_DOCUMENTS,
    NEEDS,
    PDP_46,
    REFERENCES,
    exposure_issue_parts,
    not_judged_on_unread_documents,
    sensitive,
    thresholds,
)


@check(
    id="pii.bulk_exposure",
    judges=Judged.SITE,
    title="Citizens' identifiers are published in bulk (NIK, KK, NPWP, ...)",
    severity=Severity.CRITICAL,
    cwe=(359, 200, 538),
    needs=NEEDS,
    confidence=Confidence.FIRM,
    tags=("uu-pdp", "adminduk"),
    remediation=f"""
        Take the file or endpoint offline now, then assess it as a data breach. {PDP_46}
        Check the access logs for downloads, ask search engines to drop cached copies, and
        publish lists only with identifiers masked so that no birth date remains (e.g. keep
        the region code and the last two digits: 1271**********01), or not at all: a
        beneficiary list needs names and areas, not NIK or KK (UU PDP Pasal 16(2)a).
        {BLOCK_DOCUMENTS}
        For an API, require authentication and return only the fields the caller needs.
    """,
    references=REFERENCES,
)
@not_judged_on_unread_documents
def bulk_exposure(ctx: CheckContext) -> Iterator[Issue]:
    """Ten or more citizens' identifiers in one publicly reachable place is a
    ready-made dataset for identity fraud and a likely breach of UU PDP Pasal 35,
    36 and 39 and UU Adminduk Pasal 84 (NIK and No. KK are protected resident data)."""
    bulk, _ = thresholds(ctx)
    for body in ctx.get(PersonalData).bodies:
        scan = body.scan
        if scan.strong < bulk:
            continue
        evidence, details = exposure_issue_parts(scan)
        yield Issue(
            location=scan.url,
            evidence=f"bulk exposure: {evidence}",
            details={**details, "notification_duty": "UU PDP Pasal 46 (3x24 hours)"},
            sensitive=sensitive(scan.samples),
        )
