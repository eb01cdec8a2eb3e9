"""The ``plan`` section of a result as typed values: actions, notes and the SLA.

:func:`egov_audit.prioritise.plan.build_plan` builds a :class:`Plan`; the
result stores ``to_json()`` of it (the contract's JSON, unchanged), and readers
of a stored result parse it once with :meth:`Plan.from_json`::

    plan = Plan.from_json(report.extensions["plan"])
    for item in plan.items:
        print(item.action, item.due, len(item.finding_ids))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..json_fields import JsonFields, malformed
from ..model import Severity
from .fixes import EFFORTS, SERVERS

# Message templates a note's ``terms`` parameter is written with (catalogue msgids).
SLA_TERM_DAYS = "{severity} {days} day(s)"
SLA_TERM_NONE = "{severity} no target date"

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SEVERITIES = tuple(s.value for s in Severity)
_SLA_KEYS = ("containment", *_SEVERITIES)


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One action of the plan and every finding and host it clears.

    ``servers`` and ``remediation`` are optional in the contract (results
    written before they existed lack them); this version always writes them.
    """

    id: str
    action: str
    check_ids: tuple[str, ...]
    finding_ids: tuple[str, ...]
    hosts: tuple[str, ...]
    risk_removed: float
    effort: str  # one of fixes.EFFORTS
    due: str | None  # YYYY-MM-DD, or no target date
    severity: Severity  # the worst of its findings
    snippets: Mapping[str, str]  # server software → configuration snippet
    containment: bool
    servers: tuple[str, ...] | None = None  # the server software recognised on its hosts
    remediation: str | None = None  # what the change does and why it clears the findings

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "action": self.action,
            "check_ids": list(self.check_ids),
            "finding_ids": list(self.finding_ids),
            "hosts": list(self.hosts),
            "risk_removed": self.risk_removed,
            "effort": self.effort,
            "due": self.due,
            "severity": self.severity.value,
            "snippets": dict(self.snippets),
            "containment": self.containment,
        }
        if self.servers is not None:
            out["servers"] = list(self.servers)
        if self.remediation is not None:
            out["remediation"] = self.remediation
        return out

    @classmethod
    def from_json(cls, f: JsonFields) -> PlanItem:
        due = f.optional_text("due")
        if due is not None and not _DATE.fullmatch(due):
            raise malformed(f.at("due"), due, "a date (YYYY-MM-DD) or null")
        risk_removed = f.number("risk_removed")
        if risk_removed < 0:
            raise malformed(f.at("risk_removed"), risk_removed, "a number of at least 0")
        snippets = f.obj("snippets")
        return cls(
            id=f.text("id"),
            action=f.text("action"),
            check_ids=f.texts("check_ids"),
            finding_ids=f.texts("finding_ids"),
            hosts=f.texts("hosts"),
            risk_removed=risk_removed,
            effort=f.choice("effort", EFFORTS),
            due=due,
            severity=Severity(f.choice("severity", _SEVERITIES)),
            snippets={_snippet_server(snippets, k): snippets.text(k) for k in snippets.names()},
            containment=f.flag("containment"),
            servers=f.texts("servers") if f.has("servers") else None,
            remediation=f.text("remediation") if f.has("remediation") else None,
        )


def _snippet_server(snippets: JsonFields, key: str) -> str:
    if key not in SERVERS:
        raise snippets.unknown(key, "snippets for " + ", ".join(SERVERS))
    return key


@dataclass(frozen=True, slots=True)
class SlaTerm:
    """One severity's target, as the SLA note lists it: days, or no target date."""

    severity: str
    days: int | None

    def to_json(self) -> dict[str, Any]:
        return {"severity": self.severity, "days": self.days}


NoteParam = str | int | float | bool | None | tuple[SlaTerm, ...]


@dataclass(frozen=True, slots=True)
class PlanNote:
    """A note as a message template (its English text is the msgid) with parameters,
    so each report can say it in its own language."""

    msgid: str
    params: Mapping[str, NoteParam]

    def text(self, translate: Callable[[str], str] = str) -> str:
        """The note as a sentence in the language ``translate`` gives (English by default).

        Raises KeyError, IndexError or ValueError when a (hand-edited) template
        names a parameter the note lacks; callers fall back to the stored text.
        """
        params: dict[str, object] = {}
        for name, value in self.params.items():
            if isinstance(value, tuple):
                value = ", ".join(
                    translate(SLA_TERM_DAYS if t.days is not None else SLA_TERM_NONE).format(
                        severity=translate(t.severity), days=t.days)
                    for t in value)
            params[name] = value
        return translate(self.msgid).format(**params)

    def to_json(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": {
            k: [t.to_json() for t in v] if isinstance(v, tuple) else v
            for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, f: JsonFields) -> PlanNote:
        params = f.obj("params")
        return cls(f.text("msgid"), {k: _param(params, k) for k in params.names()})


def _param(params: JsonFields, key: str) -> NoteParam:
    """A text or number; a list is the SLA's terms (severity and days)."""
    value = params.raw(key, "a text or a number")
    if isinstance(value, list | tuple):
        return tuple(SlaTerm(t.text("severity"), t.optional_integer("days", 0))
                     for t in params.objects(key))
    if value is not None and not isinstance(value, str | int | float | bool):
        raise malformed(params.at(key), value, "a text, a number or a list of SLA terms")
    return value


@dataclass(frozen=True, slots=True)
class Plan:
    """``extensions["plan"]``: the actions ordered by the risk they remove (containment
    first), the notes in English and as templates, and the SLA the dates count with.

    ``notes_i18n`` and ``sla`` are optional in the contract (older results lack them).
    """

    items: tuple[PlanItem, ...]
    notes: tuple[str, ...]
    notes_i18n: tuple[PlanNote, ...] | None = None
    sla: Mapping[str, int | None] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"items": [i.to_json() for i in self.items],
                               "notes": list(self.notes)}
        if self.notes_i18n is not None:
            out["notes_i18n"] = [n.to_json() for n in self.notes_i18n]
        if self.sla is not None:
            out["sla"] = dict(self.sla)
        return out

    @classmethod
    def from_json(cls, value: object, path: str = "extensions.plan") -> Plan:
        """Parse a stored section; InputError naming the field when it is malformed."""
        f = JsonFields(value, path)
        sla = None
        if f.has("sla"):
            terms = f.obj("sla")
            sla = {_sla_key(terms, k): terms.optional_integer(k, 0) for k in terms.names()}
        return cls(
            items=tuple(PlanItem.from_json(i) for i in f.objects("items")),
            notes=f.texts("notes"),
            notes_i18n=(tuple(PlanNote.from_json(n) for n in f.objects("notes_i18n"))
                        if f.has("notes_i18n") else None),
            sla=sla,
        )


def _sla_key(terms: JsonFields, key: str) -> str:
    if key not in _SLA_KEYS:
        raise terms.unknown(key, "SLA keys among " + ", ".join(_SLA_KEYS))
    return key
