"""What every human-facing format shows, computed once from a RunReport.

Renderers (HTML, Markdown, PDF, CSV) read this view instead of the raw report
so ordering, grouping and translation live in one place. The post-run sections
(risk, plan, compliance: contributed by later stages, possibly absent) are
parsed once by their typed models, which raise InputError naming the field when
a stored result holds a malformed one; the history and suppression sections
are still read leniently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from egov_audit.json_fields import list_or_empty, object_or_empty
from egov_audit.model import Finding, RunReport, Severity, Status, Target
from egov_audit.policy.compliance_model import Compliance
from egov_audit.prioritise.plan_model import Plan
from egov_audit.prioritise.risk_model import RiskRanking

from .i18n import Translator

SEVERITIES = tuple(s.value for s in Severity)
_Section = TypeVar("_Section")


@dataclass(frozen=True)
class SuppressionView:
    """One rule of a suppression file, as a report shows it."""

    rule: int
    check: str
    target: str
    justification: str
    approver: str
    expires: str
    line: int | None = None
    findings: tuple[str, ...] = ()  # for an expired rule: what it no longer mutes


@dataclass(frozen=True)
class FixedView:
    """A finding of the previous run that is gone from this one."""

    id: str
    check: str
    severity: str
    severity_label: str
    title: str
    target: str
    location: str


@dataclass(frozen=True)
class ChangesView:
    """Since the previous run in the history store (``extensions["history"]``)."""

    previous_run: str
    previous_started_at: str
    new: int
    regressed: int
    still_open: int
    fixed: tuple[FixedView, ...]
    not_rechecked: tuple[FixedView, ...]


@dataclass(frozen=True)
class FindingView:
    finding: Finding
    title: str
    description: str
    remediation: str
    severity_label: str
    confidence_label: str
    service: str
    opd: str
    host: str
    risk: float | None = None
    rank: int | None = None
    why: str | None = None
    suppression: SuppressionView | None = None  # the active rule muting this finding
    expired: SuppressionView | None = None  # a rule that would mute it, but has expired
    change: str | None = None  # new | regressed | still_open, when history ran

    @property
    def id(self) -> str:
        return self.finding.id

    @property
    def severity(self) -> str:
        return self.finding.severity.value

    @property
    def remediation_head(self) -> str:
        return next((ln.strip() for ln in self.remediation.splitlines() if ln.strip()), "")


@dataclass(frozen=True)
class ServiceGroup:
    name: str
    targets: tuple[str, ...]
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class OpdGroup:
    name: str
    services: tuple[ServiceGroup, ...]
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class PlanItem:
    number: int
    action: str
    severity: str
    severity_label: str
    findings: int
    hosts: tuple[str, ...]
    risk_removed: float | None
    effort: str
    due: str | None
    containment: bool
    snippets: Mapping[str, str]
    check_ids: tuple[str, ...]
    finding_ids: tuple[str, ...] = ()
    summary: str = ""  # what the change does and why it clears the findings
    servers: tuple[str, ...] = ()  # fingerprinted server software


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    status: str
    status_label: str
    checks: tuple[str, ...]
    findings: tuple[str, ...]


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    version: str
    source: str
    summary: Mapping[str, int]
    verdict: str | None
    controls: tuple[Control, ...]


@dataclass(frozen=True)
class ReportView:
    tr: Translator
    report: RunReport
    findings: tuple[FindingView, ...]
    by_severity: Mapping[str, int]
    opds: tuple[OpdGroup, ...]
    plan: tuple[PlanItem, ...]
    plan_notes: tuple[str, ...]
    packs: tuple[Pack, ...]
    results: Mapping[str, int]
    targets: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    expired_suppressions: tuple[SuppressionView, ...] = ()
    changes: ChangesView | None = None

    @property
    def lang(self) -> str:
        return self.tr.lang

    @property
    def open_findings(self) -> tuple[FindingView, ...]:
        """Findings not muted by a suppression (all of them when there is none)."""
        return tuple(f for f in self.findings if f.suppression is None)

    @property
    def suppressed(self) -> tuple[FindingView, ...]:
        """Findings muted by an active suppression: shown apart, never dropped."""
        return tuple(f for f in self.findings if f.suppression is not None)

    @property
    def has_suppressions(self) -> bool:
        """Whether the run was given a suppression file (formats add their muted
        parts only then, so a run without one renders exactly as before)."""
        return isinstance(self.report.extensions.get("suppressions"), Mapping)

    @property
    def has_risk(self) -> bool:
        return any(f.risk is not None for f in self.findings)


def service_name(target: Target | None, fallback: str) -> str:
    if target is not None and target.service.name:
        return target.service.name
    return target.host if target is not None and target.host else fallback


def _section(report: RunReport, name: str,
             parse: Callable[[object], _Section]) -> _Section | None:
    """A post-run section parsed once by its model; None when its stage did not run."""
    value = report.extensions.get(name)
    return None if value is None else parse(value)


def build_view(report: RunReport, lang: str = "en") -> ReportView:
    tr = Translator(lang)
    targets = {o.target.spec: o.target for o in report.outcomes}
    risk = _section(report, "risk", RiskRanking.from_json) or RiskRanking({})
    plan = _section(report, "plan", Plan.from_json)
    compliance = _section(report, "compliance", Compliance.from_json)
    active, expired = _suppressions(report)
    history = object_or_empty(report.extensions.get("history"))
    change_of = {str(fid): kind for kind in ("new", "regressed", "still_open")
                 for fid in list_or_empty(history.get(kind))}
    expired_by_finding = {fid: rule for rule in expired for fid in rule.findings}
    unassigned = tr.gettext("Unassigned unit")
    views = []
    for f in report.findings:
        target = targets.get(f.target)
        entry = risk.get(f.id)
        views.append(
            FindingView(
                finding=f,
                title=tr.text(f.title),
                description=tr.text(f.description),
                remediation=tr.text(f.remediation),
                severity_label=tr.severity(f.severity.value),
                confidence_label=tr.confidence(f.confidence.value),
                service=service_name(target, f.target),
                opd=(target.service.opd if target and target.service.opd else unassigned),
                host=target.host if target else "",
                risk=float(entry.score) if entry is not None else None,
                rank=entry.rank if entry is not None else None,
                why=entry.why if entry is not None else None,
                suppression=active.get(f.id),
                expired=None if f.id in active else expired_by_finding.get(f.id),
                change=change_of.get(f.id),
            )
        )
    views.sort(key=_order)
    counts = Counter(v.severity for v in views)
    return ReportView(
        tr=tr,
        report=report,
        findings=tuple(views),
        by_severity={s: counts.get(s, 0) for s in SEVERITIES},
        opds=_group(report, views, unassigned),
        plan=_plan(plan, tr) if plan is not None else (),
        plan_notes=_plan_notes(plan, tr) if plan is not None else (),
        packs=_packs(compliance, tr) if compliance is not None else (),
        results=dict(Counter(r.status.value for r in report.results)),
        targets=tuple(
            {"spec": o.target.spec, "service": service_name(o.target, o.target.spec),
             "opd": o.target.service.opd or unassigned, "status": o.status.value,
             "status_label": tr.status(o.status.value), "error": o.error,
             "failed": sum(1 for r in o.results if r.status is Status.FAIL),
             "errors": sum(1 for r in o.results if r.status is Status.ERROR),
             "checks": len(o.results)}
            for o in report.outcomes
        ),
        expired_suppressions=expired,
        changes=_changes(history, tr),
    )


def _changes(history: Mapping[str, Any], tr: Translator) -> ChangesView | None:
    if not history.get("previous_run"):
        return None

    def briefs(key: str) -> tuple[FixedView, ...]:
        out = []
        for raw in list_or_empty(history.get(key)):
            item = object_or_empty(raw)
            severity = str(item.get("severity") or "info")
            out.append(FixedView(
                id=str(item.get("id", "")), check=str(item.get("check", "")),
                severity=severity if severity in SEVERITIES else "info",
                severity_label=tr.severity(severity), title=tr.text(str(item.get("title", ""))),
                target=str(item.get("target", "")), location=str(item.get("location", ""))))
        return tuple(out)

    return ChangesView(
        previous_run=str(history["previous_run"]),
        previous_started_at=str(history.get("previous_started_at", "")),
        new=len(list_or_empty(history.get("new"))),
        regressed=len(list_or_empty(history.get("regressed"))),
        still_open=len(list_or_empty(history.get("still_open"))),
        fixed=briefs("fixed"), not_rechecked=briefs("not_rechecked"))


def _suppression(raw: Any) -> SuppressionView | None:
    rule = object_or_empty(raw)
    if not isinstance(rule.get("rule"), int):
        return None
    line = rule.get("line")
    return SuppressionView(
        rule=int(rule["rule"]), check=str(rule.get("check", "")),
        target=str(rule.get("target", "")), justification=str(rule.get("justification", "")),
        approver=str(rule.get("approver", "")), expires=str(rule.get("expires", "")),
        line=line if isinstance(line, int) else None,
        findings=tuple(str(x) for x in list_or_empty(rule.get("findings"))))


def _suppressions(
    report: RunReport,
) -> tuple[dict[str, SuppressionView], tuple[SuppressionView, ...]]:
    """Active rules by the finding they mute, and the expired rules
    (``extensions["suppressions"]``, read defensively like every extension)."""
    section = object_or_empty(report.extensions.get("suppressions"))
    active = {str(fid): view for fid, raw in object_or_empty(section.get("findings")).items()
              if (view := _suppression(raw)) is not None}
    expired = tuple(view for raw in list_or_empty(section.get("rules"))
                    if object_or_empty(raw).get("status") == "expired"
                    and (view := _suppression(raw)) is not None)
    return active, expired


def _plan_notes(plan: Plan, tr: Translator) -> tuple[str, ...]:
    """The plan's notes in the report's language: rebuilt from their templates
    when the plan stored them, else the stored English sentences."""
    templates = plan.notes_i18n or ()
    if len(templates) == len(plan.notes):
        try:
            return tuple(n.text(tr.text) for n in templates)
        except (KeyError, IndexError, ValueError, TypeError):
            pass  # a hand-edited template names a parameter it lacks: the stored sentences
    return tuple(tr.text(n) for n in plan.notes)


def _order(v: FindingView) -> tuple[Any, ...]:
    # Risk rank first when prioritisation ran, else severity; ties stay stable.
    rank = v.rank if v.rank is not None else 1 << 30
    return (rank, -v.finding.severity.rank, -(v.risk or 0.0), v.finding.check,
            v.finding.target, v.finding.location, v.id)


def _group(report: RunReport, views: list[FindingView], unassigned: str) -> tuple[OpdGroup, ...]:
    per_service: dict[tuple[str, str], list[FindingView]] = {}
    service_targets: dict[tuple[str, str], list[str]] = {}
    for o in report.outcomes:
        key = (o.target.service.opd or unassigned, service_name(o.target, o.target.spec))
        service_targets.setdefault(key, []).append(o.target.spec)
        per_service.setdefault(key, [])
    for v in views:
        per_service.setdefault((v.opd, v.service), []).append(v)
    groups = []
    for opd in sorted({k[0] for k in per_service}, key=lambda n: (n == unassigned, n)):
        services = tuple(
            ServiceGroup(name, tuple(service_targets.get((opd, name), ())),
                         tuple(per_service[(opd, name)]))
            for (o, name) in sorted(per_service) if o == opd
        )
        counts = Counter(v.severity for s in services for v in s.findings)
        groups.append(OpdGroup(opd, services, {s: counts.get(s, 0) for s in SEVERITIES}))
    return tuple(groups)


def _plan(plan: Plan, tr: Translator) -> tuple[PlanItem, ...]:
    return tuple(
        PlanItem(
            number=number,
            action=tr.text(item.action or item.id),
            severity=item.severity.value,
            severity_label=tr.severity(item.severity.value),
            findings=len(item.finding_ids),
            hosts=item.hosts,
            risk_removed=float(item.risk_removed),
            effort=tr.effort(item.effort),
            due=item.due or None,
            containment=item.containment,
            snippets={k: v for k, v in item.snippets.items() if v},
            check_ids=item.check_ids,
            finding_ids=item.finding_ids,
            summary=tr.text(item.remediation or ""),
            servers=item.servers or (),
        )
        for number, item in enumerate(plan.items, start=1)
    )


def _packs(compliance: Compliance, tr: Translator) -> tuple[Pack, ...]:
    packs = []
    for pack_id, pack in sorted(compliance.packs.items()):
        controls = tuple(
            Control(
                id=c.id,
                title=c.title_id if tr.lang == "id" and c.title_id else c.title,
                status=c.status.value,
                status_label=tr.status(c.status.value),
                checks=c.checks,
                findings=c.findings,
            )
            for c in pack.controls
        )
        packs.append(Pack(
            id=pack_id,
            title=pack.title or pack_id,
            version=pack.version,
            source=pack.source,
            summary=pack.summary.to_json(),
            verdict=tr.verdict(pack.verdict) if pack.verdict else None,
            controls=controls,
        ))
    return tuple(packs)
