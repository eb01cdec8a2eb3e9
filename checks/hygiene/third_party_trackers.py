"""hygiene.third_party_trackers"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.markup import markup
from .._web.page import judged
from ._third_party import trackers


@check(
    id="hygiene.third_party_trackers",
    title="The page embeds third-party analytics or tracking services",
    severity=Severity.INFO,
    cwe=(359,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.FIRM,
    remediation="""
        Keep an inventory of every third party that receives visitors' data, with a
        legal basis and a transfer assessment for vendors outside Indonesia
        (UU PDP Pasal 56). Prefer self-hosted analytics (e.g. Matomo on the
        institution's own servers), do not load trackers on pages with forms for
        personal data, and mention them in the privacy notice.
    """,
    references=("https://peraturan.bpk.go.id/Details/229798/uu-no-27-tahun-2022",),
    tags=("uu-pdp-56",),
)
def third_party_trackers(ctx: CheckContext) -> Iterator[Issue]:
    """Each tracker receives the visitor's IP address, the pages they visit and
    often what they click, usually outside Indonesia: a cross-border transfer of
    personal data the institution must be able to justify (UU PDP Pasal 56).
    Reported for inventory, not as a vulnerability."""
    resp = judged(ctx.get(Site))
    page = markup(resp)
    hosts = {(urlsplit(r.url).hostname or "").lower() for r in page.resources}
    inline = "\n".join(page.inline_script_texts)
    for tracker in trackers(ctx.setting("extra_trackers", ())):
        via = sorted(h for h in hosts if tracker.matches_host(h))
        if not via and not tracker.mentioned_in(inline):
            continue
        yield Issue(
            location=resp.final_url,
            key=tracker.name,
            evidence=f"{tracker.name} ({tracker.vendor}, {tracker.country}) loaded from "
            + (", ".join(via) if via else "an inline tag snippet"),
            details={"tracker": tracker.name, "vendor": tracker.vendor,
                     "country": tracker.country, "category": tracker.category, "hosts": via},
        )
