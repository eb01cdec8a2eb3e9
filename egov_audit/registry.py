"""The check catalogue, loaded from entry points.

Built-in families and third-party plugins register the same way, in the
``egov_audit.checks`` group; probes in ``egov_audit.probes``. A plugin that
fails to import is reported by name and skipped; two checks claiming one id
stop the run, because findings keyed by that id would be ambiguous forever.

Importing every family costs about a quarter of a second, more than the
first TLS handshake of a ``--checks 'tls.*'`` run should wait. So a built-in
family (entry point ``<family> = egov_audit.checks.<family>:CHECKS``) is
imported only when something needs it: :meth:`Catalogue.select` loads just
the families its patterns can name, and reading :attr:`Catalogue.checks` (the
whole catalogue: listings, policies, the digest) loads the rest. Third-party
plugins are always loaded at once: their check ids are not known in advance,
and a clash with a built-in id must stop the run before it starts.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
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
BUILTIN_FAMILY = re.compile(r"^egov_audit\.checks\.([a-z][a-z0-9_]*):CHECKS$")
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class PluginProblem:
    """A plugin that could not be loaded, and why: shown, never fatal."""

    group: str
    name: str
    distribution: str
    error: str

    @classmethod
    def of(cls, group: str, ep: EntryPoint, exc: BaseException) -> PluginProblem:
        """The problem of entry point ``ep`` of ``group`` failing with ``exc``
        (checks, probes and renderers are all reported this way)."""
        return cls(group, ep.name, _distribution(ep), _short(exc))


@dataclass(frozen=True)
class Registered:
    check: Check
    distribution: str  # the installed distribution that provides it
    entry_point: str


class ProbeClasses(MutableMapping[str, type[Probe]]):
    """Probe classes by name, each imported when first looked up.

    The entry point's name is the probe's name for every built-in probe, so a
    lookup imports one module; a name no entry point carries makes it import
    them all (a plugin may name its probe differently). Iterating lists the
    names without importing anything.
    """

    def __init__(self, problems: list[PluginProblem]) -> None:
        self._loaded: dict[str, type[Probe]] = {}
        self._deferred: dict[str, EntryPoint] = {}
        self._problems = problems
        self._lock = threading.RLock()

    def defer(self, ep: EntryPoint) -> None:
        self._deferred.setdefault(ep.name, ep)

    def _load(self, name: str) -> None:
        ep = self._deferred.pop(name, None)
        if ep is None:
            return
        try:
            probe_cls = ep.load()
            if not (isinstance(probe_cls, type) and issubclass(probe_cls, Probe)):
                raise TypeError("entry point must name a Probe subclass")
        except Exception as exc:  # a broken plugin is reported, never fatal
            self._problems.append(PluginProblem.of(PROBE_GROUP, ep, exc))
            return
        self._loaded.setdefault(probe_cls.name, probe_cls)

    def load_all(self) -> None:
        # One lock hold per probe: a lookup from a running audit waits for
        # one import at most, not for all of them.
        with self._lock:
            names = sorted(self._deferred)
        for name in names:
            with self._lock:
                self._load(name)

    def __getitem__(self, name: str) -> type[Probe]:
        with self._lock:
            if name not in self._loaded:
                self._load(name)
            if name not in self._loaded:
                self.load_all()
            return self._loaded[name]

    def __setitem__(self, name: str, probe_cls: type[Probe]) -> None:
        with self._lock:
            self._loaded[name] = probe_cls

    def __delitem__(self, name: str) -> None:
        with self._lock:
            self._deferred.pop(name, None)
            del self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*self._loaded, *self._deferred}))

    def __len__(self) -> int:
        return len({*self._loaded, *self._deferred})


class ProbeInstances(Mapping[str, Probe]):
    """One probe object per name for a run, made when the run first needs it:
    a ``--checks 'tls.*'`` run never imports the crawler."""

    def __init__(self, classes: Mapping[str, type[Probe]]) -> None:
        self._classes = classes
        self._made: dict[str, Probe] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> Probe:
        with self._lock:
            if name not in self._made:
                self._made[name] = self._classes[name]()
            return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)


@dataclass
class Catalogue:
    _checks: dict[str, Registered] = field(default_factory=dict)
    problems: list[PluginProblem] = field(default_factory=list)
    probes: ProbeClasses = field(init=False)
    # Built-in families not imported yet, by family name.
    _deferred: dict[str, EntryPoint] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        self.probes = ProbeClasses(self.problems)

    @property
    def checks(self) -> dict[str, Registered]:
        """Every installed check (imports the families not loaded yet)."""
        self._load(list(self._deferred))
        return self._checks

    def load_all(self) -> None:
        """Import every deferred family and probe; safe from a background thread."""
        with self._lock:
            self._load(list(self._deferred))
        self.probes.load_all()

    def _load(self, families: Iterable[str]) -> None:
        with self._lock:
            for family in families:
                ep = self._deferred.pop(family, None)
                if ep is not None:
                    _load_checks(self, ep)

    def _load_for(self, patterns: Iterable[str]) -> None:
        """Import the families these patterns can match (all, for a pattern whose
        family part is itself a glob)."""
        wanted: set[str] = set()
        for pattern in patterns:
            family = pattern.split(".", 1)[0]
            if _GLOB.search(family):
                self.load_all()
                return
            wanted.add(family)
        self._load(wanted)

    def add(self, check: Check, distribution: str, entry_point: str) -> None:
        if not CHECK_ID.match(check.id):
            raise RegistryError(
                f"check id {check.id!r} from {entry_point} is not of the form family.name"
            )
        family = check.id.split(".", 1)[0]
        if family in self._deferred and not entry_point.startswith(f"{family} = "):
            self._load([family])  # a plugin's id in a built-in family: look for a clash
        existing = self._checks.get(check.id)
        if existing is not None and existing.check is not check:
            raise RegistryError(
                f"duplicate check id {check.id!r}: provided by {existing.entry_point} "
                f"({existing.distribution}) and by {entry_point} ({distribution})"
            )
        self._checks[check.id] = Registered(check, distribution, entry_point)

    def select(self, include: Iterable[str] = ("*",), exclude: Iterable[str] = ()) -> list[Check]:
        """Checks whose id matches an include pattern and no exclude pattern.

        A pattern is a glob (``tls.*``) or a family name (``tls``). A pattern that
        matches nothing is a typo the user should hear about.
        """
        include, exclude = list(include), list(exclude)
        self._load_for((*include, *exclude))
        for pattern in (*include, *exclude):
            if not any(_matches(cid, pattern) for cid in self._checks):
                raise InputError(
                    f"--checks/--skip pattern {pattern!r} matches no installed check",
                    expected="a check id, a family name or a glob such as 'https.*' "
                    "(see 'egov-audit checks list')",
                )
        return [
            reg.check
            for cid, reg in sorted(self._checks.items())
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
    for ep in entry_points(group=PROBE_GROUP):
        catalogue.probes.defer(ep)
    plugins = []
    for ep in sorted(entry_points(group=CHECK_GROUP), key=lambda e: e.name):
        builtin = BUILTIN_FAMILY.match(ep.value)
        if builtin is not None and builtin.group(1) == ep.name:
            catalogue._deferred.setdefault(ep.name, ep)
        else:
            plugins.append(ep)
    for ep in plugins:
        _load_checks(catalogue, ep)
    for check in extra_checks:
        catalogue.add(check, "local", f"<local> {check.id}")
    return catalogue


def _load_checks(catalogue: Catalogue, ep: EntryPoint) -> None:
    try:
        checks = _checks_from(ep.load())
    except Exception as exc:
        catalogue.problems.append(PluginProblem.of(CHECK_GROUP, ep, exc))
        return
    distribution = _distribution(ep)  # reading metadata is slow: once per plugin
    for check in checks:
        catalogue.add(check, distribution, f"{ep.name} = {ep.value}")


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
