"""SARIF 2.1.0 that GitHub code scanning and DefectDojo accept for web findings.

Web findings have URLs, not files. An absolute ``https:`` URI in
``artifactLocation.uri`` makes GitHub reject the whole upload (its checkout
root is a ``file:`` URI — the ZAP failure), so every location is written as a
relative reference against a base id per target origin, and the origins go to
``run.originalUriBaseIds``. ``security-severity`` follows GitHub's bands
(documented in docs/reports.md); the finding id is the partial fingerprint,
so re-uploads update alerts instead of duplicating them.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlsplit

from egov_audit.model import Finding, RunReport, Status

from .i18n import Translator
from .view import SuppressionView, build_view

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"

# GitHub: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0",
                     "info": "0.5"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note",
         "info": "note"}
PRECISION = {"certain": "very-high", "firm": "high", "tentative": "medium"}
TEXT_LIMIT = 1024  # GitHub's limit for rule descriptions


def _limit(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _rule_name(check_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[._]", check_id))


def base_id(origin: str) -> str:
    """A stable, readable uriBaseId per origin: ``https://a.go.id:8443`` → ``A_GO_ID_8443``."""
    parts = urlsplit(origin)
    host = (parts.hostname or "TARGET").upper()
    name = re.sub(r"[^A-Z0-9]+", "_", host).strip("_") or "TARGET"
    return f"{name}_{parts.port}" if parts.port else f"{name}_{parts.scheme.upper()}"


def split_location(location: str, target_url: str) -> tuple[str, str]:
    """(origin, relative URI reference) for a finding's location."""
    parts = urlsplit(location)
    if parts.scheme in {"http", "https"} and parts.netloc:
        origin = f"{parts.scheme}://{parts.netloc}"
        rel = quote(parts.path.lstrip("/"), safe="/!$&'()*+,;=@-._~%")
        if parts.query:
            rel += "?" + quote(parts.query, safe="/?!$&'()*+,;=:@-._~%")
        return origin, rel or "./"
    # Not a URL (a host:port, a DNS name…): one segment under the target's origin,
    # with ':' encoded so it cannot be read as a scheme.
    t = urlsplit(target_url)
    origin = f"{t.scheme}://{t.netloc}" if t.scheme and t.netloc else "https://target"
    return origin, quote(location, safe="") or "./"


def _rule(f: Finding, tr: Translator) -> dict[str, Any]:
    title, description = tr.text(f.title), tr.text(f.description) or tr.text(f.title)
    remediation = tr.text(f.remediation)
    tags = ["security", f.check.split(".", 1)[0], *(f"external/cwe/cwe-{c}" for c in f.cwe)]
    rule: dict[str, Any] = {
        "id": f.check,
        "name": _rule_name(f.check),
        "shortDescription": {"text": _limit(title)},
        "fullDescription": {"text": _limit(description)},
        "help": {
            "text": remediation,
            "markdown": f"**{tr.gettext('Remediation')}**\n\n```\n{remediation}\n```\n"
            + "".join(f"\n- <{r}>" for r in f.references),
        },
        "defaultConfiguration": {"level": LEVEL[f.severity.value]},
        "properties": {
            "tags": tags[:20],
            "precision": PRECISION.get(f.confidence.value, "medium"),
            "security-severity": SECURITY_SEVERITY[f.severity.value],
        },
    }
    if f.references:
        rule["helpUri"] = f.references[0]
    if f.cwe:
        rule["relationships"] = [
            {"target": {"id": str(c), "toolComponent": {"name": "CWE"}}, "kinds": ["superset"]}
            for c in f.cwe
        ]
    return rule


def _suppression(rule: SuppressionView) -> dict[str, Any]:
    """SARIF §3.35: an accepted suppression kept outside the scanned artifact."""
    return {"kind": "external", "status": "accepted",
            "justification": rule.justification,
            "properties": {"approver": rule.approver, "expires": rule.expires,
                           "rule": rule.rule, "check": rule.check, "target": rule.target}}


