"""Scan options: polite defaults, overridden by the configuration file, then the CLI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from . import __version__
from .model import Severity

DEFAULT_USER_AGENT = (
    f"egov-audit/{__version__} (+authorised security audit; observes only, no attacks)"
)


@dataclass(frozen=True)
class ScanOptions:
    timeout: float = 10.0  # seconds: connect, and silence between two reads
    # Total time for one request (connect + TLS + head + body, every redirect hop
    # included), whatever the server sends: a drip or a 1xx flood cannot extend it.
    request_deadline: float = 30.0
    # Requests per second and concurrent TCP connections per host: the most the
    # issue allows (docs/scope-and-politeness.md says why these numbers).
    rate: float = 10.0  # requests per second, per host
    # New TLS connections per second per host during the TLS scan; 0 = bounded by
    # ``connections`` only. sslyze needs ~580 handshakes per endpoint: at 10/s a
    # healthy server would take a minute, where sslyze itself takes seconds.
    handshake_rate: float = 0.0
    connections: int = 4  # concurrent TCP connections, per host (sslyze's and nmap's too)
    workers: int = 16  # targets audited in parallel
    # HTTP requests per host for the whole run, every target, probe and sweep
    # together, spent by priority (entry pages, then what the site links, then
    # guessed paths); 0 = no budget. See egov_audit/probes/budget.py.
    request_budget: int = 600
    # Bytes of answers the run keeps to answer identical requests (one request
    # per method, URL and headers per run).
    response_cache_bytes: int = 64 * 1024 * 1024
    max_body_bytes: int = 4 * 1024 * 1024
    max_redirects: int = 8
    target_deadline: float = 120.0  # seconds for one target, all its probes and checks
    deadline: float = 3600.0  # seconds for the whole run
    user_agent: str = DEFAULT_USER_AGENT
    ca_bundle: str | None = None  # extra trust anchors (private government CA)
    verify_tls: bool = True  # only an explicit --insecure turns this off
    checks: tuple[str, ...] = ("*",)
    skip: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.HIGH
    # Per-check or per-family settings, e.g. {"tls": {"legacy_severity": "medium"}}.
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def with_overrides(self, overrides: Mapping[str, Any]) -> ScanOptions:
        known = {f.name for f in fields(self)}
        clean = {k: v for k, v in overrides.items() if k in known and v is not None}
        return replace(self, **clean)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["checks"] = list(self.checks)
        data["skip"] = list(self.skip)
        data["fail_on"] = self.fail_on.value if self.fail_on else None
        data["settings"] = {k: dict(v) for k, v in self.settings.items()}
        return data

    def settings_for(self, check_id: str) -> dict[str, Any]:
        """Family settings overlaid with the check's own (``tls`` then ``tls.x``)."""
        family = check_id.split(".", 1)[0]
        merged: dict[str, Any] = dict(self.settings.get(family, {}))
        merged.update(self.settings.get(check_id, {}))
        return merged
