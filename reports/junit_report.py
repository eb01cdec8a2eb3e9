"""JUnit XML for Jenkins and GitLab: one test case per check × target.

Mapping: pass → passed test case; fail → ``<failure>`` listing every finding of
that check on that target; error → ``<error>`` with the reason; skipped →
``<skipped>`` with the reason. One ``<testsuite>`` per target, so a CI page
groups results by endpoint. A failure whose findings are all muted by an
active suppression is ``<skipped>`` with the justification, so an accepted
risk stays visible without failing the CI page; an expired suppression is
named in the failure text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from egov_audit.model import Finding, RunReport, Status

from .view import FindingView, build_view


def _clean(text: str) -> str:
    # XML 1.0 forbids most control characters; scanned pages can contain them.
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def _muted_message(muted: list[FindingView]) -> str:
    rules = {fv.suppression.rule: fv.suppression for fv in muted if fv.suppression}
    return "suppressed: " + "; ".join(
        f"{s.justification} (approved by {s.approver}, until {s.expires})"
        for _n, s in sorted(rules.items()))


def _expired_note(fv: FindingView) -> str:
    if fv.expired is None:
        return ""
    return (f"\n(suppression {fv.expired.rule} by {fv.expired.approver} "
            f"expired on {fv.expired.expires})")


class JunitRenderer:
    name = "junit"
    filename = "junit.xml"

    def render(self, report: RunReport, *, lang: str = "en") -> bytes:
        v = build_view(report, lang)
        views = {fv.id: fv for fv in v.findings}
        by_key: dict[tuple[str, str], list[Finding]] = {}
        for f in report.findings:
            by_key.setdefault((f.check, f.target), []).append(f)
        titles = {str(c.get("id")): str(c.get("title", "")) for c in
                  report.catalogue.get("checks", []) if isinstance(c, dict)}
        titles.update({f.check: f.title for f in report.findings})
        root = ET.Element("testsuites", name="egov-audit", time=f"{report.run.duration_s:.3f}")
        totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for o in report.outcomes:
            suite = ET.SubElement(root, "testsuite", name=_clean(o.target.spec),
                                  hostname=_clean(o.target.host),
                                  timestamp=report.run.started_at.rstrip("Z"))
            props = ET.SubElement(suite, "properties")
            for key, value in (("service", o.target.service.name), ("opd", o.target.service.opd),
                               ("target_status", o.status.value), ("target_error", o.error)):
                if value:
                    ET.SubElement(props, "property", name=key, value=_clean(value))
            counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
            elapsed = 0.0
            for r in o.results:
                counts["tests"] += 1
                elapsed += r.duration_ms / 1000
                case = ET.SubElement(
                    suite, "testcase", name=r.check,
                    classname=f"egov_audit.{r.check.split('.', 1)[0]}",
                    time=f"{r.duration_ms / 1000:.3f}",
                )
                title = v.tr.text(titles.get(r.check, r.check))
                found = by_key.get((r.check, r.target), [])
                muted = [f for f in found if views[f.id].suppression is not None]
                if r.status is Status.FAIL and found and len(muted) == len(found):
                    counts["skipped"] += 1
                    ET.SubElement(case, "skipped", message=_clean(_muted_message(
                        [views[f.id] for f in muted])))
                elif r.status is Status.FAIL:
                    counts["failures"] += 1
                    muted_ids = {f.id for f in muted}
                    found = [f for f in found if f.id not in muted_ids]
                    worst = max((f.severity for f in found), key=lambda s: s.rank,
                                default=None)
                    failure = ET.SubElement(case, "failure", message=_clean(title),
                                            type=worst.value if worst else "fail")
                    failure.text = _clean("\n\n".join(
                        f"[{v.tr.severity(f.severity.value)}] {f.location}\n{f.evidence.text}"
                        + _expired_note(views[f.id])
                        for f in found
                    ) or title)
                elif r.status is Status.ERROR:
                    counts["errors"] += 1
                    ET.SubElement(case, "error", message=_clean(r.reason or "error"),
                                  type="error")
                elif r.status is Status.SKIPPED:
                    counts["skipped"] += 1
                    ET.SubElement(case, "skipped", message=_clean(r.reason or "skipped"))
            for key, n in counts.items():
                suite.set(key, str(n))
                totals[key] += n
            suite.set("time", f"{elapsed:.3f}")
        for key, n in totals.items():
            root.set(key, str(n))
        ET.indent(root)
        return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"
