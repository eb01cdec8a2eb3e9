"""Accepted findings: a suppression file mutes them, with a reason and an end date.

A suppression file is TOML, one table per accepted risk::

    [[suppress]]
    check = "headers.csp_*"                     # a check id or a glob
    target = "https://izin.example.go.id/*"     # target glob (spec or host); default "*"
    justification = "Legacy viewer; replaced in the Q2 release"
    approver = "Kepala Bidang Persandian, Diskominfo"
    expires = 2027-03-31                        # a date; the rule applies through that day

A suppressed finding is never dropped: every report shows it, muted, with the
rule that muted it, and it no longer counts for ``--fail-on``. A rule past its
date stops applying and the report lists it as expired with the findings it
would have muted, so an acceptance cannot outlive its review silently.

The result records this in ``extensions["suppressions"]`` (contract 1.1,
docs/result-contract.md); the core finding records are not touched.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..datafiles import parse_toml
from ..errors import InputError
from ..model import Finding, RunReport

REQUIRED = ("check", "justification", "approver", "expires")
KNOWN = frozenset({*REQUIRED, "target"})


@dataclass(frozen=True)
class Rule:
    number: int  # 1-based, in file order
    line: int | None
    check: str
    target: str
    justification: str
    approver: str
    expires: date

    def matches(self, finding: Finding) -> bool:
        if not fnmatch.fnmatchcase(finding.check, self.check):
            return False
        host = urlsplit(finding.target).hostname if "://" in finding.target else None
        return any(fnmatch.fnmatchcase(t, self.target) for t in (finding.target, host) if t)

    def active_on(self, day: date) -> bool:
        return day <= self.expires

    def describe(self) -> dict[str, Any]:
        return {"rule": self.number, "line": self.line, "check": self.check,
                "target": self.target, "justification": self.justification,
                "approver": self.approver, "expires": self.expires.isoformat()}


@dataclass(frozen=True)
class SuppressionFile:
    path: str
    sha256: str
    rules: tuple[Rule, ...]


def load_suppressions(path: str | Path) -> SuppressionFile:
    """Parse and validate a suppression file; every error names the file and line."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the suppression file: {exc.strerror or exc}",
                         source=p) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("suppression file is not UTF-8 text", source=p) from None
    document = parse_toml(text, str(p))
    data, lines = document.data, document.lines
    for key in data:
        if key != "suppress":
            raise InputError(f"unknown section {key!r}", source=p,
                             expected="[[suppress]] tables only")
    entries = data.get("suppress", [])
    if not isinstance(entries, list):
        raise InputError("suppress must be an array of tables", source=p,
                         expected="[[suppress]]")
    rules = []
    for i, entry in enumerate(entries):
        keys = entry if isinstance(entry, dict) else {}
        key_lines = {k: n for k in keys if (n := lines.line("suppress", i, k)) is not None}
        rules.append(_rule(i + 1, entry, p, lines.line("suppress", i), key_lines))
    return SuppressionFile(str(p), hashlib.sha256(raw).hexdigest(), tuple(rules))


def _rule(number: int, entry: Any, p: Path, line: int | None,
          key_lines: Mapping[str, int]) -> Rule:
    def err(message: str, expected: str, key: str | None = None) -> InputError:
        return InputError(f"suppression {number}: {message}", source=p,
                          line=key_lines.get(key, line) if key else line, expected=expected)

    if not isinstance(entry, dict):
        raise err("must be a table", "[[suppress]]")
    for key in entry:
        if key not in KNOWN:
            raise err(f"unknown key {key!r}", "one of " + ", ".join(sorted(KNOWN)), key)
    for key in REQUIRED:
        if key not in entry:
            raise err(f"{key} is missing", f'{key} = ...')
    for key in ("check", "target", "justification", "approver"):
        value = entry.get(key, "*")
        if not isinstance(value, str) or not value.strip():
            raise err(f"{key} must be a non-empty string", "a string", key)
    expires = entry["expires"]
    if isinstance(expires, str):
        try:
            expires = date.fromisoformat(expires.strip())
        except ValueError:
            raise err(f"expires {expires!r} is not a date", "a date like 2027-03-31",
                      "expires") from None
    if isinstance(expires, datetime) or not isinstance(expires, date):
        raise err("expires must be a date", "a date like 2027-03-31", "expires")
    return Rule(number=number, line=line, check=entry["check"].strip(),
                target=entry.get("target", "*").strip(),
                justification=entry["justification"].strip(),
                approver=entry["approver"].strip(), expires=expires)


def today_utc() -> date:
    return datetime.now(UTC).date()


def apply_suppressions(report: RunReport, suppressions: SuppressionFile,
                       today: date | None = None) -> RunReport:
    """``report`` with ``extensions["suppressions"]``: the findings each active rule
    mutes (the first matching rule wins) and the expired rules with what they
    would have muted. Findings themselves are unchanged."""
    day = today or today_utc()
    muted: dict[str, dict[str, Any]] = {}
    rules = []
    for rule in suppressions.rules:
        matched = [f.id for f in report.findings if rule.matches(f)]
        active = rule.active_on(day)
        if active:
            for fid in matched:
                muted.setdefault(fid, rule.describe())
        rules.append({**rule.describe(), "status": "active" if active else "expired",
                      "findings": matched})
    section = {
        "source": Path(suppressions.path).name,
        "sha256": suppressions.sha256,
        "evaluated_on": day.isoformat(),
        "findings": muted,
        "rules": rules,
    }
    return replace(report, extensions={**dict(report.extensions), "suppressions": section})


def suppression_of(report: RunReport, finding_id: str) -> Mapping[str, Any] | None:
    """The active rule muting ``finding_id`` in ``report``, if any."""
    section = report.extensions.get("suppressions")
    if not isinstance(section, Mapping):
        return None
    found = section.get("findings", {})
    value = found.get(finding_id) if isinstance(found, Mapping) else None
    return value if isinstance(value, Mapping) else None


def expired_rules(report: RunReport) -> list[Mapping[str, Any]]:
    section = report.extensions.get("suppressions")
    if not isinstance(section, Mapping):
        return []
    return [r for r in section.get("rules", ())
            if isinstance(r, Mapping) and r.get("status") == "expired"]
