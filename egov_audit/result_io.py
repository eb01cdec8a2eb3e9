"""The JSON result: the canonical artifact and a public, versioned contract.

Every other format is rendered from it, and ``egov-audit render`` reads it
back without touching any target. Its shape is described by
``egov_audit/schema/result.schema.json``; :func:`load_result` validates
against that schema so a hand-edited or truncated file fails with the JSON
path of the problem rather than deep inside a renderer.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ResultFormatError
from .model import (
    CheckResult,
    Confidence,
    Evidence,
    Finding,
    ProbeRecord,
    Reason,
    Redaction,
    RunInfo,
    RunReport,
    Service,
    Severity,
    SiteMapEntry,
    Status,
    Target,
    TargetOutcome,
    TargetStatus,
)

SUPPORTED_MAJOR = "1"


class DuplicateKeyError(ValueError):
    """A JSON object names the same key twice.

    Python's json keeps the last value silently while other readers keep the
    first: the same file would then mean two things. A result, manifest or
    signature with a repeated key is refused, never interpreted.
    """

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"duplicate key {key!r} in a JSON object")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise DuplicateKeyError(key)
        obj[key] = value
    return obj


def parse_json(text: str | bytes) -> Any:
    """``json.loads`` that refuses duplicate keys at any depth (raises DuplicateKeyError)."""
    return json.loads(text, object_pairs_hook=_unique_keys)


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "check": f.check,
        "title": f.title,
        "severity": f.severity.value,
        "confidence": f.confidence.value,
        "cwe": list(f.cwe),
        "target": f.target,
        "location": f.location,
        "evidence": {
            "text": f.evidence.text,
            "redactions": [asdict(r) for r in f.evidence.redactions],
        },
        "description": f.description,
        "remediation": f.remediation,
        "references": list(f.references),
        "controls": list(f.controls),
        "details": dict(f.details),
    }


def probe_to_dict(p: ProbeRecord) -> dict[str, Any]:
    return {"probe": p.probe, "ok": p.ok, "error": p.error,
            "reason_code": _code(p.reason_code), "duration_ms": p.duration_ms}


def _code(code: Reason | None) -> str | None:
    return code.value if code is not None else None


def summary(report: RunReport) -> dict[str, Any]:
    by_severity = Counter(f.severity.value for f in report.findings)
    by_status = Counter(r.status.value for r in report.results)
    return {
        "targets": len(report.outcomes),
        "targets_by_status": {s.value: 0 for s in TargetStatus}
        | dict(Counter(o.status.value for o in report.outcomes)),
        "findings": len(report.findings),
        "by_severity": {s.value: by_severity.get(s.value, 0) for s in Severity},
        "results": {s.value: by_status.get(s.value, 0) for s in Status},
    }


def report_to_dict(report: RunReport) -> dict[str, Any]:
    return {
        "schema_version": report.schema_version,
        "tool": dict(report.tool),
        "run": asdict(report.run),
        "catalogue": dict(report.catalogue),
        "summary": summary(report),
        "targets": [
            {
                "target": o.target.spec,
                "host": o.target.host,
                "http_url": o.target.http_url,
                "https_url": o.target.https_url,
                "service": asdict(o.target.service),
                "status": o.status.value,
                "error": o.error,
                "reason_code": _code(o.reason_code),
                "probes": [probe_to_dict(p) for p in o.probes],
                "site_map": [asdict(e) for e in o.site_map],
            }
            for o in report.outcomes
        ],
        "results": [
            {
                "check": r.check,
                "target": r.target,
                "status": r.status.value,
                "reason": r.reason,
                "reason_code": _code(r.reason_code),
                "duration_ms": r.duration_ms,
            }
            for r in report.results
        ],
        "findings": [finding_to_dict(f) for f in report.findings],
        "extensions": dict(report.extensions),
    }


def dumps(report: RunReport) -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"


@cache
def result_schema() -> dict[str, Any]:
    text = resources.files("egov_audit.schema").joinpath("result.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate(data: Any, source: str | None = None) -> None:
    """Raise ResultFormatError naming the first place the data breaks the contract."""
    import jsonschema

    if not isinstance(data, dict):
        raise ResultFormatError("not an egov-audit result", source=source,
                                expected="a JSON object")
    version = str(data.get("schema_version", ""))
    if version.split(".", 1)[0] != SUPPORTED_MAJOR:
        raise ResultFormatError(
            f"unsupported schema_version {version!r}",
            source=source,
            expected=f"{SUPPORTED_MAJOR}.x",
        )
    validator = jsonschema.Draft202012Validator(result_schema())
    error = next(iter(sorted(validator.iter_errors(data), key=lambda e: list(e.path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ResultFormatError(f"result does not match the contract at {where}: "
                                f"{error.message}", source=source)


def report_from_dict(data: Mapping[str, Any]) -> RunReport:
    findings_by_target: dict[str, list[Finding]] = {}
    for f in data["findings"]:
        finding = Finding(
            id=f["id"],
            check=f["check"],
            title=f["title"],
            severity=Severity(f["severity"]),
            confidence=Confidence(f["confidence"]),
            cwe=tuple(f["cwe"]),
            target=f["target"],
            location=f["location"],
            evidence=Evidence(
                f["evidence"]["text"],
                tuple(Redaction(**r) for r in f["evidence"].get("redactions", [])),
            ),
            description=f.get("description", ""),
            remediation=f["remediation"],
            references=tuple(f["references"]),
            controls=tuple(f["controls"]),
            details=f.get("details", {}),
        )
        findings_by_target.setdefault(finding.target, []).append(finding)
    results_by_target: dict[str, list[CheckResult]] = {}
    for r in data["results"]:
        results_by_target.setdefault(r["target"], []).append(
            CheckResult(r["check"], r["target"], Status(r["status"]), r.get("reason"),
                        r.get("duration_ms", 0.0), Reason.read(r.get("reason_code")))
        )
    outcomes = []
    for t in data["targets"]:
        target = Target(
            spec=t["target"],
            host=t.get("host", ""),
            http_url=t.get("http_url"),
            https_url=t.get("https_url"),
            service=Service(**t.get("service", {})),
        )
        outcomes.append(
            TargetOutcome(
                target=target,
                status=TargetStatus(t["status"]),
                error=t.get("error"),
                probes=tuple(_probe_from_dict(p) for p in t.get("probes", [])),
                results=tuple(results_by_target.get(target.spec, [])),
                findings=tuple(findings_by_target.get(target.spec, [])),
                site_map=tuple(SiteMapEntry(**e) for e in t.get("site_map", [])),
                reason_code=Reason.read(t.get("reason_code")),
            )
        )
    return RunReport(
        schema_version=data["schema_version"],
        tool=data["tool"],
        run=RunInfo(**data["run"]),
        outcomes=tuple(outcomes),
        catalogue=data.get("catalogue", {}),
        extensions=data.get("extensions", {}),
    )


def _probe_from_dict(p: Mapping[str, Any]) -> ProbeRecord:
    # reason_code is absent in results written before it existed (still 1.x).
    return ProbeRecord(p["probe"], p["ok"], p.get("error"), p.get("duration_ms", 0.0),
                       Reason.read(p.get("reason_code")))


def load_result(path: str | Path) -> RunReport:
    p = Path(path)
    try:
        data = parse_json(p.read_text(encoding="utf-8"))
    except DuplicateKeyError as exc:
        raise ResultFormatError(f"not a valid result: {exc}", source=p,
                                expected="each key once per object") from None
    except FileNotFoundError:
        raise ResultFormatError("result file not found", source=p) from None
    except json.JSONDecodeError as exc:
        raise ResultFormatError(f"not valid JSON: {exc.msg}", source=p, line=exc.lineno,
                                expected="a JSON result written by egov-audit") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultFormatError(f"cannot read result: {exc}", source=p) from None
    validate(data, source=str(p))
    return report_from_dict(data)
