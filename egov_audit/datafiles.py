"""One way to read the project's TOML data files, with errors that name the line.

Policy packs, secret rules, path rules and the configuration are written by
people, so a mistake in one must say which file, which line, and what was
expected, like any other bad input (exit status 2). ``tomllib`` reports lines
only for syntax errors; :class:`TomlLines` finds the line of any key path so
that schema errors can point at it too.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from .errors import InputError

_SYNTAX_LINE = re.compile(r"\(at line (\d+), column \d+\)")


class TomlLines:
    """The line on which each table, array-of-tables entry and key is defined.

    Paths are tuples of names, with the index of an ``[[array]]`` entry as a
    string: ``("controls", "2", "checks")``. Keys in inline tables and values
    spread over several lines are found by their first line.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"']+)\s*=")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self._index: dict[tuple[str, ...], int] = {}
        counters: dict[str, int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(self.lines, start=1):
            header = self._HEADER.match(line)
            if header:
                name = header.group(2).replace('"', "").replace("'", "")
                if header.group(1) == "[[":
                    index = counters.get(name, 0)
                    counters[name] = index + 1
                    table = (*name.split("."), str(index))
                else:
                    table = tuple(name.split("."))
                self._index.setdefault(table, number)
                continue
            key = self._KEY.match(line)
            if key:
                self._index.setdefault((*table, key.group(1).strip("\"'")), number)

    def line(self, *path: str | int) -> int | None:
        """The line of ``path``, or of its nearest enclosing table or key."""
        parts = tuple(str(p) for p in path)
        while parts:
            if parts in self._index:
                return self._index[parts]
            parts = parts[:-1]
        return None

    def value_line(self, needle: str, *path: str | int) -> int | None:
        """The first line at or after ``path`` that quotes ``needle`` (an item of
        a list, for instance), before the next table starts."""
        start = self.line(*path)
        if start is None:
            return None
        for number in range(start, len(self.lines) + 1):
            text = self.lines[number - 1]
            if number > start and self._HEADER.match(text):
                break
            if f'"{needle}"' in text or f"'{needle}'" in text:
                return number
        return start


@dataclass(frozen=True)
class TomlDocument:
    data: dict[str, Any]
    lines: TomlLines
    source: str


def read_text(path: Path | Traversable, what: str) -> str:
    """The UTF-8 text of a data file; a missing or unreadable one is an InputError."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} not found", source=str(path)) from None
    except UnicodeDecodeError:
        raise InputError(f"{what} is not UTF-8 text", source=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}",
                         source=str(path)) from None


def parse_toml(text: str, source: str) -> TomlDocument:
    """Parse TOML text; a syntax error names the line tomllib found it on."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _SYNTAX_LINE.search(message)
        detail = message[:found.start()].rstrip() if found else message
        raise InputError(f"not valid TOML: {detail}", source=source,
                         line=int(found.group(1)) if found else None,
                         expected="TOML syntax") from None
    return TomlDocument(data, TomlLines(text), source)


def load_toml(path: Path | Traversable, what: str) -> TomlDocument:
    return parse_toml(read_text(path, what), str(path))


def load_schema(path: Path | Traversable) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return schema


def validate(document: TomlDocument, schema: Mapping[str, Any], *, what: str,
             expected: str) -> None:
    """Raise an InputError at the first place ``document`` breaks ``schema``
    (JSON Schema 2020-12), naming the key path and its line."""
    import jsonschema  # lazy: importing the engine stays light

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(document.data),
                    key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return
    error = errors[0]
    path: list[str | int] = list(error.absolute_path)
    where = "/".join(str(p) for p in path) or "(top level)"
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        # The error is the table's; the line worth showing is the stray key's.
        known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        path += [k for k in error.instance if k not in known][:1]
    # A key missing from the top level has no line of its own: the top of the
    # file is where it belongs, and every such error still names a line.
    raise InputError(f"{what} does not match its format at {where}: {error.message}",
                     source=document.source, line=document.lines.line(*path) or 1,
                     expected=expected)