def _expired_text(rule: SuppressionView) -> str:
    return (f"suppression {rule.rule} ({rule.check} on {rule.target}, approved by "
            f"{rule.approver}) expired on {rule.expires}: it no longer mutes "
            f"{len(rule.findings)} finding(s)")


class SarifRenderer:
    name = "sarif"
    filename = "result.sarif"

    def render(self, report: RunReport, *, lang: str = "en") -> bytes:
        return (json.dumps(self.document(report, lang=lang), indent=2, ensure_ascii=False)
                + "\n").encode("utf-8")

    def document(self, report: RunReport, *, lang: str = "en") -> dict[str, Any]:
        v = build_view(report, lang)
        tr = v.tr
        targets = {o.target.spec: o.target for o in report.outcomes}
        rules: list[dict[str, Any]] = []
        index: dict[str, int] = {}
        bases: dict[str, dict[str, Any]] = {}
        results = []
        for fv in v.findings:
            f = fv.finding
            if f.check not in index:
                index[f.check] = len(rules)
                rules.append(_rule(f, tr))
            t = targets.get(f.target)
            origin, rel = split_location(f.location, t.primary_url if t else f.target)
            bid = base_id(origin)
            bases.setdefault(bid, {"uri": origin + "/",
                                   "description": {"text": fv.service}})
            message = f"{fv.title}: {' '.join(f.evidence.text.split())}"
            props: dict[str, Any] = {"target": f.target, "location": f.location,
                                     "service": fv.service, "opd": fv.opd,
                                     "confidence": f.confidence.value}
            if f.controls:
                props["controls"] = list(f.controls)
            if fv.risk is not None:
                props["risk_score"] = fv.risk
            result: dict[str, Any] = {
                "ruleId": f.check,
                "ruleIndex": index[f.check],
                "level": LEVEL[f.severity.value],
                "kind": "fail",
                "message": {"text": message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": rel, "uriBaseId": bid},
                    "region": {"startLine": 1},
                }}],
                "partialFingerprints": {"egovAuditFinding/v1": f.id},
                "taxa": [{"id": str(c), "toolComponent": {"name": "CWE"}} for c in f.cwe],
                "properties": props,
            }
            if fv.change is not None:  # SARIF §3.27.24, from the history store
                result["baselineState"] = "unchanged" if fv.change == "still_open" else "new"
            if fv.suppression is not None:
                result["suppressions"] = [_suppression(fv.suppression)]
            elif fv.expired is not None:
                props["suppression_expired"] = fv.expired.expires
            results.append(result)
        cwes = sorted({c for f in report.findings for c in f.cwe})
        notifications = [
            {"level": "error", "message": {"text": f"{r.check} on {r.target}: {r.reason}"},
             "descriptor": {"id": r.check}}
            for r in report.results if r.status is Status.ERROR
        ] + [
            {"level": "warning", "message": {"text": _expired_text(rule)},
             "descriptor": {"id": "egov-audit.suppression-expired"}}
            for rule in v.expired_suppressions
        ]
        run: dict[str, Any] = {
            "tool": {"driver": {
                "name": str(report.tool.get("name", "egov-audit")),
                "semanticVersion": str(report.tool.get("version", "0")),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": not report.incomplete,
                "startTimeUtc": report.run.started_at,
                "endTimeUtc": report.run.finished_at,
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": bases,
            "language": "id-ID" if lang == "id" else "en-US",
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"runId": report.run.id},
        }
        if cwes:
            run["taxonomies"] = [{
                "name": "CWE", "organization": "MITRE",
                "shortDescription": {"text": "The MITRE Common Weakness Enumeration"},
                "taxa": [{"id": str(c), "helpUri":
                          f"https://cwe.mitre.org/data/definitions/{c}.html"} for c in cwes],
            }]
        return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
