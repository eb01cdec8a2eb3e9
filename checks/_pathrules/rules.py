"""Declarative path rules: one TOML file per check, validated when loaded.

The file name is the check name (``rules/git_metadata.toml`` defines
``exposure.git_metadata``), so a finding leads straight to its rule. A rule
says which paths to fetch, what content proves the file is really there, what
content proves it is not (an HTML catch-all page), and carries examples of
both that the test-suite runs through the matcher. Schema (all keys but
``examples`` and the optional ones shown in brackets are required)::

    title, severity, cwe = [..], description, remediation, references = [..]
    [confidence = "firm"]  [tags = [..]]
    paths = ["/.git/HEAD", "/{host}.zip"]      # {host}/{name} templated
    [crawl_dirs = false]   # also judge parent directories of crawled files
    [in_dirs = ["db.sql"]] # names also looked for inside every directory the site
                           # announces (robots.txt, listings, the site map)
    [technologies = ["laravel"]]  # paths requested only where the host shows one
                           # of these (see egov_audit/probes/technology.py);
                           # none: a generic rule, always requested
    [soft404 = true]       # false: the page is judged even if it resembles the
                           # host's not-found answer (a default page served for
                           # every path is still a default page)
    [match]
    [content_types = ["text/plain", "*json*"]]  # allowed (fnmatch), "" = none sent
    [not_content_types = [..]]
    any = [regex..] | magic = ["hex" | "offset:hex"] | json_keys = [..]  # >= 1 hit
    [all = [regex..]]      # every one must match too
    [none = [regex..]]     # none may match (e.g. '(?i)<html')
    [min_bytes = 1]
    [extract = "ds_store"] # a named extractor adds details, may raise severity
    [[examples]]  path, status (200), headers = {..}, body | body_hex, expect (bool)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from egov_audit.model import Confidence, Severity
from egov_audit.probes.technology import KNOWN as KNOWN_TECHNOLOGIES

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_REQUIRED = ("title", "severity", "cwe", "description", "remediation", "references", "paths")
_KNOWN = {*_REQUIRED, "confidence", "tags", "crawl_dirs", "soft404", "match", "examples",
          "in_dirs", "technologies"}
_MATCH_KEYS = {"content_types", "not_content_types", "any", "magic", "json_keys", "all", "none",
               "min_bytes", "extract"}


class RuleError(ValueError):
    """A rule file that does not follow the schema; names the file and the key."""


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
    folder = resources.files(package) / "rules"
    rules = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            name = entry.name.removesuffix(".toml")
            with entry.open("rb") as fh:
                rules.append(parse_rule(family, name, tomllib.load(fh)))
    return tuple(rules)


def parse_rule(family: str, name: str, data: Mapping[str, Any]) -> Rule:
    where = f"rule {family}.{name}"
    if not _NAME.match(name):
        raise RuleError(f"{where}: file name must be snake_case (it is the check name)")
    missing = [k for k in _REQUIRED if k not in data]
    unknown = set(data) - _KNOWN
    if missing or unknown:
        raise RuleError(f"{where}: missing {missing} / unknown {sorted(unknown)} keys")
    paths = tuple(str(p) for p in data["paths"])
    if not paths and not data.get("crawl_dirs"):
        raise RuleError(f"{where}: no paths")
    if any(not p.startswith("/") for p in paths):
        raise RuleError(f"{where}: every path must start with '/'")
    in_dirs = tuple(str(n) for n in data.get("in_dirs", ()))
    if any(not n or "/" in n or "\\" in n or n in (".", "..") for n in in_dirs):
        raise RuleError(f"{where}: in_dirs are file names (no '/', not '.' or '..')")
    technologies = tuple(str(t) for t in data.get("technologies", ()))
    unknown_tech = set(technologies) - KNOWN_TECHNOLOGIES
    if unknown_tech:
        raise RuleError(f"{where}: unknown technologies {sorted(unknown_tech)}; known: "
                        f"{sorted(KNOWN_TECHNOLOGIES)}")
    try:
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
            matcher=_matcher(where, data.get("match", {})),
            examples=tuple(_examples(where, data.get("examples", ()))),
            in_dirs=in_dirs,
            technologies=technologies,
        )
    except (ValueError, TypeError, re.error) as exc:
        raise RuleError(f"{where}: {exc}") from exc


def _regexes(values: Any) -> tuple[re.Pattern[bytes], ...]:
    # Bytes patterns: rules judge raw bodies, and binary files must not be decoded.
    return tuple(re.compile(str(v).encode(), re.M) for v in values)


def _magic(value: str) -> Magic:
    offset, _, hexdata = value.rpartition(":")
    return Magic(int(offset or 0), bytes.fromhex(hexdata))


def _matcher(where: str, data: Mapping[str, Any]) -> Matcher:
    unknown = set(data) - _MATCH_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown match keys {sorted(unknown)}")
    matcher = Matcher(
        content_types=tuple(str(c).lower() for c in data.get("content_types", ())),
        not_content_types=tuple(str(c).lower() for c in data.get("not_content_types", ())),
        any=_regexes(data.get("any", ())),
        magic=tuple(_magic(str(m)) for m in data.get("magic", ())),
        json_keys=tuple(str(k) for k in data.get("json_keys", ())),
        all=_regexes(data.get("all", ())),
        none=_regexes(data.get("none", ())),
        min_bytes=int(data.get("min_bytes", 1)),
        extract=str(data["extract"]) if "extract" in data else None,
    )
    if not (matcher.any or matcher.magic or matcher.json_keys or matcher.all):
        raise RuleError(f"{where}: a rule needs content evidence (any/magic/json_keys/all); "
                        "a status code alone is never evidence")
    return matcher


def _examples(where: str, items: Any) -> Iterator[Example]:
    for i, item in enumerate(items):
        if "body" in item and "body_hex" in item:
            raise RuleError(f"{where}: example {i} has both body and body_hex")
        body = (bytes.fromhex(item["body_hex"]) if "body_hex" in item
                else str(item.get("body", "")).encode())
        yield Example(
            path=str(item["path"]),
            status=int(item.get("status", 200)),
            headers=tuple((str(k), str(v)) for k, v in item.get("headers", {}).items()),
            body=body,
            expect=bool(item["expect"]),
        )
