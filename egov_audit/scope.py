"""The audit scope: which hosts *and ports* the scanner may send traffic to.

Redirects, crawls and links never leave it. By default it is exactly the
endpoints of the targets: ``http://h:8080/`` allows ``h:8080`` only, and a
bare host name target (which means ``http://h/`` and ``https://h/``) allows
ports 80 and 443. The configuration may widen it: ``[scope] hosts`` entries
are ``"host"`` (any port of that host) or ``"host:port"`` (that port only),
and ``include_subdomains`` extends every entry to its subdomains. Address
ranges are never implied.

Entries are kept as strings (``"h"``, ``"h:8443"``, ``"[::1]:443"``), so the
run's record of its scope (``sorted(scope.hosts)``) says exactly what was
allowed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import idna

if TYPE_CHECKING:
    from .model import Target

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_host(host: str) -> str:
    """One spelling per host: lower case, no trailing dot, IDNA (as requests
    sends it), canonical IP text."""
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not host.isascii():
        try:
            # The same encoding requests applies before sending (UTS 46 + IDNA 2008),
            # so a scope entry and the host on the wire compare equal.
            return idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError:
            return host
    return host


def split_entry(entry: str) -> tuple[str, int | None]:
    """``"h"`` → ``("h", None)``; ``"h:8443"`` / ``"[::1]:8443"`` → ``(host, 8443)``."""
    text = entry.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:  # a bare host or a bare IPv6 address
        host, port_text = text, ""
    if not port_text:
        return normalize_host(host), None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"invalid port in scope entry {entry!r}")
    return normalize_host(host), int(port_text)


def join_entry(host: str, port: int | None) -> str:
    host = normalize_host(host)
    shown = f"[{host}]" if ":" in host else host
    return shown if port is None else f"{shown}:{port}"


@dataclass(frozen=True)
class Scope:
    """``hosts`` holds entries: ``"host"`` (any port) or ``"host:port"``."""

    hosts: frozenset[str]
    include_subdomains: bool = False

    @classmethod
    def of(cls, hosts: Iterable[str], include_subdomains: bool = False) -> Scope:
        """Entries as written in ``[scope] hosts``: a bare host allows any port."""
        return cls(
            frozenset(join_entry(*split_entry(h)) for h in hosts), include_subdomains
        )

    @classmethod
    def for_targets(
        cls,
        targets: Iterable[Target],
        extra: Iterable[str] = (),
        include_subdomains: bool = False,
    ) -> Scope:
        """The targets' own endpoints (host and port of each entry URL), plus
        configured ``extra`` entries."""
        entries = {join_entry(*split_entry(e)) for e in extra}
        for target in targets:
            for url in (target.http_url, target.https_url):
                if url:
                    parts = urlsplit(url)
                    port = parts.port or DEFAULT_PORTS.get(parts.scheme)
                    entries.add(join_entry(parts.hostname or target.host, port))
        return cls(frozenset(entries), include_subdomains)

    @cached_property
    def _ports_by_host(self) -> dict[str, frozenset[int | None]]:
        """The entries as host → allowed ports (None: any), built once.

        Asked on every connection: a scan of 1,000 targets has 1,000 entries,
        and parsing each of them per request made the run's work grow with
        the square of its targets. (A cache, not a field: frozen dataclasses
        let ``cached_property`` keep it in the instance's ``__dict__``.)
        """
        found: dict[str, set[int | None]] = {}
        for entry in self.hosts:
            entry_host, entry_port = split_entry(entry)
            found.setdefault(entry_host, set()).add(entry_port)
        return {host: frozenset(ports) for host, ports in found.items()}

    def _names(self, host: str) -> list[str]:
        """The entry hosts that can match ``host``: itself and, with subdomains
        allowed, each parent name that is not an IP address."""
        names = [host]
        if self.include_subdomains:
            labels = host.split(".")
            names += [parent for i in range(1, len(labels))
                      if not _is_ip(parent := ".".join(labels[i:]))]
        return names

    def allows(self, host: str, port: int) -> bool:
        """May a TCP connection go to ``host:port``?"""
        table = self._ports_by_host
        for name in self._names(normalize_host(host)):
            ports = table.get(name)
            if ports is not None and (None in ports or port in ports):
                return True
        return False

    def allows_host(self, host: str) -> bool:
        """Is ``host`` named in the scope at all (on some port)? For port scans,
        which by nature look at the other ports of an in-scope host."""
        table = self._ports_by_host
        return any(name in table for name in self._names(normalize_host(host)))

    def allows_url(self, url: str) -> bool:
        """Scheme, host and port check of a well-formed URL. The HTTP client
        adds the stricter on-the-wire checks (``probes.wire_url``)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            return False
        return self.allows(parts.hostname, port or DEFAULT_PORTS[parts.scheme])


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
