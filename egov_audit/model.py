"""The vocabulary of an audit: targets, check metadata, findings, results, reports.

Every type here is a frozen dataclass, so a snapshot of what a run saw can be
shared between threads, pickled to a worker, and serialised to the JSON result
(:mod:`egov_audit.result_io`) without surprises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; used for gating and sorting."""
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {value!r}; expected one of "
                + ", ".join(s.value for s in cls)
            ) from None


_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class Confidence(StrEnum):
    """How sure the check is that the finding is real (ZAP's scale, shortened)."""

    CERTAIN = "certain"  # observed directly, no interpretation
    FIRM = "firm"  # strong signal, small chance of a false positive
    TENTATIVE = "tentative"  # heuristic; a person should confirm


class Status(StrEnum):
    """Outcome of one check on one target."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    SKIPPED = "skipped"


class Reason(StrEnum):
    """Why a check result, probe, fetch or target is not a plain pass or fail:
    a stable code for programs, next to the free-text reason for people.

    The values are a public contract (``reason_code`` in the JSON result):
    never rename one; a new kind of failure gets a new code in a minor
    version, and readers take a code they do not know as ``other``.
    """

    # A request, as the HTTP client reports it (probes/http.py).
    OUT_OF_SCOPE = "out_of_scope"  # the URL or a redirect left the audit scope
    URL_REFUSED = "url_refused"  # not sendable as written (backslash, control, userinfo)
    OVER_BUDGET = "over_budget"  # the host's request budget was spent
    CERT_UNVERIFIED = "cert_unverified"  # the HTTPS certificate could not be verified
    TLS_FAILED = "tls_failed"  # the TLS handshake failed for another reason
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_FAILED = "connection_failed"  # reset, closed, or no route
    NAME_UNRESOLVED = "name_unresolved"  # the host name does not resolve
    TIMEOUT = "timeout"  # no complete answer in time (connect, read, or a deadline)
    MALFORMED_RESPONSE = "malformed_response"  # not HTTP, bad chunking, cut short, bad coding
    RESPONSE_TOO_LARGE = "response_too_large"  # beyond a size bound (headers)
    TOO_MANY_REDIRECTS = "too_many_redirects"
    # The engine.
    DEADLINE = "deadline"  # work stopped at the target's or the run's deadline
    INTERRUPTED = "interrupted"  # Ctrl-C or SIGTERM before the work finished
    NOT_APPLICABLE = "not_applicable"  # the check has nothing to judge on this target
    DEPENDENCY_MISSING = "dependency_missing"  # a probe or a tool (nmap) is not installed
    PROBE_FAILED = "probe_failed"  # a probe failed for a reason it did not classify
    PROBE_CRASHED = "probe_crashed"  # a probe raised an unexpected exception
    CHECK_CRASHED = "check_crashed"  # a check raised an unexpected exception
    INTERNAL_ERROR = "internal_error"  # the engine failed on this target
    # Distributed runs (egov_audit/distributed).
    WORKER_FAILED = "worker_failed"  # the worker could not audit the target
    ATTEMPTS_EXHAUSTED = "attempts_exhausted"  # every worker given it was lost
    WORKER_MISMATCH = "worker_mismatch"  # the worker's catalogue, salt or settings differ
    OTHER = "other"  # anything else, and codes from a newer contract version

    @classmethod
    def read(cls, value: str | None) -> Reason | None:
        """The code in a stored result: None when absent (written before codes
        existed), ``other`` when unknown (written by a newer minor version)."""
        if value is None:
            return None
        try:
            return cls(value)
        except ValueError:
            return cls.OTHER


class TargetStatus(StrEnum):
    OK = "ok"  # every needed probe answered
    PARTIAL = "partial"  # some probes or checks errored
    ERROR = "error"  # nothing could be collected


@dataclass(frozen=True)
class Service:
    """What the audit configuration says about the service behind a target.

    The defaults are deliberately middle-of-the-road so that an unconfigured
    target is neither ignored nor over-weighted by prioritisation.
    """

    name: str | None = None
    opd: str | None = None  # owning unit (Organisasi Perangkat Daerah)
    criticality: str = "medium"  # low | medium | high | vital
    data_classification: str = "internal"  # public | internal | personal | specific
    exposure: str = "internet"  # internet | internal


@dataclass(frozen=True)
class Target:
    """One endpoint to audit, as given by the user, resolved into URLs.

    ``spec`` is the text exactly as given (command line, target file or
    configuration) and is what findings quote as their target, so that a
    person recognises it. ``http_url``/``https_url`` are the entry points the
    HTTP probes start from; either may be ``None`` when it cannot be derived.
    """

    spec: str
    host: str
    http_url: str | None
    https_url: str | None
    service: Service = field(default_factory=Service)

    @property
    def tls_port(self) -> int | None:
        from urllib.parse import urlsplit

        if self.https_url is None:
            return None
        return urlsplit(self.https_url).port or 443

    @property
    def primary_url(self) -> str:
        url = self.https_url or self.http_url
        assert url is not None  # targets.parse_target guarantees one of them
        return url


@dataclass(frozen=True)
class Redaction:
    """One sensitive value that was masked out of a piece of evidence.

    ``hash`` is a salted HMAC of the original value: equal values give equal
    hashes within one installation (so findings de-duplicate across runs),
    while the value itself cannot be recovered or brute-forced without the salt.
    """

    kind: str  # nik, kk, phone, email, card, secret, password, ...
    masked: str
    hash: str


@dataclass(frozen=True)
class Evidence:
    """What a check saw, after redaction. Never construct this with raw data:
    :func:`egov_audit.findings.build_finding` does it through the redactor."""

    text: str
    redactions: tuple[Redaction, ...] = ()


class Judged(StrEnum):
    """What a check reads, so that a report can say how far its verdict reaches.

    A pass of an ``entry_page`` check says nothing about inner pages; a pass of
    an ``html_pages`` check covers every page the crawl fetched.
    """

    ENDPOINT = "endpoint"  # the service as a whole: TLS handshakes, open ports, DNS
    ENTRY_PAGE = "entry_page"  # the target's own URL and what it sends
    HTML_PAGES = "html_pages"  # every HTML page the crawl fetched (up to its bounds)
    API_RESPONSES = "api_responses"  # every JSON/XML endpoint discovered
    DOCUMENTS = "documents"  # every published document the crawl downloaded
    SITE = "site"  # everything discovered on the origin: pages, APIs, documents, sweeps


@dataclass(frozen=True)
class CheckMeta:
    """Everything a report needs to say about a check, independent of any run."""

    id: str  # family.name, stable forever
    title: str  # states the failure: "HSTS header is missing"
    severity: Severity
    cwe: tuple[int, ...]
    description: str  # the risk, in a sentence or two
    remediation: str
    references: tuple[str, ...] = ()
    confidence: Confidence = Confidence.FIRM
    tags: tuple[str, ...] = ()
    judges: Judged = Judged.ENDPOINT

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Finding:
    """A failed check on a target, at one location. The JSON form is public."""

    id: str  # stable fingerprint across runs
    check: str
    title: str
    severity: Severity
    confidence: Confidence
    cwe: tuple[int, ...]
    target: str
    location: str
    evidence: Evidence
    description: str
    remediation: str
    references: tuple[str, ...]
    controls: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one target, with the reason when not pass/fail."""

    check: str
    target: str
    status: Status
    reason: str | None = None
    duration_ms: float = 0.0
    reason_code: Reason | None = None  # set whenever ``reason`` is; None on pass and fail


