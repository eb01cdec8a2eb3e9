"""pii.document_metadata"""

from __future__ import annotations

import re
from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.content import PersonalData

from ._common import NEEDS, not_judged_on_unread_documents

# Defaults written by office software and shared accounts: nobody in particular.
_GENERIC = re.compile(
    r"^(?:user|admin(?:istrator)?|owner|operator\d*|pc|windows user|microsoft office user|"
    r"author|unknown|guest|lenovo|asus|acer|dell|hp|toshiba|staff|default|"
    r"(?:microsoft|libreoffice|openoffice|wps|google|adobe|apache poi|openpyxl|python).*)$",
    re.I,
)


def mask_name(name: str) -> str:
    """``Budi Santoso`` → ``B*** S******``: enough to recognise, not to copy."""
    return " ".join(w[:1] + "*" * (len(w) - 1) for w in name.split())


@check(
    id="pii.document_metadata",
    judges=Judged.DOCUMENTS,
    title="Published documents name their author or editor in metadata",
    severity=Severity.LOW,
    cwe=(212, 200),
    needs=NEEDS,
    confidence=Confidence.CERTAIN,
    tags=("uu-pdp",),
    remediation="""
        Remove personal metadata before publishing: in Microsoft Office use File → Info →
        Check for Issues → Inspect Document → Document Properties and Personal Information;
        in LibreOffice uncheck "Apply user data" (Tools → Options → Security); for PDF export
        clear the Author field, or strip it with `exiftool -all= file.pdf`.
    """,
    references=("https://cwe.mitre.org/data/definitions/212.html",),
)
@not_judged_on_unread_documents
def document_metadata(ctx: CheckContext) -> Iterator[Issue]:
    """Author and "last modified by" fields name staff members and their accounts,
    which helps phishing and shows which workstation handled the data."""
    for body in ctx.get(PersonalData).bodies:
        meta = {k: v for k, v in body.scan.metadata.items() if not _GENERIC.match(v.strip())}
        if not meta:
            continue
        # "field 'value'" rather than "field: value": the redactor's secret pattern
        # would read "author: ..." as an auth token and mask the masked name again.
        shown = ", ".join(f"{k.replace('_', ' ')} '{mask_name(v)}'" for k, v in meta.items())
        yield Issue(
            location=body.scan.url,
            evidence=f"document metadata names a person ({shown}) in {body.scan.url}",
            details={"fields": sorted(meta), "format": body.scan.format},
        )
