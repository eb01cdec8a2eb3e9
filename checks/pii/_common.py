"""Shared judgement for the pii checks: severity from volume and sensitivity,
evidence wording, and which raw values the redactor must mask."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from egov_audit.check import CheckContext, Issue, Sensitive, Skip
from egov_audit.model import Severity
from egov_audit.pii import KIND_NAMES
from egov_audit.pii.analyse import LocationScan
from egov_audit.probes.content import PersonalData
from egov_audit.probes.crawl import Crawl
from egov_audit.probes.site import Site

# The content probe reads the crawl and the entry pages; naming them here makes
# the runner install those probes too (it starts only the probes checks name).
NEEDS = (PersonalData, Crawl, Site)

BULK_THRESHOLD = 10  # citizens' identifiers in one place: a bulk exposure
CONTACT_THRESHOLD = 3  # fewer personal contacts than this is an expected contact block

SEVERE_CUES = frozenset({"health", "children", "criminal"})

_ORDER = (Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)

PDP_46 = (
    "Treat this as a potential personal-data protection failure (kegagalan pelindungan data "
    "pribadi): UU 27/2022 Pasal 46 requires written notice to the data subjects and the PDP "
    "authority within 3×24 hours once a failure is established."
)

REFERENCES = (
    "https://peraturan.bpk.go.id/Details/229798/uu-no-27-tahun-2022",
    "https://owasp.org/www-project-top-ten/",
    "https://cwe.mitre.org/data/definitions/359.html",
)

BLOCK_DOCUMENTS = """
    Block public access to personal-data documents until they are reviewed, e.g. nginx:
      location ~* ^/(uploads|files|data)/.*\\.(xlsx?|csv|pdf|docx?|sql|json)$ { deny all; }
    Apache: <LocationMatch "^/(uploads|files|data)/.*\\.(xlsx?|csv|pdf|docx?|sql)$">
              Require all denied </LocationMatch>
    IIS: <requestFiltering><hiddenSegments><add segment="uploads" />
         </hiddenSegments></requestFiltering>
"""


def thresholds(ctx: CheckContext) -> tuple[int, int]:
    return (int(ctx.setting("bulk_threshold", BULK_THRESHOLD)),
            int(ctx.setting("contact_threshold", CONTACT_THRESHOLD)))


def raise_one(severity: Severity) -> Severity:
    return _ORDER[min(len(_ORDER) - 1, _ORDER.index(severity) + 1)]


def grade(scan: LocationScan, bulk: int, contact: int) -> Severity | None:
    """Severity of the personal data at one location, or None when it is expected.

    Citizens' identifiers (NIK, KK, NPWP, NISN, BPJS, passport, card, account)
    weigh most; a few phone numbers or e-mail addresses are a contact block;
    officials' NIP under signatures are normal practice. Specific data (UU PDP
    Pasal 4(2): health, children, finance, criminal records) raises one level.
    """
    strong, contacts, nip = scan.strong, scan.contacts, scan.counts.get("nip", 0)
    if strong >= bulk:
        return Severity.CRITICAL
    if strong:
        severity = Severity.HIGH
    elif contacts >= bulk or nip >= bulk:
        severity = Severity.MEDIUM
    elif contacts >= contact or nip:
        severity = Severity.LOW
    else:
        return None
    if not scan.cues:
        return severity
    raised = raise_one(severity)
    # Financial cues (bansos, gaji) are everywhere on social-service sites: they raise
    # a few identifiers to high at most; health, children and criminal data go further.
    if raised is Severity.CRITICAL and not set(scan.cues) & SEVERE_CUES:
        return Severity.HIGH
    return raised


def describe_counts(counts: Mapping[str, int]) -> str:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{n} {KIND_NAMES.get(k, k)}" for k, n in ranked)


def sensitive(samples: tuple[tuple[str, str], ...]) -> tuple[Sensitive, ...]:
    return tuple(Sensitive(kind, value) for kind, value in samples)


def exposure_issue_parts(scan: LocationScan) -> tuple[str, dict[str, Any]]:
    """Evidence text and details for an exposure at ``scan``."""
    where = f" (under {', '.join(scan.fields[:5])})" if scan.fields else ""
    sample = "; ".join(value for _, value in scan.samples)
    cues = f"; specific data (UU PDP Pasal 4(2)): {', '.join(scan.cues)}" if scan.cues else ""
    cut = "; the body was truncated, counts are a lower bound" if scan.truncated else ""
    evidence = (f"{describe_counts(scan.counts)} in {scan.url}{where}; sample: {sample}"
                f"{cues}{cut}")
    details: dict[str, Any] = {
        "counts": dict(scan.counts),
        "total": scan.total,
        "citizen_identifiers": scan.strong,
        "fields": list(scan.fields),
        "sample": [value for _, value in scan.samples],
        "specific_data": list(scan.cues),
        "source": scan.source,
        "format": scan.format,
        "truncated": scan.truncated,
    }
    return evidence, details


def not_judged_on_unread_documents(
    func: Callable[[CheckContext], Iterable[Issue]],
) -> Callable[[CheckContext], list[Issue]]:
    """For checks that judge what published documents contain: a document the parser
    refused (a zip bomb, a DTD) or gave up on (time, memory) was not looked at, so
    "nothing found" would be a pass the scan cannot back. Then the check is skipped,
    naming the documents and why; what it found elsewhere is still reported."""

    @functools.wraps(func)
    def judged(ctx: CheckContext) -> list[Issue]:
        issues = list(func(ctx))
        unread = [entry.removeprefix("unread:") for entry in ctx.get(PersonalData).limited
                  if entry.startswith("unread:")]
        if unread and not issues:
            more = f"; and {len(unread) - 3} more" if len(unread) > 3 else ""
            raise Skip(f"not judged, {len(unread)} published document(s) could not be "
                       f"read - {'; '.join(unread[:3])}{more}")
        return issues

    return judged
