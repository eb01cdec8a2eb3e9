"""Declarative path rules: one TOML file per check, validated when loaded.

The file name is the check name (``rules/git_metadata.toml`` defines
``exposure.git_metadata``), so a finding leads straight to its rule. A rule
says which paths to fetch, what content proves the file is really there, what
content proves it is not (an HTML catch-all page), and carries examples of
both that the test-suite runs through the matcher.

``rule.schema.json`` (next to this module) is the format, and the one place
that lists the keys; ``docs/exposure.md`` explains them. Files are read
through :mod:`egov_audit.datafiles`, like policy packs and secret rules, so a
mistake is a :class:`RuleError` naming file, line and what was expected. In
short (optional keys in brackets)::

    title, severity, cwe = [..], description, remediation, references = [..]
    [confidence = "firm"]  [tags = [..]]
    paths = ["/.git/HEAD", "/{host}.zip"]      # {host}/{name} templated
    [crawl_dirs = false]  [in_dirs = [..]]  [technologies = [..]]  [soft404 = true]
    [match]  [content_types]  [not_content_types]
             any | magic | json_keys | all   # content evidence: at least one
             [none]  [min_bytes = 1]  [extract = "ds_store"]
    [[examples]]  path, [status = 200], [headers = {..}], body | body_hex, expect
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Protocol

from egov_audit.datafiles import TomlDocument, TomlLines, load_schema, load_toml, validate
from egov_audit.errors import InputError
from egov_audit.model import Confidence, Severity
from egov_audit.probes.technology import KNOWN as KNOWN_TECHNOLOGIES

from .extractors import EXTRACTORS

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
EXPECTED = "a path rule as described in checks/_pathrules/rule.schema.json"


class RuleError(InputError):
    """A rule file that does not follow the format: names file, line and what was
    expected; an InputError, so the CLI exits with status 2 where it meets one."""


@dataclass(frozen=True)
class Magic:
    offset: int
    data: bytes


@dataclass(frozen=True)
class Example:
    path: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    expect: bool


@dataclass(frozen=True)
class Matcher:
    content_types: tuple[str, ...] = ()
    not_content_types: tuple[str, ...] = ()
    any: tuple[re.Pattern[bytes], ...] = ()
    magic: tuple[Magic, ...] = ()
    json_keys: tuple[str, ...] = ()
    all: tuple[re.Pattern[bytes], ...] = ()
    none: tuple[re.Pattern[bytes], ...] = ()
    min_bytes: int = 1
    extract: str | None = None


@dataclass(frozen=True)
class Rule:
    family: str
    name: str
    title: str
    severity: Severity
    cwe: tuple[int, ...]
    description: str
    remediation: str
    references: tuple[str, ...]
    confidence: Confidence
    tags: tuple[str, ...]
    paths: tuple[str, ...]
    crawl_dirs: bool
    soft404: bool
    matcher: Matcher
    examples: tuple[Example, ...]
    in_dirs: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.family}.{self.name}"


def load_rules(package: str, family: str) -> tuple[Rule, ...]:
    """Every ``rules/*.toml`` of ``package``, sorted by name."""
    return load_rule_folder(resources.files(package) / "rules", family)


def load_rule_folder(folder: Traversable, family: str) -> tuple[Rule, ...]:
    """Every ``*.toml`` in ``folder`` as rules of ``family``, sorted by name; the
    first broken file raises a :class:`RuleError` (an InputError: file:line)."""
    return tuple(parse_rule(family, entry.name.removesuffix(".toml"),
                            load_toml(entry, "path rule"))
                 for entry in sorted(folder.iterdir(), key=lambda e: e.name)
                 if entry.name.endswith(".toml"))


@cache
def _schema() -> dict[str, Any]:
    return load_schema(resources.files(__name__.rsplit(".", 1)[0]) / "rule.schema.json")


def parse_rule(family: str, name: str, document: TomlDocument) -> Rule:
    """One rule file: first its shape against ``rule.schema.json``, then what a
    schema cannot say well; every mistake names the file and the line."""
    where = f"path rule {family}.{name}"
    try:
        validate(document, _schema(), what=where, expected=EXPECTED)
    except InputError as exc:
        raise RuleError(exc.message, source=exc.source, line=exc.line,
                        expected=exc.expected) from None
    data, lines = document.data, document.lines

    def fail(message: str, line: int | None, expected: str = EXPECTED) -> RuleError:
        # A rule-level mistake with no better place is reported at the top of the file.
        return RuleError(f"{where}: {message}", source=document.source, line=line or 1,
                         expected=expected)

    if not _NAME.match(name):
        raise fail("the file name is the check name", None, "a snake_case file name")
    paths = tuple(str(p) for p in data["paths"])
    if not paths and not data.get("crawl_dirs"):
        raise fail("no paths", lines.line("paths"),
                   "at least one path, or crawl_dirs = true")
    technologies = tuple(str(t) for t in data.get("technologies", ()))
    for tech in technologies:
        if tech not in KNOWN_TECHNOLOGIES:
            raise fail(f"unknown technology {tech!r}", lines.value_line(tech, "technologies"),
                       f"one of {', '.join(sorted(KNOWN_TECHNOLOGIES))}")
    return Rule(
        family=family,
        name=name,
        title=str(data["title"]),
        severity=Severity.parse(str(data["severity"])),
        cwe=tuple(int(c) for c in data["cwe"]),
        description=" ".join(str(data["description"]).split()),
        remediation=str(data["remediation"]).strip(),
        references=tuple(str(r) for r in data["references"]),
        confidence=Confidence(str(data.get("confidence", "firm"))),
        tags=tuple(str(t) for t in data.get("tags", ())),
        paths=paths,
        crawl_dirs=bool(data.get("crawl_dirs", False)),
        soft404=bool(data.get("soft404", True)),
        matcher=_matcher(data.get("match", {}), lines, fail),
        examples=tuple(_examples(data.get("examples", ()), lines, fail)),
        in_dirs=tuple(str(n) for n in data.get("in_dirs", ())),
        technologies=technologies,
    )


class _Fail(Protocol):
    def __call__(self, message: str, line: int | None, expected: str = ...) -> RuleError: ...


def _regexes(data: Mapping[str, Any], key: str, lines: TomlLines,
             fail: _Fail) -> tuple[re.Pattern[bytes], ...]:
    # Bytes patterns: rules judge raw bodies, and binary files must not be decoded.
    compiled = []
    for value in data.get(key, ()):
        try:
            compiled.append(re.compile(str(value).encode(), re.M))
        except re.error as exc:
            raise fail(f"match.{key}: {value!r} is not a valid regular expression: {exc}",
                       lines.value_line(value, "match", key),
                       "a Python regular expression") from None
    return tuple(compiled)


def _magic(value: str) -> Magic:
    offset, _, hexdata = value.rpartition(":")
    return Magic(int(offset or 0), bytes.fromhex(hexdata))


def _matcher(data: Mapping[str, Any], lines: TomlLines, fail: _Fail) -> Matcher:
    extract = str(data["extract"]) if "extract" in data else None
    if extract is not None and extract not in EXTRACTORS:
        raise fail(f"unknown extractor {extract!r}", lines.line("match", "extract"),
                   f"one of {', '.join(sorted(EXTRACTORS))}")
    matcher = Matcher(
        content_types=tuple(str(c).lower() for c in data.get("content_types", ())),
        not_content_types=tuple(str(c).lower() for c in data.get("not_content_types", ())),
        any=_regexes(data, "any", lines, fail),
        magic=tuple(_magic(str(m)) for m in data.get("magic", ())),
        json_keys=tuple(str(k) for k in data.get("json_keys", ())),
        all=_regexes(data, "all", lines, fail),
        none=_regexes(data, "none", lines, fail),
        min_bytes=int(data.get("min_bytes", 1)),
        extract=extract,
    )
    if not (matcher.any or matcher.magic or matcher.json_keys or matcher.all):
        raise fail("no content evidence: a status code alone is never evidence",
                   lines.line("match"), "[match] with any, magic, json_keys or all")
    return matcher


def _examples(items: Any, lines: TomlLines, fail: _Fail) -> Iterator[Example]:
    for i, item in enumerate(items):
        if "body" in item and "body_hex" in item:
            raise fail(f"example {i + 1} has both body and body_hex", lines.line("examples", i),
                       "body or body_hex, not both")
        body = (bytes.fromhex(item["body_hex"]) if "body_hex" in item
                else str(item.get("body", "")).encode())
        yield Example(
            path=str(item["path"]),
            status=int(item.get("status", 200)),
            headers=tuple((str(k), str(v)) for k, v in item.get("headers", {}).items()),
            body=body,
            expect=bool(item["expect"]),
        )
