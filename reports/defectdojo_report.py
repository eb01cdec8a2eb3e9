"""DefectDojo "Generic Findings Import" JSON.

DefectDojo's SARIF importer turns URLs into file paths and marks findings
static; the generic format keeps web findings dynamic with real endpoints and
lets DefectDojo de-duplicate on ``unique_id_from_tool`` (our stable finding
id). Only fields its parser allows are written: an unknown key fails the whole
import, so e.g. extra CWEs go into the description rather than a ``cwes`` key
older DefectDojo versions reject.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from egov_audit.model import RunReport

from .view import build_view

SEVERITY = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low",
            "info": "Info"}


def endpoint(location: str) -> str | None:
    parts = urlsplit(location)
    return location if parts.scheme in {"http", "https"} and parts.hostname else None


class DefectDojoRenderer:
    name = "defectdojo"
    filename = "defectdojo.json"

    def render(self, report: RunReport, *, lang: str = "en") -> bytes:
        v = build_view(report, lang)
        tr = v.tr
        _ = tr.gettext
        date = report.run.started_at[:10]
        findings: list[dict[str, Any]] = []
        for fv in v.findings:
            f = fv.finding
            lines = [fv.description, "",
                     f"**{_('Target')}:** {f.target}", f"**{_('Location')}:** {f.location}",
                     f"**{_('Service')}:** {fv.service} ({fv.opd})",
                     f"**{_('Check')}:** {f.check}", "",
                     f"**{_('Evidence (redacted)')}:**", "```", f.evidence.text, "```"]
            if len(f.cwe) > 1:
                lines.append("CWE: " + ", ".join(f"CWE-{c}" for c in f.cwe))
            if f.controls:
                lines.append(f"**{_('Controls')}:** " + ", ".join(f.controls))
            rule = fv.suppression
            if rule is not None:  # accepted: imported as a risk acceptance, not dropped
                lines += ["", f"**{_('Suppressed findings')}:** {rule.justification} "
                              f"({_('Approver')}: {rule.approver}, {_('Expires')}: {rule.expires})"]
            item: dict[str, Any] = {
                "title": fv.title,
                "severity": SEVERITY[f.severity.value],
                "description": "\n".join(lines).strip(),
                "mitigation": fv.remediation,
                "references": "\n".join(f.references),
                "date": date,
                "active": True,
                "verified": False,
                "dynamic_finding": True,
                "static_finding": False,
                "unique_id_from_tool": f.id,
                "vuln_id_from_tool": f.check,
                "service": fv.service,
                "tags": ["egov-audit", f.check.split(".", 1)[0], *f.controls],
            }
            if rule is not None:
                item["active"] = False
                item["risk_accepted"] = True
            if f.cwe:
                item["cwe"] = f.cwe[0]
            if fv.why:
                item["severity_justification"] = fv.why
            url = endpoint(f.location) or endpoint(f.target)
            if url:
                item["endpoints"] = [url]
            findings.append(item)
        for p in v.plan:
            # The plan's due date becomes DefectDojo's planned remediation date.
            if not p.due:
                continue
            ids = set(p.finding_ids)
            for item in findings:
                if item["unique_id_from_tool"] in ids:
                    item.setdefault("planned_remediation_date", p.due)
                    item.setdefault("effort_for_fixing", p.effort)
        doc = {
            "name": "egov-audit",
            "type": "egov-audit",
            "version": str(report.tool.get("version", "")),
            "description": f"{_('Security and data-protection audit report')} "
                           f"({_('Run')} {report.run.id})",
            "dynamic_tool": True,
            "static_tool": False,
            "findings": findings,
        }
        return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

