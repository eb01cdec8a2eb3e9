"""The network family's data: the port catalogue and end-of-life release lines.

Both are TOML files in ``data/`` so that adding a service, a port or an EOL
date never touches check code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from egov_audit.check import Need, need
from egov_audit.datafiles import load_toml
from egov_audit.probes.ports import OpenPort, PortScan

_NOT_RECOGNISED = {"", "unknown", "tcpwrapped"}
CATEGORIES = ("database", "cleartext", "remote_admin", "file_sharing", "ssh", "other")


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    ports: frozenset[int]
    services: frozenset[str]
    products: tuple[str, ...]
    severity: dict[str, str]

    def recognises(self, port: OpenPort) -> bool:
        product = port.product.lower()
        return port.service.lower() in self.services or any(p in product for p in self.products)


@dataclass(frozen=True)
class EolLine:
    product: str
    line: str
    ended: date
    source: str


def _load(name: str) -> dict[str, Any]:
    assert __package__  # loaded as egov_audit.checks.network, never as a script
    return load_toml(files(__package__).joinpath("data", name), "port catalogue").data


@cache
def categories() -> dict[str, Category]:
    data = _load("services.toml")
    return {
        key: Category(
            key=key,
            label=data[key]["label"],
            ports=frozenset(int(p) for p in data[key]["ports"]),
            services=frozenset(s.lower() for s in data[key]["services"]),
            products=tuple(p.lower() for p in data[key]["products"]),
            severity=dict(data[key].get("severity", {})),
        )
        for key in CATEGORIES
    }


def ports_need(*keys: str) -> Need:
    """The scan a check needs: the catalogue ports of ``keys`` (all when empty)."""
    chosen = [categories()[k] for k in keys or CATEGORIES]
    return need(PortScan, *sorted({str(p) for c in chosen for p in c.ports}))


def classify(port: OpenPort) -> str | None:
    """The catalogue category of an open port, or None for anything else.

    What nmap recognised wins (a MySQL on port 8080 is a database, a web
    server on 3306 is not); when nmap only guessed from the port number, the
    port number decides.
    """
    cats = categories()
    if port.probed and port.service.lower() not in _NOT_RECOGNISED:
        return next((k for k, c in cats.items() if k != "other" and c.recognises(port)), None)
    return next((k for k, c in cats.items() if k != "other" and port.port in c.ports), None)


@cache
def eol_lines() -> tuple[tuple[str, tuple[str, ...], tuple[EolLine, ...]], ...]:
    """(product substring, exclusions, lines) per product in ``eol.toml``."""
    result = []
    for entry in _load("eol.toml").values():
        lines = tuple(
            EolLine(entry["match"], line, date.fromisoformat(ended), entry.get("source", ""))
            for line, ended in entry["lines"].items()
        )
        excludes = tuple(e.lower() for e in entry.get("exclude", ()))
        result.append((entry["match"].lower(), excludes, lines))
    return tuple(result)


_VERSION = re.compile(r"^\s*v?(\d+(?:\.\d+)*)")


def end_of_life(port: OpenPort, today: date) -> EolLine | None:
    """The ended release line that ``port``'s detected product and version fall in."""
    match = _VERSION.match(port.version)
    if not port.product or match is None:
        return None
    parts = match.group(1).split(".")
    product = port.product.lower()
    seen = f"{port.product} {port.version} {port.extrainfo}".lower()
    for name, excludes, lines in eol_lines():
        if name not in product or any(e in seen for e in excludes):
            continue
        for line in lines:
            wanted = line.line.split(".")
            if parts[: len(wanted)] == wanted and line.ended <= today:
                return line
    return None


def endpoint(scan: PortScan, port: int) -> str:
    host = f"[{scan.host}]" if ":" in scan.host else scan.host
    return f"tcp://{host}:{port}"
