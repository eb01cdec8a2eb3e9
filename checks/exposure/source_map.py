"""exposure.source_map"""

from __future__ import annotations

import json
from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.crawl import Crawl


@check(
    id="exposure.source_map",
    title="JavaScript source maps of the site are publicly downloadable",
    severity=Severity.LOW,
    cwe=(540, 200),
    needs=(Crawl,),
    judges=Judged.SITE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Do not deploy .map files to production (webpack: devtool: false or
        'hidden-source-map' with the maps uploaded only to your error tracker;
        Vite: build.sourcemap: false), or deny them:
          nginx:  location ~* \\.map$ { deny all; }
          Apache: <FilesMatch "\\.map$"> Require all denied </FilesMatch>
        Review the original sources for secrets, internal URLs and comments.
    """,
    references=(
        "https://developer.mozilla.org/en-US/docs/Glossary/Source_map",
        "https://cwe.mitre.org/data/definitions/540.html",
    ),
)
def source_map(ctx: CheckContext) -> Iterator[Issue]:
    """A source map rebuilds the original, unminified front-end code with its
    file layout and comments; with ``sourcesContent`` it is the full source. It
    shows internal API routes and sometimes keys that the build inlined."""
    for resp in ctx.get(Crawl).source_maps:
        try:
            data = json.loads(resp.body)
        except (ValueError, UnicodeDecodeError):
            continue  # truncated or not a map (e.g. a catch-all page): not evidence
        if not isinstance(data, dict) or "mappings" not in data:
            continue
        sources = [str(s) for s in data.get("sources", []) if isinstance(s, str)]
        if not sources:
            continue
        contents = data.get("sourcesContent") or []
        full = any(isinstance(c, str) and c for c in contents)
        yield Issue(
            location=resp.url,
            key=resp.url,
            evidence=(
                f"GET {resp.url} → {resp.status}: source map v{data.get('version')} with "
                f"{len(sources)} source files"
                + (", original code included (sourcesContent)" if full else "")
                + f"; e.g. {', '.join(sources[:5])}"
            ),
            severity=Severity.MEDIUM if full else None,
            details={"sources": sources[:50], "sources_total": len(sources),
                     "has_sources_content": full},
        )
