"""The check catalogue, loaded from entry points.

Built-in families and third-party plugins register the same way, in the
``egov_audit.checks`` group; probes in ``egov_audit.probes``. A plugin that
fails to import is reported by name and skipped; two checks claiming one id
stop the run, because findings keyed by that id would be ambiguous forever.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Any

from .check import Check
from .errors import InputError, RegistryError
from .probes.base import Probe

CHECK_GROUP = "egov_audit.checks"
PROBE_GROUP = "egov_audit.probes"
CHECK_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+(\.[a-z0-9_]+)*$")


@dataclass(frozen=True)
class PluginProblem:
    """A plugin that could not be loaded, and why: shown, never fatal."""

    group: str
    name: str
    distribution: str
    error: str


@dataclass(frozen=True)
class Registered:
    check: Check
    distribution: str  # the installed distribution that provides it
    entry_point: str


@dataclass
class Catalogue:
    checks: dict[str, Registered] = field(default_factory=dict)
    probes: dict[str, type[Probe]] = field(default_factory=dict)
    problems: list[PluginProblem] = field(default_factory=list)

    def add(self, check: Check, distribution: str, entry_point: str) -> None:
        if not CHECK_ID.match(check.id):
            raise RegistryError(
                f"check id {check.id!r} from {entry_point} is not of the form family.name"
            )
        existing = self.checks.get(check.id)
        if existing is not None and existing.check is not check:
            raise RegistryError(
                f"duplicate check id {check.id!r}: provided by {existing.entry_point} "
                f"({existing.distribution}) and by {entry_point} ({distribution})"
            )
        self.checks[check.id] = Registered(check, distribution, entry_point)

    def select(self, include: Iterable[str] = ("*",), exclude: Iterable[str] = ()) -> list[Check]:
        """Checks whose id matches an include pattern and no exclude pattern.

        A pattern is a glob (``tls.*``) or a family name (``tls``). A pattern that
        matches nothing is a typo the user should hear about.
        """
        include, exclude = list(include), list(exclude)
        for pattern in (*include, *exclude):
            if not any(_matches(cid, pattern) for cid in self.checks):
                raise InputError(
                    f"--checks/--skip pattern {pattern!r} matches no installed check",
                    expected="a check id, a family name or a glob such as 'https.*' "
                    "(see 'egov-audit checks list')",
                )
        return [
            reg.check
            for cid, reg in sorted(self.checks.items())
            if any(_matches(cid, p) for p in include)
            and not any(_matches(cid, p) for p in exclude)
        ]

    def digest(self) -> str:
        """A content hash of the catalogue's metadata, recorded in every result."""
        payload = [
            {
                "id": r.check.id,
                "title": r.check.meta.title,
                "severity": r.check.meta.severity.value,
                "cwe": list(r.check.meta.cwe),
                "remediation": r.check.meta.remediation,
                "distribution": r.distribution,
            }
            for r in sorted(self.checks.values(), key=lambda r: r.check.id)
        ]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _matches(check_id: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(check_id, pattern) or check_id.split(".", 1)[0] == pattern


def _distribution(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "unknown"
    return f"{dist.metadata['Name']} {dist.version}"


def _checks_from(obj: Any) -> list[Check]:
    if isinstance(obj, Check):
        return [obj]
    if isinstance(obj, ModuleType):
        obj = getattr(obj, "CHECKS", None)
    if callable(obj) and not isinstance(obj, Check):
        obj = obj()
    if isinstance(obj, Iterable) and not isinstance(obj, str | bytes):
        items = list(obj)
        if all(isinstance(c, Check) for c in items):
            return items
    raise TypeError("entry point must name a Check, an iterable of Checks, or a module "
                    "with CHECKS")


def load_catalogue(extra_checks: Iterable[Check] = ()) -> Catalogue:
    catalogue = Catalogue()
    for ep in sorted(entry_points(group=PROBE_GROUP), key=lambda e: e.name):
        try:
            probe_cls = ep.load()
            if not (isinstance(probe_cls, type) and issubclass(probe_cls, Probe)):
                raise TypeError("entry point must name a Probe subclass")
        except Exception as exc:  # a broken plugin is reported, never fatal
            catalogue.problems.append(
                PluginProblem(PROBE_GROUP, ep.name, _distribution(ep), _short(exc))
            )
            continue
        catalogue.probes.setdefault(probe_cls.name, probe_cls)
    for ep in sorted(entry_points(group=CHECK_GROUP), key=lambda e: e.name):
        try:
            checks = _checks_from(ep.load())
        except Exception as exc:
            catalogue.problems.append(
                PluginProblem(CHECK_GROUP, ep.name, _distribution(ep), _short(exc))
            )
            continue
        distribution = _distribution(ep)  # reading metadata is slow: once per plugin
        for check in checks:
            catalogue.add(check, distribution, f"{ep.name} = {ep.value}")
    for check in extra_checks:
        catalogue.add(check, "local", f"<local> {check.id}")
    return catalogue


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
