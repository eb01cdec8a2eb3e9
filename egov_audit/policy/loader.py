"""Read, validate and lint policy packs.

Packs are TOML files validated against one JSON Schema
(``egov_audit/policies/pack.schema.json``). The built-in packs ship inside
``egov_audit.policies`` and are read with :mod:`importlib.resources`; a custom
pack (e.g. a city's internal standard) is read from any path. Every error
names the file, the line where it can be found, and what was expected.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

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


class _Lines:
    """Finds the line of a key in a pack file; tomllib does not report positions."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.controls = [i + 1 for i, ln in enumerate(self.lines)
                         if re.match(r"\s*\[\[\s*controls\s*\]\]", ln)]

    def _key(self, key: str, start: int, end: int) -> int | None:
        pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
        for n in range(start, min(end, len(self.lines))):
            if pattern.match(self.lines[n]):
                return n + 1
        return None

    def control(self, index: int) -> int | None:
        return self.controls[index] if 0 <= index < len(self.controls) else None

    def at(self, path: Sequence[str | int]) -> int | None:
        if not path:
            return None
        if path[0] == "controls" and len(path) > 1 and isinstance(path[1], int):
            start = self.control(path[1])
            if start is None:
                return None
            if len(path) > 2 and isinstance(path[2], str):
                nxt = self.control(path[1] + 1) or len(self.lines) + 1
                return self._key(path[2], start, nxt - 1) or start
            return start
        first_table = self.controls[0] - 1 if self.controls else len(self.lines)
        return self._key(str(path[0]), 0, first_table)

    def value(self, needle: str, control_index: int) -> int | None:
        """The line of a quoted value inside one control's block."""
        start = self.control(control_index)
        if start is None:
            return None
        end = self.control(control_index + 1) or len(self.lines) + 1
        for n in range(start - 1, end - 1):
            if f'"{needle}"' in self.lines[n] or f"'{needle}'" in self.lines[n]:
                return n + 1
        return start


@cache
def pack_schema() -> dict[str, Any]:
    text = resources.files(PACKAGE).joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def parse_pack(text: str, source: str, *, builtin: bool = False) -> Pack:
    """Parse and validate one pack; raises InputError naming file and line."""
    import jsonschema  # lazy: keeps `import egov_audit` light

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        detail = re.sub(r" \(at line.*", "", str(exc))
        raise InputError(f"not valid TOML: {detail}", source=source,
                         line=int(m.group(1)) if m else None, expected="TOML syntax") from None
    lines = _Lines(text)
    validator = jsonschema.Draft202012Validator(pack_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        error = errors[0]
        path = list(error.absolute_path)
        where = "/".join(str(p) for p in path) or "(top level)"
        raise InputError(f"policy pack does not match the pack format at {where}: "
                         f"{error.message}", source=source, line=lines.at(path),
                         expected="a pack as described in docs/policies.md")
    controls = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data["controls"]):
        line = lines.control(index)
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
    try:
        text = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError("policy pack file not found", source=p,
                         expected="a pack id (see 'egov-audit policies list') or a TOML file"
                         ) from None
    except UnicodeDecodeError:
        raise InputError("policy pack is not UTF-8 text", source=p) from None
    except OSError as exc:
        raise InputError(f"cannot read policy pack: {exc.strerror}", source=p) from None
    return parse_pack(text, str(p))


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
    lines = _Lines(text) if text is not None else None
    problems: list[LintProblem] = []
    for index, control in enumerate(pack.controls):
        for pattern in control.checks:
            line = lines.value(pattern, index) if lines else control.line
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
