"""The probe interface and the per-target cache through which probes are run."""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TypeVar

from .. import deadline
from ..check import Snapshot
from ..model import Reason, Target
from ..options import ScanOptions
from ..scope import Scope

if TYPE_CHECKING:
    from .http import HttpClient

S = TypeVar("S", bound=Snapshot)


class ProbeError(Exception):
    """A probe could not collect its snapshot; the message is the reason shown,
    ``code`` the reason for programs.

    A probe that words an HTTP failure into its message without a code gets
    the code of the client's phrase in it (``http.reason_in``), so probes
    written before codes existed, and plugins, are classified too.
    """

    def __init__(self, message: str, code: Reason | None = None) -> None:
        super().__init__(message)
        self.code = code


class DeadlineExceeded(ProbeError):
    def __init__(self, what: str = "the run's deadline") -> None:
        super().__init__(f"{what} was reached", Reason.DEADLINE)


@dataclass
class ProbeEnv:
    """Run-wide services shared by every probe of every target."""

    options: ScanOptions
    scope: Scope
    http: HttpClient
    deadline: float  # time.monotonic() value after which probes give up

    def check_deadline(self) -> None:
        """Give up once the run's deadline, or the one in force (the target's), passed."""
        if time.monotonic() > self.deadline:
            raise DeadlineExceeded()
        if deadline.expired():
            raise DeadlineExceeded("the target's deadline")


class Probe(ABC):
    """Collects one kind of snapshot.

    A probe may override :meth:`prepare` to collect for every target of a run
    at once (sslyze and nmap are far faster in one batch); :meth:`collect`
    then serves each target from what ``prepare`` gathered.
    """

    name: ClassVar[str]
    snapshot: ClassVar[type[Snapshot]]

    def prepare(  # noqa: B027 - optional hook, deliberately not abstract
        self, work: Mapping[Target, frozenset[str]], env: ProbeEnv
    ) -> None:
        """Called once per run with every target needing this probe and its items."""

    @abstractmethod
    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> Snapshot:
        """Collect the snapshot for ``target``; raise :class:`ProbeError` to fail."""


class ProbeSession:
    """Snapshots for one target, each collected at most once.

    Probes may depend on each other through :meth:`get` (the path sweep asks
    for the not-found fingerprint), and still every probe runs once per target.
    """

    def __init__(
        self,
        target: Target,
        env: ProbeEnv,
        probes: Mapping[str, Probe],
        items: Mapping[str, frozenset[str]],
    ) -> None:
        self.target = target
        self.env = env
        self._probes = probes
        self._items = items
        self._cache: dict[str, Snapshot | ProbeError] = {}
        self._lock = threading.RLock()

    def get(self, kind: type[S], items: Iterable[str] = ()) -> S:
        name = kind.probe
        with self._lock:
            cached = self._cache.get(name)
            if cached is None:
                probe = self._probes.get(name)
                if probe is None:
                    raise ProbeError(f"no probe named {name!r} is installed",
                                     Reason.DEPENDENCY_MISSING)
                wanted = self._items.get(name, frozenset()) | frozenset(items)
                self.env.check_deadline()
                try:
                    cached = probe.collect(self.target, wanted, self)
                except ProbeError as exc:
                    if exc.code is None:
                        exc.code = _code_in(str(exc))
                    cached = exc
                except Exception as exc:  # a probe bug must not stop the run
                    cached = ProbeError(f"probe {name} crashed: {type(exc).__name__}: {exc}",
                                        Reason.PROBE_CRASHED)
                self._cache[name] = cached
        if isinstance(cached, ProbeError):
            raise cached
        assert isinstance(cached, kind)
        return cached

    def collected(self, kind: type[S]) -> S | None:
        """The snapshot of ``kind`` if some probe or check already collected it
        (never starts a probe): for what a target reports besides its checks."""
        with self._lock:
            cached = self._cache.get(kind.probe)
        return cached if isinstance(cached, kind) else None


def _code_in(message: str) -> Reason:
    # Imported here: http.py builds on this module (ProbeError).
    from .http import reason_in

    return reason_in(message, default=Reason.PROBE_FAILED)
