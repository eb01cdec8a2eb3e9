"""pii.tracker_on_form"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.pii.web import personal_fields, trackers_in
from egov_audit.probes.content import PersonalData

from ._common import NEEDS


@check(
    id="pii.tracker_on_form",
    judges=Judged.HTML_PAGES,
    title="Third-party trackers run on pages that collect personal data",
    severity=Severity.MEDIUM,
    cwe=(359, 201),
    needs=NEEDS,
    confidence=Confidence.FIRM,
    tags=("uu-pdp", "third-party"),
    remediation="""
        Remove analytics and advertising scripts from pages with forms that collect personal
        data, or self-host privacy-preserving analytics without session recording. If a
        tracker must stay, load it only after consent, disable form-field capture, and
        document the transfer (UU PDP Pasal 20 lawful basis, Pasal 56 cross-border).
        A Content-Security-Policy `script-src 'self'` on these pages enforces the choice.
    """,
    references=("https://owasp.org/www-project-top-10-privacy-risks/",),
)
def tracker_on_form(ctx: CheckContext) -> Iterator[Issue]:
    """Analytics, advertising and session-recording scripts on a form page can read
    what citizens type and send it, with their browsing profile, to a third party
    abroad: a transfer the citizen was never told about."""
    data = ctx.get(PersonalData)
    for page in data.pages:
        forms = [f for f in data.forms if f.page in (page.final_url, page.url)]
        fields = sorted({n for f in forms for n in personal_fields(f)})
        if not fields:
            continue
        hosts = trackers_in(page.body, page.final_url)
        if hosts:
            yield Issue(
                location=page.final_url,
                evidence=f"page collecting {', '.join(fields)} loads {', '.join(hosts)}",
                details={"trackers": hosts, "fields": fields},
            )
