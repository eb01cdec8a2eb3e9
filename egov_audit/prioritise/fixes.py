"""The remediation action catalogue (``data/fixes.toml``): which change clears which checks."""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..errors import InputError

EFFORTS = ("low", "medium", "high")
SERVERS = ("nginx", "apache", "iis", "php")


@dataclass(frozen=True)
class Action:
    id: str
    title: str
    effort: str
    checks: tuple[str, ...]  # exact ids or globs
    summary: str
    snippets: Mapping[str, str]
    titles: Mapping[str, str]  # per-server wording

    def title_for(self, servers: frozenset[str]) -> str:
        """The server-specific wording when every affected host runs the same software."""
        web = servers - {"php"}
        if len(web) == 1:
            return self.titles.get(next(iter(web)), self.title)
        return self.title


@dataclass(frozen=True)
class ActionCatalogue:
    actions: tuple[Action, ...]
    _memo: dict[str, Action | None] = field(default_factory=dict, compare=False, repr=False)

    def get(self, action_id: str) -> Action | None:
        return next((a for a in self.actions if a.id == action_id), None)

    def for_check(self, check_id: str) -> Action | None:
        """An exact listing wins over a glob; among globs, the first action in file order."""
        if check_id not in self._memo:
            self._memo[check_id] = self._match(check_id)
        return self._memo[check_id]

    def _match(self, check_id: str) -> Action | None:
        for action in self.actions:
            if check_id in action.checks:
                return action
        for action in self.actions:
            if any(fnmatch.fnmatchcase(check_id, p) for p in action.checks if _is_glob(p)):
                return action
        return None


def _is_glob(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def parse_catalogue(data: Mapping[str, object], source: str) -> ActionCatalogue:
    raw = data.get("action")
    if not isinstance(raw, list):
        raise InputError("no [[action]] tables", source=source)
    actions: list[Action] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        where = f"{source} action #{index + 1}"
        if not isinstance(entry, dict):
            raise InputError("an action must be a table", source=where)
        try:
            action = Action(
                id=str(entry["id"]),
                title=str(entry["title"]),
                effort=str(entry["effort"]),
                checks=tuple(str(c) for c in entry["checks"]),
                summary=str(entry.get("summary", "")).strip(),
                snippets={k: str(v).strip("\n") for k, v in entry.get("snippets", {}).items()},
                titles={k: str(v) for k, v in entry.get("titles", {}).items()},
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"missing or malformed field {exc}", source=where,
                             expected="id, title, effort, checks") from None
        if action.effort not in EFFORTS:
            raise InputError(f"effort {action.effort!r}", source=where,
                             expected=" | ".join(EFFORTS))
        unknown = (set(action.snippets) | set(action.titles)) - set(SERVERS)
        if unknown:
            raise InputError(f"unknown server(s) {sorted(unknown)}", source=where,
                             expected=", ".join(SERVERS))
        if action.id in seen:
            raise InputError(f"duplicate action id {action.id!r}", source=where)
        seen.add(action.id)
        actions.append(action)
    return ActionCatalogue(tuple(actions))


@cache
def load_catalogue() -> ActionCatalogue:
    text = resources.files("egov_audit").joinpath("data", "fixes.toml").read_text("utf-8")
    return parse_catalogue(tomllib.loads(text), "egov_audit/data/fixes.toml")
