"""Read, validate and lint policy packs.

Packs are TOML files validated against one JSON Schema
(``egov_audit/policies/pack.schema.json``). The built-in packs ship inside
``egov_audit.policies`` and are read with :mod:`importlib.resources`; a custom
pack (e.g. a city's internal standard) is read from any path. Every error
names the file, the line where it can be found, and what was expected.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..datafiles import TomlLines, parse_toml, read_text, validate
from ..errors import InputError
from .model import Control, Pack, is_glob, matches

PACKAGE = "egov_audit.policies"
SCHEMA_FILE = "pack.schema.json"


@dataclass(frozen=True)
class LintProblem:
    """One problem found by :func:`lint_pack`: an ``error`` blocks use, a ``warning`` does not."""

    level: str  # "error" | "warning"
    message: str
    source: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.level}: {self.message}"


@cache
def pack_schema() -> dict[str, Any]:
    text = resources.files(PACKAGE).joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def parse_pack(text: str, source: str, *, builtin: bool = False) -> Pack:
    """Parse and validate one pack; raises InputError naming file and line."""
    document = parse_toml(text, source)
    validate(document, pack_schema(), what="policy pack",
             expected="a pack as described in docs/policies.md")
    data, lines = document.data, document.lines
    controls = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data["controls"]):
        line = lines.line("controls", index)
        if raw["id"] in seen:
            raise InputError(f"duplicate control id {raw['id']!r} (first defined at control "
                             f"#{seen[raw['id']] + 1})", source=source, line=line,
                             expected="unique control ids within a pack")
        seen[raw["id"]] = index
        controls.append(_control(raw, line))
    return Pack(
        id=data["id"],
        title=data["title"],
        title_id=data.get("title_id"),
        version=data["version"],
        revision=data.get("revision", 1),
        source=data["source"],
        url=tuple(data.get("url", ())),
        languages=tuple(data["languages"]),
        verdict=data.get("verdict"),
        notes=data.get("notes"),
        controls=tuple(controls),
        origin=source,
        builtin=builtin,
    )


def _control(raw: Mapping[str, Any], line: int | None) -> Control:
    title = raw.get("title_en") or raw.get("title") or raw["title_id"]
    return Control(
        id=raw["id"],
        title=title,
        title_id=raw.get("title_id"),
        description=raw.get("description"),
        group=raw.get("group"),
        checks=tuple(raw["checks"]),
        attributes=dict(raw.get("attributes", {})),
        verified=raw.get("verified", True),
        note=raw.get("note"),
        review_info=raw.get("info_findings", "ignore") == "review",
        line=line,
    )


def load_pack_file(path: str | Path) -> Pack:
    p = Path(path)
    if not p.exists():
        raise InputError("policy pack file not found", source=p,
                         expected="a pack id (see 'egov-audit policies list') or a TOML file")
    return parse_pack(read_text(p, "policy pack"), str(p))


@cache
def builtin_packs() -> dict[str, Pack]:
    """Every pack shipped in ``egov_audit.policies``, by id, in file-name order."""
    packs: dict[str, Pack] = {}
    root = resources.files(PACKAGE)
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        pack = parse_pack(entry.read_text("utf-8"), f"{PACKAGE}/{entry.name}", builtin=True)
        if pack.id in packs:
            raise InputError(f"duplicate pack id {pack.id!r}", source=pack.origin,
                             expected="unique pack ids among the built-in packs")
        packs[pack.id] = pack
    return packs


def lint_pack(pack: Pack, check_ids: Iterable[str], text: str | None = None) -> list[LintProblem]:
    """Check every reference of a pack against the installed checks.

    An exact id that no installed check has is an error (a typo, or a check
    that was renamed); a glob that matches nothing is a warning, because the
    family it names may simply not be installed yet.
    """
    ids = frozenset(check_ids)
    lines = TomlLines(text) if text is not None else None
    problems: list[LintProblem] = []
    for index, control in enumerate(pack.controls):
        for pattern in control.checks:
            line = lines.value_line(pattern, "controls", index) if lines else control.line
            if is_glob(pattern):
                if not any(matches(c, pattern) for c in ids):
                    problems.append(LintProblem(
                        "warning", f"control {control.id}: pattern {pattern!r} matches no "
                        "installed check", pack.origin, line))
            elif pattern not in ids:
                problems.append(LintProblem(
                    "error", f"control {control.id}: unknown check id {pattern!r} (expected an "
                    "installed check id, see 'egov-audit checks list', or a glob such as "
                    "'tls.*')", pack.origin, line))
    return problems


def builtin_text(pack: Pack) -> str | None:
    """The source text of a built-in pack, for line numbers in lint output."""
    if not pack.builtin:
        return None
    name = pack.origin.rsplit("/", 1)[-1]
    return resources.files(PACKAGE).joinpath(name).read_text("utf-8")
