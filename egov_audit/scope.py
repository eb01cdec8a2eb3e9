"""The audit scope: which hosts the scanner may send traffic to.

Redirects, crawls and port scans never leave it. By default it is exactly the
hosts of the targets; the configuration may add hosts, and may allow their
subdomains, but never address ranges implicitly.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit


def normalize_host(host: str) -> str:
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


@dataclass(frozen=True)
class Scope:
    hosts: frozenset[str]
    include_subdomains: bool = False

    @classmethod
    def of(cls, hosts: Iterable[str], include_subdomains: bool = False) -> Scope:
        return cls(frozenset(normalize_host(h) for h in hosts), include_subdomains)

    def allows_host(self, host: str) -> bool:
        host = normalize_host(host)
        if host in self.hosts:
            return True
        if self.include_subdomains:
            return any(host.endswith("." + h) for h in self.hosts if not _is_ip(h))
        return False

    def allows_url(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        return self.allows_host(parts.hostname)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
