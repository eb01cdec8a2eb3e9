"""Secret patterns as data: ``rules/<name>.toml`` defines ``secrets.<name>``.

Format (``rule.schema.json`` validates every file; errors name file and line)::

    title, severity, cwe = [..], description, remediation, references = [..]
    pattern = '<regex>'        # the secret is the group named "secret", else group 0
    [keywords = [..]]          # cheap prefilter: skip texts containing none of them
    [min_entropy = 3.0]        # Shannon bits per character of the secret
    [validate = "jwt"]         # a named structural validator (see VALIDATORS)
    [[examples]] text = "...", expect = true|false

Every candidate also passes the placeholder filter (``example``, ``xxxx``,
``your_...``, template syntax...), because documentation snippets and
``.env.example`` values are not leaks.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from egov_audit.datafiles import TomlDocument, load_schema, load_toml, validate
from egov_audit.errors import InputError
from egov_audit.model import Severity

# Lower-cased fragments that mark a value as a placeholder, not a credential.
PLACEHOLDERS = (
    "example", "xxxx", "your_", "your-", "yourkey", "placeholder", "changeme", "change_me",
    "dummy", "sample", "<", ">", "${", "{{", "%s", "process.env", "undefined", "null",
    "redacted", "****", "insert", "todo", "replace", "fake", "secret_here", "key_here",
    "lorem", "abcdefghij", "1234567890",
)
# Whole values that are words, not credentials.
PLACEHOLDER_VALUES = frozenset({
    "password", "passwd", "pass", "secret", "pwd", "root", "user", "admin", "changeme",
    "username", "token", "apikey", "api_key", "key", "value", "string", "empty",
})


@dataclass(frozen=True)
class SecretRule:
    name: str
    title: str
    severity: Severity
    cwe: tuple[int, ...]
    description: str
    remediation: str
    references: tuple[str, ...]
    pattern: re.Pattern[str]
    keywords: tuple[str, ...]
    min_entropy: float
    validate: str | None
    examples: tuple[tuple[str, bool], ...]

    @property
    def id(self) -> str:
        return f"secrets.{self.name}"


def entropy(value: str) -> float:
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _b64json(part: str) -> Any:
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def _jwt(value: str) -> bool:
    """A JWT whose header decodes to JSON naming an algorithm."""
    try:
        header = _b64json(value.split(".", 1)[0])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and "alg" in header


VALIDATORS: Mapping[str, Callable[[str], bool]] = {"jwt": _jwt}

# Claims that help triage a JWT (a public "anon" key versus a service token)
# without copying identifiers of a person into the report.
_JWT_CLAIMS = ("alg", "typ", "role", "iss", "aud", "exp", "iat", "scope")


def jwt_summary(value: str) -> dict[str, Any]:
    parts = value.split(".")
    out: dict[str, Any] = {}
    for part in parts[:2]:
        try:
            data = _b64json(part)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            continue
        if isinstance(data, dict):
            out.update({k: data[k] for k in _JWT_CLAIMS if k in data and
                        isinstance(data[k], str | int | float | list)})
    return out


def plausible(rule: SecretRule, value: str) -> bool:
    """Not a placeholder, random enough, structurally valid."""
    low = value.lower()
    if low in PLACEHOLDER_VALUES or any(p in low for p in PLACEHOLDERS) or len(set(value)) < 5:
        return False
    if entropy(value) < rule.min_entropy:
        return False
    return rule.validate is None or VALIDATORS[rule.validate](value)


def find(rule: SecretRule, text: str) -> list[re.Match[str]]:
    if rule.keywords and not any(k in text for k in rule.keywords):
        return []
    found = []
    for m in rule.pattern.finditer(text):
        if plausible(rule, secret_of(m)):
            found.append(m)
    return found


def secret_of(m: re.Match[str]) -> str:
    return m.group("secret") if "secret" in m.re.groupindex else m.group(0)


def parse(name: str, document: TomlDocument) -> SecretRule:
    """One rule file, validated against ``rule.schema.json``; every error is an
    InputError naming the file and line, as for policy packs."""
    validate(document, _schema(), what=f"secret rule {name}",
             expected="a secret rule as described in checks/secrets/_patterns.py")
    data, lines = document.data, document.lines

    def fail(message: str, *path: str) -> InputError:
        return InputError(f"secret rule {name}: {message}", source=document.source,
                          line=lines.line(*path), expected="a valid rule")

    if data.get("validate") not in (None, *VALIDATORS):
        raise fail(f"unknown validator {data['validate']!r} (known: {', '.join(VALIDATORS)})",
                   "validate")
    try:
        pattern = re.compile(str(data["pattern"]), re.M)
    except re.error as exc:
        raise fail(f"the pattern is not a valid regular expression: {exc}", "pattern") from None
    return SecretRule(
        name=name,
        title=str(data["title"]),
        severity=Severity.parse(str(data["severity"])),
        cwe=tuple(int(c) for c in data["cwe"]),
        description=" ".join(str(data["description"]).split()),
        remediation=str(data["remediation"]).strip(),
        references=tuple(str(r) for r in data["references"]),
        pattern=pattern,
        keywords=tuple(str(k) for k in data.get("keywords", ())),
        min_entropy=float(data.get("min_entropy", 3.0)),
        validate=data.get("validate"),
        examples=tuple((str(e["text"]), bool(e["expect"])) for e in data.get("examples", ())),
    )


def _package() -> Traversable:
    return resources.files(__name__.rsplit(".", 1)[0])


@cache
def _schema() -> dict[str, Any]:
    return load_schema(_package() / "rule.schema.json")


def load(folder: Traversable | None = None) -> tuple[SecretRule, ...]:
    """Every rule in ``folder`` (the built-in ``rules/`` by default), by file name."""
    folder = folder or _package() / "rules"
    return tuple(parse(entry.name.removesuffix(".toml"), load_toml(entry, "secret rule"))
                 for entry in sorted(folder.iterdir(), key=lambda e: e.name)
                 if entry.name.endswith(".toml"))
