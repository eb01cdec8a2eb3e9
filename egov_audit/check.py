"""How a check is written: metadata next to a pure function of snapshots.

A check never touches the network. It declares the snapshots it needs; the
runner has the probes collect them once per target and hands them over through
a :class:`CheckContext`. The check yields :class:`Issue` objects; the engine
turns each into a :class:`~egov_audit.model.Finding`, passing all evidence
through the redactor on the way, so a check cannot leak what it saw::

    @check(
        id="https.hsts_missing",
        title="HTTPS responses do not send Strict-Transport-Security",
        severity=Severity.MEDIUM,
        cwe=(523,),
        needs=(Site,),
        remediation="Send Strict-Transport-Security: max-age=31536000 ...",
    )
    def hsts_missing(ctx: CheckContext) -> Iterator[Issue]:
        site = ctx.get(Site)
        ...
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from .model import CheckMeta, Confidence, Judged, Reason, Severity, Target


class Snapshot:
    """Base of every immutable thing a probe collects.

    Subclasses name the probe that produces them, which is how the runner knows
    what to run for the snapshots a check ``needs``.
    """

    probe: ClassVar[str]


S = TypeVar("S", bound=Snapshot)


@dataclass(frozen=True)
class Need:
    """A snapshot a check needs, optionally with items the probe should cover.

    Items from every selected check are merged by union, so twenty path rules
    asking for twenty paths still make one sweep of the host.
    """

    kind: type[Snapshot]
    items: frozenset[str] = frozenset()

    @property
    def probe(self) -> str:
        return self.kind.probe


def need(kind: type[Snapshot], *items: str) -> Need:
    return Need(kind, frozenset(items))


class Skip(Exception):
    """Raised by a check that has nothing to judge on a target; the reason is
    reported, with ``code`` for programs (``Reason.OVER_BUDGET`` when the
    request budget cut what it would judge, ``Reason.DEPENDENCY_MISSING`` when
    a tool is not installed...)."""

    def __init__(self, reason: str, code: Reason = Reason.NOT_APPLICABLE) -> None:
        self.reason = reason
        self.code = code
        super().__init__(reason)


@dataclass(frozen=True)
class Sensitive:
    """A raw value the check knows to be sensitive (e.g. a NIK it detected).

    Listing it lets the redactor mask it precisely wherever it appears in the
    evidence, details or location, before any pattern-based safety net runs.
    """

    kind: str
    value: str


@dataclass(frozen=True)
class Issue:
    """One problem a check observed, before the engine makes it a finding.

    ``key`` distinguishes several issues of one check on one target (a cookie
    name, a path) and goes into the stable finding id; leave it empty when a
    check can only fail once per location.
    """

    evidence: str
    location: str | None = None  # defaults to the target's primary URL
    key: str = ""
    severity: Severity | None = None  # override the check's default
    confidence: Confidence | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    sensitive: tuple[Sensitive, ...] = ()


class CheckContext:
    """What a check sees: the target, its settings and the collected snapshots."""

    def __init__(
        self,
        target: Target,
        snapshots: Mapping[type[Snapshot], Snapshot],
        settings: Mapping[str, Any] | None = None,
        *,
        needs: Iterable[Need] = (),
    ) -> None:
        self.target = target
        self.settings: Mapping[str, Any] = settings or {}
        self._snapshots = snapshots
        self._declared = {n.kind for n in needs} if needs else None

    def get(self, kind: type[S]) -> S:
        """The snapshot of ``kind``; the check must have declared it in ``needs``."""
        if self._declared is not None and kind not in self._declared:
            raise LookupError(f"check did not declare {kind.__name__} in needs=")
        snapshot = self._snapshots.get(kind)
        if snapshot is None:
            raise LookupError(f"no {kind.__name__} snapshot was collected")
        assert isinstance(snapshot, kind)
        return snapshot

    def setting(self, name: str, default: Any) -> Any:
        return self.settings.get(name, default)


CheckFunc = Callable[[CheckContext], Iterable[Issue] | None]


@dataclass(frozen=True)
class Check:
    """A check: its metadata, what it needs, and the function that judges."""

    meta: CheckMeta
    needs: tuple[Need, ...]
    func: CheckFunc = field(compare=False)

    @property
    def id(self) -> str:
        return self.meta.id

    def run(self, ctx: CheckContext) -> list[Issue]:
        issues = self.func(ctx)
        return list(issues) if issues is not None else []


def check(
    *,
    id: str,
    title: str,
    severity: Severity,
    cwe: Iterable[int],
    remediation: str,
    needs: Iterable[Need | type[Snapshot]],
    references: Iterable[str] = (),
    confidence: Confidence = Confidence.FIRM,
    tags: Iterable[str] = (),
    description: str | None = None,
    judges: Judged = Judged.ENDPOINT,
) -> Callable[[CheckFunc], Check]:
    """Declare a check. The function's docstring describes the risk; ``judges``
    says what it reads (the entry page, every crawled HTML page, every API
    response, every document…), so that a pass is not read as wider than it is."""

    def wrap(func: CheckFunc) -> Check:
        doc = description or inspect.getdoc(func) or ""
        meta = CheckMeta(
            id=id,
            title=title,
            severity=severity,
            cwe=tuple(cwe),
            description=" ".join(doc.split()),
            remediation=inspect.cleandoc(remediation),
            references=tuple(references),
            confidence=confidence,
            tags=tuple(tags),
            judges=judges,
        )
        normalized = tuple(n if isinstance(n, Need) else Need(n) for n in needs)
        return Check(meta=meta, needs=normalized, func=func)

    return wrap
