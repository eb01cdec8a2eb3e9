"""pii.partially_masked"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Sensitive, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.content import PersonalData

from ._common import NEEDS, REFERENCES, not_judged_on_unread_documents


@check(
    id="pii.partially_masked",
    judges=Judged.SITE,
    title="Masked NIK/KK still show the birth date (still identifying)",
    severity=Severity.LOW,
    cwe=(359,),
    needs=NEEDS,
    confidence=Confidence.FIRM,
    tags=("uu-pdp",),
    remediation="""
        Mask the birth-date part (digits 7-12) as well: show at most the region code and the
        last two digits, e.g. 1271**********01. Masking only the serial leaves the date of
        birth, the sex (day + 40 for women) and the district, which together with a name
        single a person out.
    """,
    references=REFERENCES,
)
@not_judged_on_unread_documents
def partially_masked(ctx: CheckContext) -> Iterator[Issue]:
    """A NIK whose serial is hidden but whose birth date is visible still reveals
    date of birth, sex and district: combined with a name it identifies the person."""
    for body in ctx.get(PersonalData).bodies:
        scan = body.scan
        if not scan.partial_count:
            continue
        # Shown as region code only: the visible birth date is the problem being reported.
        shown = [v[:4] + "*" * (len(v) - 4) for v in scan.partial]
        yield Issue(
            location=scan.url,
            evidence=f"{scan.partial_count} masked NIK/KK still showing the birth-date part in "
            f"{scan.url}; sample: {'; '.join(shown)}",
            details={"counts": {"nik_partial": scan.partial_count},
                     "total": scan.partial_count, "sample": shown,
                     "fully_masked": scan.masked},
            sensitive=tuple(Sensitive("nik", v) for v in scan.partial),
        )
