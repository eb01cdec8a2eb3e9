"""pii.privacy_notice_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.pii.web import is_privacy_page, links_privacy_notice, personal_fields
from egov_audit.probes.content import PersonalData

from ._common import NEEDS


@check(
    id="pii.privacy_notice_missing",
    judges=Judged.HTML_PAGES,
    title="Pages that collect personal data link to no privacy notice",
    severity=Severity.MEDIUM,
    cwe=(359,),
    needs=NEEDS,
    confidence=Confidence.TENTATIVE,
    tags=("uu-pdp",),
    remediation="""
        Publish a privacy notice (Pemberitahuan Privasi / Kebijakan Privasi) and link it next
        to every form that collects personal data. Under UU PDP Pasal 21 it states the legal
        basis, the purpose, the kinds of data and why they are relevant, how long they are
        kept, and the data subject's rights, with a contact for the data protection officer.
    """,
    references=("https://peraturan.bpk.go.id/Details/229798/uu-no-27-tahun-2022",),
)
def privacy_notice_missing(ctx: CheckContext) -> Iterator[Issue]:
    """Citizens asked for their NIK, phone or address must be told why, for how long
    and with which rights (UU PDP Pasal 21); without a notice the collection is not
    transparent (Pasal 16(2)a) and consent may be void (Pasal 22)."""
    data = ctx.get(PersonalData)
    collecting: dict[str, list[str]] = {}
    for page in data.pages:
        forms = [f for f in data.forms if f.page in (page.final_url, page.url)]
        fields = sorted({n for f in forms for n in personal_fields(f)})
        if fields and not links_privacy_notice(page.text):
            collecting[page.final_url] = fields
    if not collecting:
        return
    elsewhere = [p.final_url for p in data.pages
                 if is_privacy_page(p.final_url, p.text) or links_privacy_notice(p.text)]
    pages = sorted(collecting)
    first = pages[0]
    note = (f"; a privacy notice exists elsewhere ({elsewhere[0]}) but is not linked from "
            "these pages" if elsewhere else "; no privacy notice was found on the crawled site")
    yield Issue(
        location=first,
        evidence=f"{len(pages)} page(s) collect personal data ({', '.join(collecting[first])} "
        f"on {first}) without a link to a privacy notice{note}",
        severity=Severity.LOW if elsewhere else None,
        details={"pages": pages[:10], "privacy_notice_elsewhere": elsewhere[:3]},
    )
