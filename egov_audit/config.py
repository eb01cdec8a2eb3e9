"""The audit configuration file (TOML): scan options, scope and the service inventory.

Example::

    [scan]
    rate = 2            # requests per second per host
    fail_on = "high"

    [scope]             # widens the targets' own host:port endpoints
    hosts = ["sso.pemkot.example.go.id", "api.pemkot.example.go.id:8443"]

    [[services]]
    name = "Perizinan Online"
    opd = "DPMPTSP"
    criticality = "high"              # low | medium | high | vital
    data_classification = "personal"  # public | internal | personal | specific
    exposure = "internet"             # internet | internal
    targets = ["https://perizinan.pemkot.example.go.id/"]

Every error names the file, the line and what was expected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .datafiles import TomlLines, parse_toml
from .errors import InputError
from .model import Service, Severity, Target
from .scope import split_entry
from .targets import parse_target

CRITICALITY = ("low", "medium", "high", "vital")
CLASSIFICATION = ("public", "internal", "personal", "specific")
EXPOSURE = ("internet", "internal")

_SCAN_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "timeout": ((int, float), "a number of seconds"),
    "rate": ((int, float), "requests per second per host, a positive number"),
    "connections": (int, "a whole number of connections per host"),
    "workers": (int, "a whole number of parallel targets"),
    "request_budget": (int, "a whole number of HTTP requests per host for the run, 0 for none"),
    "max_body_bytes": (int, "a whole number of bytes"),
    "max_redirects": (int, "a whole number of hops"),
    "deadline": ((int, float), "a number of seconds"),
    "target_deadline": ((int, float), "a number of seconds"),
    "request_deadline": ((int, float), "a number of seconds"),
    "handshake_rate": ((int, float), "new TLS connections per second per host, 0 for no pacing"),
    "user_agent": (str, "a string"),
    "ca_bundle": (str, "a path to a PEM file"),
    "checks": (list, "a list of check id patterns"),
    "skip": (list, "a list of check id patterns"),
    "fail_on": (str, "one of critical, high, medium, low, info, none"),
}


# Sections read by the stages after the scan, each validating its own keys.
LATER_SECTIONS = ("sla", "policy", "history", "gates", "suppressions", "notifications",
                  "executor")

@dataclass(frozen=True)
class AuditConfig:
    path: str | None = None
    sha256: str | None = None
    scan: Mapping[str, Any] = field(default_factory=dict)
    scope_hosts: tuple[str, ...] = ()
    include_subdomains: bool = False
    salt: str | None = None
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    targets: tuple[Target, ...] = ()  # from [[services]]
    sections: Mapping[str, Any] = field(default_factory=dict)  # "sla", "policy"

    def service_for(self, host: str) -> Service | None:
        """The inventory entry whose targets share ``host``, for command-line targets."""
        for target in self.targets:
            if target.host == host.lower():
                return target.service
        return None


def load_config(path: str | Path) -> AuditConfig:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError("configuration file not found", source=p) from None
    except OSError as exc:
        raise InputError(f"cannot read configuration: {exc}", source=p) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("configuration is not UTF-8 text", source=p) from None
    document = parse_toml(text, str(p))
    data, lines = document.data, document.lines

    def err(message: str, expected: str, *path: str | int) -> InputError:
        return InputError(message, source=p, line=lines.line(*path), expected=expected)

    # LATER_SECTIONS belong to later stages (prioritisation, policy packs,
    # history, gates, suppressions, notifications), which validate their own.
    allowed = {"scan", "scope", "redaction", "settings", "services", *LATER_SECTIONS}
    for key in data:
        if key not in allowed:
            raise err(f"unknown section {key!r}", "one of " + ", ".join(sorted(allowed)), key)

    scan = _table(data, "scan", err)
    for key, raw_value in scan.items():
        value: Any = raw_value
        if key not in _SCAN_KEYS:
            raise err(f"unknown option scan.{key}", "one of " + ", ".join(_SCAN_KEYS), "scan", key)
        kind, expected = _SCAN_KEYS[key]
        if not _is_instance(value, kind) or isinstance(value, bool):
            raise err(f"scan.{key} has the wrong type", expected, "scan", key)
        if key in ("checks", "skip") and not all(isinstance(v, str) for v in value):
            raise err(f"scan.{key} must contain strings", expected, "scan", key)
        if key in ("timeout", "rate", "deadline", "target_deadline", "request_deadline",
                   "connections", "workers") and value <= 0:
            raise err(f"scan.{key} must be positive", expected, "scan", key)
        if key == "request_budget" and value < 0:
            raise err("scan.request_budget cannot be negative", expected, "scan", key)
    scan_options: dict[str, Any] = dict(scan)
    for key in ("checks", "skip"):
        if key in scan_options:
            scan_options[key] = tuple(scan_options[key])
    if "fail_on" in scan_options:
        value = scan_options["fail_on"].lower()
        try:
            scan_options["fail_on"] = None if value == "none" else Severity.parse(value)
        except ValueError:
            raise err("scan.fail_on is not a severity", _SCAN_KEYS["fail_on"][1], "scan",
                      "fail_on") from None
    if "ca_bundle" in scan_options:
        # Relative to the configuration file, not to wherever the run starts.
        scan_options["ca_bundle"] = str((p.parent / scan_options["ca_bundle"]).resolve())

    scope = _table(data, "scope", err)
    hosts = scope.get("hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise err("scope.hosts must be a list of host names", "a list of strings", "scope",
                  "hosts")
    for entry in hosts:
        try:
            split_entry(entry)
        except ValueError:
            raise err(f"scope.hosts entry {entry!r} has an invalid port",
                      '"host" (any port) or "host:port"', "scope", "hosts") from None
    include = scope.get("include_subdomains", False)
    if not isinstance(include, bool):
        raise err("scope.include_subdomains must be true or false", "a boolean", "scope",
                  "include_subdomains")

    redaction = _table(data, "redaction", err)
    salt = redaction.get("salt")
    if salt is not None and (not isinstance(salt, str) or len(salt) < 16):
        raise err("redaction.salt is too short", "a string of at least 16 characters",
                  "redaction", "salt")

    settings = _table(data, "settings", err)
    for name, value in settings.items():
        if not isinstance(value, dict):
            raise err(f"settings.{name} must be a table", "[settings.FAMILY] or "
                      "[settings.\"family.check\"]", "settings", name)

    targets = _services(data.get("services", []), p, err, lines)
    return AuditConfig(
        path=str(p),
        sha256=hashlib.sha256(raw).hexdigest(),
        scan=scan_options,
        scope_hosts=tuple(hosts),
        include_subdomains=include,
        salt=salt,
        settings=settings,
        targets=tuple(targets),
        sections={k: data[k] for k in LATER_SECTIONS if k in data},
    )


def _is_instance(value: Any, kind: type | tuple[type, ...]) -> bool:
    # A function boundary keeps mypy from narrowing `value` to `object`.
    return isinstance(value, kind)


def _table(data: Mapping[str, Any], name: str, err: Any) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise err(f"{name} must be a table", f"[{name}]", name)
    return value


def _services(raw: Any, p: Path, err: Any, lines: TomlLines) -> list[Target]:
    if not isinstance(raw, list):
        raise err("services must be an array of tables", "[[services]] entries", "services")
    targets: list[Target] = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise err("each service must be a table", "[[services]]", "services", i)

        def choice(key: str, options: tuple[str, ...], default: str, i: int = i,
                   entry: dict[str, Any] = entry) -> str:
            value = entry.get(key, default)
            if value not in options:
                raise err(f"services[{i}].{key} is {value!r}", "one of " + ", ".join(options),
                          "services", i, key)
            return str(value)

        known = {"name", "opd", "criticality", "data_classification", "exposure", "targets"}
        for key in entry:
            if key not in known:
                raise err(f"unknown key services[{i}].{key}", "one of " + ", ".join(sorted(known)),
                          "services", i, key)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise err(f"services[{i}] has no name", "name = \"...\"", "services", i)
        opd = entry.get("opd")
        if opd is not None and not isinstance(opd, str):
            raise err(f"services[{i}].opd must be a string", "a string", "services", i, "opd")
        service = Service(
            name=name,
            opd=opd,
            criticality=choice("criticality", CRITICALITY, "medium"),
            data_classification=choice("data_classification", CLASSIFICATION, "internal"),
            exposure=choice("exposure", EXPOSURE, "internet"),
        )
        specs = entry.get("targets", [])
        if not isinstance(specs, list) or not specs or not all(isinstance(s, str) for s in specs):
            raise err(f"services[{i}].targets must list at least one target",
                      "a list of URLs or host names", "services", i, "targets")
        line = lines.line("services", i, "targets")
        for spec in specs:
            targets.append(parse_target(spec, service, source=str(p), line=line))
    return targets


@contextmanager
def later_section_errors(config_path: str | Path | None) -> Iterator[None]:
    """Give a later stage's configuration error the file and the line.

    The stages after the scan (SLA, gates, suppressions, history, executor,
    notifications) validate their own sections from the parsed data, which has
    no line numbers; their errors name the key (``InputError.key``), and this
    turns it into the configuration file and the line of that key (or of its
    section). An error about a command-line value, whose section the file does
    not have, is left as it is."""
    try:
        yield
    except InputError as exc:
        if not config_path or exc.line is not None or not exc.key:
            raise
        try:
            document = parse_toml(Path(config_path).read_text("utf-8"), str(config_path))
        except (OSError, UnicodeDecodeError, InputError):
            raise exc from None
        if exc.key[0] not in document.data:
            raise
        section = f"{exc.source} " if str(exc.source).startswith("[") else ""
        raise InputError(section + exc.message, source=config_path,
                         line=document.lines.line(*exc.key), expected=exc.expected,
                         key=exc.key) from None
