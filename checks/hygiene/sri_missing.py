"""hygiene.sri_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.markup import is_third_party, markup
from .._web.page import judged
from ._third_party import sri_exempt


@check(
    id="hygiene.sri_missing",
    title="A script or stylesheet from another origin is loaded without Subresource Integrity",
    severity=Severity.MEDIUM,
    cwe=(353, 829),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Pin the exact file with its hash, and load it with CORS:
          <script src="https://cdn.example.go.id/lib/jquery-3.7.1.min.js"
                  integrity="sha384-<base64 hash>" crossorigin="anonymous"></script>
        (compute the hash with: openssl dgst -sha384 -binary FILE | openssl base64 -A).
        Better for a government service: host the library on the site itself.
        Web servers cannot add SRI; it belongs in the templates (CMS theme).
    """,
    references=(
        "https://www.w3.org/TR/SRI/",
        "https://developer.mozilla.org/en-US/docs/Web/Security/Subresource_Integrity",
    ),
    tags=("bssn-k50", "bssn-k71"),
)
def sri_missing(ctx: CheckContext) -> Iterator[Issue]:
    """If the CDN or the library's host is compromised (as polyfill.io was in 2024),
    its new code runs on every page of the government site, and can read what
    citizens type. SRI makes the browser refuse a changed file. Scripts are MEDIUM,
    stylesheets LOW; tag managers and font CSS, which cannot carry SRI, are
    inventoried by hygiene.third_party_trackers instead."""
    resp = judged(ctx.get(Site))
    extra = ctx.setting("extra_trackers", ())
    seen: set[str] = set()
    for res in markup(resp).resources:
        if not res.active or res.tag not in ("script", "link") or (res.integrity or "").strip():
            continue
        if res.url in seen or not is_third_party(res.url, resp.final_url):
            continue
        seen.add(res.url)
        if sri_exempt(res.url, extra):
            continue
        script = res.tag == "script" or res.rel == "modulepreload"
        yield Issue(
            location=resp.final_url,
            key=res.url,
            evidence=f"<{res.tag} {'src' if res.tag == 'script' else 'href'}=\"{res.url}\"> "
            "without integrity=",
            severity=None if script else Severity.LOW,
            details={"resource": res.url, "tag": res.tag},
        )
