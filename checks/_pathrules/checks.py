"""Turning a path rule into a registered check.

Every rule follows the same judgement: the swept answer must be 2xx, must not
resemble the host's answer for a path that cannot exist (the soft-404
fingerprint), and must carry the rule's content evidence. One finding per
rule and target lists every path that matched, so "deny /.git" is one task
in the report, not two.
"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import Check, CheckContext, Issue, Need, Skip, check, need
from egov_audit.model import Judged, Reason
from egov_audit.probes.crawl import Crawl
from egov_audit.probes.paths import CRAWL_DIRS, IN_DIRS, PathResult, PathSweep, tech_item
from egov_audit.probes.soft404 import NotFoundProfile

from .match import Hit, judge
from .rules import Rule


def path_items(rule: Rule) -> tuple[str, ...]:
    """The sweep items for the rule's own paths (technology-tagged when the
    rule names technologies)."""
    return tuple(tech_item(p, rule.technologies) for p in rule.paths)


def rule_needs(rule: Rule) -> tuple[Need, ...]:
    """The sweep with the rule's paths, plus the probes the sweep itself asks
    for (the runner instantiates only probes that some check names)."""
    items = (*path_items(rule), *(IN_DIRS + name for name in rule.in_dirs))
    if rule.crawl_dirs:
        return (need(PathSweep, *items, CRAWL_DIRS), need(NotFoundProfile), need(Crawl))
    return (need(PathSweep, *items), need(NotFoundProfile))


def _candidates(rule: Rule, sweep: PathSweep) -> Iterator[PathResult]:
    own = path_items(rule)
    for item in own:
        result = sweep.get(item)
        if result is not None:
            yield result
    for name in rule.in_dirs:
        yield from sweep.every(IN_DIRS + name)
    if rule.crawl_dirs:
        yield from (r for r in sweep.derived if r.item not in own)


def _skip_reason(rule: Rule, sweep: PathSweep,
                 candidates: list[PathResult]) -> tuple[str, Reason] | None:
    """Why the rule judged nothing at all, or None when it judged something.

    Never a silent pass: a rule whose every path was left out for its
    technology, or refused by the request budget, is skipped with the reason.
    """
    if not candidates and rule.technologies and set(path_items(rule)) <= set(
            sweep.not_applicable):
        seen = ", ".join(sorted(sweep.technologies)) or "none recognised"
        return (f"not applicable: the host shows no sign of {', '.join(rule.technologies)} "
                f"(technologies seen: {seen}), so these paths were not requested; "
                "[settings.paths] technologies = \"all\" requests them anyway",
                Reason.NOT_APPLICABLE)
    if candidates and all(r.response.over_budget for r in candidates):
        return candidates[0].response.error or "", Reason.OVER_BUDGET
    return None


def _present(rule: Rule, sweep: PathSweep, result: PathResult) -> bool:
    resp = result.response
    if resp.status is None or not 200 <= resp.status < 300:
        return False
    return sweep.present(result) if rule.soft404 else True


def evaluate(rule: Rule, sweep: PathSweep) -> list[tuple[PathResult, Hit]]:
    hits = []
    for result in _candidates(rule, sweep):
        if _present(rule, sweep, result):
            hit = judge(rule.matcher, result.response)
            if hit is not None:
                hits.append((result, hit))
    return hits


def _line(result: PathResult, hit: Hit) -> str:
    resp = result.response
    ctype = resp.content_type or "no Content-Type"
    size = f"{len(resp.body)}{'+' if resp.truncated else ''} bytes"
    quote = f": {hit.quote!r}" if hit.quote else ""
    return f"GET {result.path} → {resp.status} {ctype}, {size}; {hit.reason}{quote}"


def make_check(rule: Rule) -> Check:
    def run(ctx: CheckContext) -> Iterator[Issue]:
        sweep = ctx.get(PathSweep)
        skip = _skip_reason(rule, sweep, list(_candidates(rule, sweep)))
        if skip is not None:
            raise Skip(*skip)
        hits = evaluate(rule, sweep)
        if not hits:
            return
        severities = [h.severity or rule.severity for _, h in hits]
        worst = max(severities, key=lambda s: s.rank)
        details: dict[str, object] = {
            "paths": [r.path for r, _ in hits],
            "matches": [
                {"url": r.response.url, "status": r.response.status,
                 "content_type": r.response.content_type, **h.details}
                for r, h in hits
            ],
        }
        yield Issue(
            location=hits[0][0].response.url,
            evidence="\n".join(_line(r, h) for r, h in hits),
            severity=worst if worst is not rule.severity else None,
            details=details,
        )

    run.__doc__ = rule.description
    return check(
        id=rule.id,
        title=rule.title,
        severity=rule.severity,
        cwe=rule.cwe,
        needs=rule_needs(rule),
        judges=Judged.SITE,  # every directory the sweep looked in, not one page
        remediation=rule.remediation,
        references=rule.references,
        confidence=rule.confidence,
        tags=("path-rule", *rule.tags),
        description=rule.description,
    )(run)


def rule_checks(rules: tuple[Rule, ...]) -> tuple[Check, ...]:
    return tuple(make_check(r) for r in rules)

