"""Which server software a target runs, from what its findings already recorded.

Prioritisation works on the stored result (it must, for ``egov-audit
render``), so it cannot send a request: it reads the ``Server`` and
``X-Powered-By`` values and framework markers that checks quoted in their
evidence and details (banner disclosure, error pages, cookies such as
``laravel_session``). A target with no such trace gets no fingerprint, and
the plan then shows snippets for every server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

from ..model import Finding

# Product tokens as servers print them in banners and cookies; Apache Tomcat is
# not Apache httpd and has no snippets of its own.
_SIGNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("nginx", re.compile(r"\b(?:nginx|openresty|tengine)\b", re.I)),
    ("apache", re.compile(r"\bapache(?:/\d|\b)(?!\s*tomcat)|\bhttpd/\d", re.I)),
    ("iis", re.compile(r"\bmicrosoft-iis\b|\basp\.net\b|x-aspnet-version", re.I)),
    ("php", re.compile(r"\bphp/\d|x-powered-by\W{1,4}php\b|\blaravel(?:_session)?\b"
                       r"|\bphpsessid\b|\bxsrf-token\b|\bsymfony\b|\bcodeigniter\b"
                       r"|\bci_session\b", re.I)),
)

_URL = re.compile(r"\bhttps?://[^\s\"']+", re.I)


def _text(finding: Finding) -> str:
    details = finding.details if isinstance(finding.details, Mapping) else {}
    try:
        rendered = json.dumps(details, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        rendered = ""
    # URLs are dropped: a reference such as https://httpd.apache.org/... names a
    # product's documentation, not the software the target runs.
    return _URL.sub(" ", f"{finding.evidence.text}\n{rendered}")


def servers_in(findings: Iterable[Finding]) -> frozenset[str]:
    found: set[str] = set()
    for finding in findings:
        text = _text(finding)
        found.update(name for name, pattern in _SIGNS if pattern.search(text))
    return frozenset(found)


def server_software(findings: Iterable[Finding]) -> dict[str, frozenset[str]]:
    """Target spec → the server software its findings reveal (possibly empty)."""
    by_target: dict[str, list[Finding]] = {}
    for finding in findings:
        by_target.setdefault(finding.target, []).append(finding)
    return {target: servers_in(items) for target, items in by_target.items()}
