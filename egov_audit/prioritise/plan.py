"""The remediation plan: findings grouped by the action that clears them.

One nginx ``add_header`` line clears the same HSTS finding on every host
behind that server, so the plan lists the action once, with every finding and
host it covers, and orders the actions by the risk they remove (the sum of
their findings' scores). Exposed personal data comes first, as containment,
with the UU PDP Pasal 46 notification duty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlsplit

from ..model import Finding, RunReport, Severity
from .fixes import EFFORTS, SERVERS, Action, ActionCatalogue, load_catalogue
from .plan_model import SLA_TERM_DAYS, SLA_TERM_NONE, Plan, PlanItem, PlanNote, SlaTerm
from .risk import exposes_personal_data, targets_by_spec
from .risk_model import RiskRanking
from .server_software import server_software
from .sla import due, run_date

CONTAINMENT_ID = "containment.personal_data"
CONTAINMENT_ACTION = (
    "Contain the personal-data exposure now: take the affected pages and files offline or "
    "behind authentication, purge caches and search-engine copies, and preserve evidence"
)
PDP_NOTE = (
    "Personal data appears to be publicly exposed on {hosts} host(s). Treat it as a possible "
    "failure of personal-data protection (kegagalan Pelindungan Data Pribadi): under UU PDP "
    "(UU 27/2022) Pasal 46 the controller must notify the data subjects and the supervisory "
    "agency in writing within 3×24 hours, stating which data was exposed, when and how, and the "
    "handling and recovery steps; in some cases the public must be informed too. Start the "
    "assessment now and record when the failure became known."
)
SLA_NOTE = (
    "Target dates count from the run's start ({start}) with this service-level agreement: "
    "{terms}."
)
UNKNOWN_SERVER_NOTE = (
    "The web server software of {hosts} host(s) could not be told from the findings; their "
    "items show the snippets for nginx, Apache, IIS and PHP."
)
# Notes are stored twice: as English sentences (``notes``, for any consumer) and
# as message templates with parameters (``notes_i18n``), which the report
# renderers translate; the templates are the catalogue's message ids.
NOTE_TEMPLATES = (PDP_NOTE, SLA_NOTE, SLA_TERM_DAYS, SLA_TERM_NONE, UNKNOWN_SERVER_NOTE)
_CONTAINMENT_SEVERITIES = frozenset({Severity.CRITICAL, Severity.HIGH})
_EFFORT_ORDER = {e: i for i, e in enumerate(EFFORTS)}


@dataclass
class _Group:
    key: str
    action: Action | None
    findings: list[Finding] = field(default_factory=list)


def _host(finding: Finding, hosts: Mapping[str, str]) -> str:
    return hosts.get(finding.target) or finding.target


def _snippets(action: Action | None, servers: frozenset[str], all_known: bool) -> dict[str, str]:
    """The recognised software's snippets; every snippet when a host's web server is unknown."""
    if action is None:
        return {}
    web = servers - {"php"}
    wanted = set(web) if web and all_known else {"nginx", "apache", "iis", "php"}
    if "php" in servers:
        wanted.add("php")
    return {s: action.snippets[s] for s in SERVERS if s in wanted and s in action.snippets}


def risk_removed(findings: Sequence[Finding], risk: RiskRanking,
                 hosts: Mapping[str, str]) -> float:
    """The risk an action clears: per host, the findings' scores combined as
    ``100 × (1 − Π(1 − score/100))``, summed over hosts.

    Findings one fix clears on one host are usually facets of one weakness (no
    CSP, so also unsafe framing), so they are combined like independent
    chances rather than added: a host's share can never pass 100. Different
    hosts are different assets and add up.
    """
    remaining: dict[str, float] = {}
    for f in {f.id: f for f in findings}.values():
        scored = risk.get(f.id)
        score = scored.score if scored is not None else 0.0
        host = _host(f, hosts)
        remaining[host] = remaining.get(host, 1.0) * (1.0 - score / 100.0)
    return round(sum(100.0 * (1.0 - r) for r in remaining.values()), 1)


def _due(findings: Sequence[Finding], start: date, sla: Mapping[str, int | None]) -> str | None:
    dates = [d for f in findings if (d := due(start, sla.get(f.severity.value))) is not None]
    return min(dates) if dates else None


def _rank(risk: RiskRanking, finding: Finding) -> int:
    scored = risk.get(finding.id)
    return scored.rank if scored is not None else 10**9


def _item(
    group: _Group,
    risk: RiskRanking,
    hosts: Mapping[str, str],
    prints: Mapping[str, frozenset[str]],
    start: date,
    sla: Mapping[str, int | None],
) -> PlanItem:
    findings = sorted(group.findings, key=lambda f: (_rank(risk, f), f.id))
    per_target = [prints.get(t, frozenset()) for t in dict.fromkeys(f.target for f in findings)]
    servers = frozenset().union(*per_target)
    # Server-specific wording and snippets only when every host's web server is known.
    all_known = all(p - {"php"} for p in per_target)
    worst = max(findings, key=lambda f: f.severity.rank).severity
    action = group.action
    if action is not None:
        title = action.title_for(servers) if all_known else action.title
        effort, remediation = action.effort, action.summary
    else:
        first = findings[0]
        title = f"Apply the remediation for “{first.title}” ({first.check})"
        effort, remediation = "medium", first.remediation
    return PlanItem(
        id=group.key,
        action=title,
        check_ids=tuple(sorted({f.check for f in findings})),
        finding_ids=tuple(dict.fromkeys(f.id for f in findings)),
        hosts=tuple(sorted({_host(f, hosts) for f in findings})),
        risk_removed=risk_removed(findings, risk, hosts),
        effort=effort,
        due=_due(findings, start, sla),
        severity=worst,
        snippets=_snippets(action, servers, all_known),
        containment=False,
        servers=tuple(sorted(servers)),
        remediation=remediation,
    )


def _containment(
    findings: Sequence[Finding],
    risk: RiskRanking,
    hosts: Mapping[str, str],
    prints: Mapping[str, frozenset[str]],
    catalogue: ActionCatalogue,
    start: date,
    sla: Mapping[str, int | None],
) -> PlanItem:
    item = _item(_Group(CONTAINMENT_ID, catalogue.get("pii.remove"), list(findings)),
                 risk, hosts, prints, start, sla)
    return replace(
        item,
        action=CONTAINMENT_ACTION,
        effort="low",
        due=due(start, sla.get("containment")),
        containment=True,
        remediation="Containment limits further harm while the underlying fix is prepared; "
                    "the fix itself is a separate item of this plan.",
    )


def build_plan(
    report: RunReport,
    risk: RiskRanking,
    sla: Mapping[str, int | None],
    catalogue: ActionCatalogue | None = None,
) -> Plan:
    """The ``plan`` section: the items, the notes (English and as templates), the SLA."""
    catalogue = catalogue or load_catalogue()
    # host[:port] as people type it: two services on one address stay apart
    hosts = {spec: urlsplit(t.https_url or t.http_url or "").netloc or t.host or spec
             for spec, t in targets_by_spec(report).items()}
    prints = server_software(report.findings)
    start = run_date(report.run.started_at)

    groups: dict[str, _Group] = {}
    for finding in report.findings:
        action = catalogue.for_check(finding.check)
        key = action.id if action is not None else f"check.{finding.check}"
        groups.setdefault(key, _Group(key, action)).findings.append(finding)
    items = [_item(g, risk, hosts, prints, start, sla) for g in groups.values()]
    items.sort(key=lambda i: (-i.risk_removed, _EFFORT_ORDER[i.effort], i.id))

    notes: list[PlanNote] = []
    exposed = [f for f in report.findings
               if exposes_personal_data(f) and f.severity in _CONTAINMENT_SEVERITIES]
    if exposed:
        contain = _containment(exposed, risk, hosts, prints, catalogue, start, sla)
        items.insert(0, contain)
        notes.append(PlanNote(PDP_NOTE, {"hosts": len(contain.hosts)}))
    terms = tuple(SlaTerm(k, v) for k, v in sla.items())
    notes.append(PlanNote(SLA_NOTE, {"start": start.isoformat(), "terms": terms}))
    unknown = sorted({_host(f, hosts) for f in report.findings
                      if not prints.get(f.target, frozenset()) - {"php"}})
    if unknown:
        notes.append(PlanNote(UNKNOWN_SERVER_NOTE, {"hosts": len(unknown)}))
    return Plan(tuple(items), tuple(n.text() for n in notes), tuple(notes), dict(sla))

