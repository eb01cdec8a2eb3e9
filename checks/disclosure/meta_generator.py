"""disclosure.meta_generator"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.banners import has_version
from .._web.markup import markup
from .._web.page import judged


@check(
    id="disclosure.meta_generator",
    title="<meta name=\"generator\"> reveals the CMS version",
    severity=Severity.LOW,
    cwe=(497, 200),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Remove the generator tag from the theme:
          WordPress: remove_action('wp_head', 'wp_generator'); (functions.php)
          Joomla:    $this->setGenerator(''); in the template's index.php
          Drupal:    remove the "Generator" meta via a theme preprocess hook
        Web-server rewriting (nginx sub_filter, Apache mod_substitute) also works
        when the CMS cannot be changed.
    """,
    references=("https://developer.wordpress.org/reference/functions/wp_generator/",),
    tags=("bssn-k72",),
)
def meta_generator(ctx: CheckContext) -> Iterator[Issue]:
    """A CMS version in every page's markup lets automated campaigns (e.g. the
    judi-online SEO injections hitting go.id sites) pick unpatched sites (BSSN K72).
    INFO when the tag names the product without a version."""
    resp = judged(ctx.get(Site))
    for content in dict.fromkeys(markup(resp).meta(name="generator")):
        content = content.strip()
        if not content:
            continue
        versioned = has_version(content)
        yield Issue(
            location=resp.final_url,
            key=content,
            evidence=f"<meta name=\"generator\" content=\"{content[:120]}\">",
            severity=None if versioned else Severity.INFO,
            details={"generator": content, "version": versioned},
        )