@dataclass(frozen=True)
class ProbeRecord:
    """Whether a probe produced its snapshot for a target, and why not."""

    probe: str
    ok: bool
    error: str | None = None
    duration_ms: float = 0.0
    reason_code: Reason | None = None  # why ``error``; None when the probe answered


@dataclass(frozen=True)
class SiteMapEntry:
    """One URL the discovery stage found on a target's origin, and how.

    ``url`` has passed the redactor (a query string can carry a NIK).
    ``status`` is None when the URL was found but not requested (a bound, the
    request budget, or a kind that is listed but never fetched, like a form
    action).
    """

    url: str
    kind: str  # page, document, script, source_map, api, form, directory, error
    # entry, link, form, script, source_map, robots, sitemap, listing, openapi,
    # pagination, sweep
    found_by: str
    status: int | None = None


@dataclass(frozen=True)
class TargetOutcome:
    """Everything one unit of work (one target) produced."""

    target: Target
    status: TargetStatus
    error: str | None
    probes: tuple[ProbeRecord, ...]
    results: tuple[CheckResult, ...]
    findings: tuple[Finding, ...]
    site_map: tuple[SiteMapEntry, ...] = ()
    reason_code: Reason | None = None  # why ``error``; None when there is none


@dataclass(frozen=True)
class RunInfo:
    id: str
    started_at: str  # RFC 3339, UTC
    finished_at: str
    duration_s: float
    options: Mapping[str, Any]
    interrupted: bool = False
    # Per host: requests sent on the wire, answered from the run's shared
    # responses, and refused by the per-host request budget.
    requests: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class RunReport:
    """The canonical artifact of a run; every output format is rendered from it.

    ``extensions`` holds sections contributed by later stages (compliance
    summaries, remediation plans, signatures' metadata) keyed by name, so the
    core contract stays small and stable.
    """

    schema_version: str
    tool: Mapping[str, str]
    run: RunInfo
    outcomes: tuple[TargetOutcome, ...]
    catalogue: Mapping[str, Any]
    extensions: Mapping[str, Any] = field(default_factory=dict)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for o in self.outcomes for f in o.findings)

    @property
    def results(self) -> tuple[CheckResult, ...]:
        return tuple(r for o in self.outcomes for r in o.results)

    @property
    def incomplete(self) -> bool:
        return self.run.interrupted or any(
            o.status is not TargetStatus.OK
            or any(r.status is Status.ERROR for r in o.results)
            for o in self.outcomes
        )
