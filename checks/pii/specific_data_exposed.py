"""pii.specific_data_exposed"""

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
    SEVERE_CUES,
    exposure_issue_parts,
    not_judged_on_unread_documents,
    sensitive,
    thresholds,
)

_NAMES = {"children": "children's data", "health": "health data",
          "criminal": "criminal records"}


@check(
    id="pii.specific_data_exposed",
    judges=Judged.SITE,
    title="Specific personal data (children, health, criminal records) is published in bulk",
    severity=Severity.CRITICAL,
    cwe=(359, 200, 538),
    needs=NEEDS,
    confidence=Confidence.FIRM,
    tags=("uu-pdp", "uu-pdp-pasal-4-2"),
    remediation=f"""
        Take the list offline now and assess it as a data breach. {PDP_46}
        Specific personal data (UU PDP Pasal 4(2)) needs a stronger basis and protection
        than general data; children's data also needs the consent of a parent or guardian
        (Pasal 25). Announce results (PPDB, selection lists) with a registration number or
        initials, never the NISN, NIK or birth date of a child; keep the full list behind
        a login for the school and the parents.
        {BLOCK_DOCUMENTS}
    """,
    references=REFERENCES,
)
@not_judged_on_unread_documents
def specific_data_exposed(ctx: CheckContext) -> Iterator[Issue]:
    """Ten or more citizens' identifiers published together with specific personal data
    (UU PDP Pasal 4(2)): a PPDB announcement listing students' NISN, a patient list, a
    list of prisoners. The exposure is the same as ``pii.bulk_exposure``; this finding
    names the category, which raises the duty of care and the sanction that applies."""
    bulk, _ = thresholds(ctx)
    for body in ctx.get(PersonalData).bodies:
        scan = body.scan
        categories = sorted(set(scan.cues) & SEVERE_CUES)
        if scan.strong < bulk or not categories:
            continue
        evidence, details = exposure_issue_parts(scan)
        named = ", ".join(_NAMES.get(c, c) for c in categories)
        yield Issue(
            location=scan.url,
            evidence=f"specific personal data (UU PDP Pasal 4(2): {named}) in bulk: {evidence}",
            details={**details, "categories": categories,
                     "notification_duty": "UU PDP Pasal 46 (3x24 hours)"},
            sensitive=sensitive(scan.samples),
        )
