"""The vocabulary of policy packs: a pack of controls, each mapped to checks.

A pack is data (a TOML file validated by ``pack.schema.json``); these frozen
types are what the loader turns it into and what evaluation reads.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

GLOB_CHARS = frozenset("*?[")


def is_glob(pattern: str) -> bool:
    """A check reference with glob characters (``tls.*``) rather than an exact id."""
    return any(c in GLOB_CHARS for c in pattern)


def matches(check_id: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(check_id, pattern)


class ControlStatus(StrEnum):
    """The outcome of one control for one run."""

    PASS = "pass"  # every mapped check ran and none failed
    FAIL = "fail"  # a mapped check failed: the control lists the findings
    INCOMPLETE = "incomplete"  # no failure, but errors, skips or mapped checks that did not run
    NOT_ASSESSED = "not_assessed"  # no automated checks, or none of them ran


@dataclass(frozen=True)
class Control:
    """One requirement of a law or standard, with the checks that give evidence for it.

    ``title`` is the English (or the pack's only) title; ``title_id`` the
    Indonesian one when the pack has it. An empty ``checks`` tuple means a
    remote scan cannot evidence the control: it is always "not assessed".
    """

    id: str
    title: str
    title_id: str | None = None
    description: str | None = None
    group: str | None = None
    checks: tuple[str, ...] = ()
    attributes: Mapping[str, Any] = field(default_factory=dict)
    verified: bool = True
    note: str | None = None
    review_info: bool = False  # informational findings need a person: control incomplete
    line: int | None = None  # where the control starts in its file, for messages

    def covers(self, check_id: str) -> bool:
        return any(matches(check_id, p) for p in self.checks)

    def expand(self, check_ids: frozenset[str] | set[str]) -> tuple[str, ...]:
        """The concrete check ids this control maps to, among ``check_ids``."""
        return tuple(sorted(c for c in check_ids if self.covers(c)))


@dataclass(frozen=True)
class Pack:
    """A catalogue of controls from one law or standard, as data."""

    id: str
    title: str
    version: str  # edition of the law or standard the pack encodes
    source: str  # citation
    languages: tuple[str, ...]
    controls: tuple[Control, ...]
    title_id: str | None = None
    revision: int = 1  # revision of the pack data itself
    url: tuple[str, ...] = ()
    verdict: str | None = None  # name of a verdict scheme, e.g. "bssn"
    notes: str | None = None
    origin: str = "<memory>"  # file the pack was read from
    builtin: bool = False

    def ref(self, control: Control) -> str:
        """The reference written into findings: ``"<pack-id>:<control-id>"``."""
        return f"{self.id}:{control.id}"

    def control(self, control_id: str) -> Control:
        for c in self.controls:
            if c.id == control_id:
                return c
        raise KeyError(control_id)

    @property
    def assessable(self) -> tuple[Control, ...]:
        return tuple(c for c in self.controls if c.checks)
