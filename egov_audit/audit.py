"""Assembling an audit from what the user gave: targets, configuration, flags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .config import AuditConfig, load_config
from .errors import InputError
from .model import Target
from .options import ScanOptions
from .redaction import Redactor, load_salt
from .registry import Catalogue, load_catalogue
from .runner import AuditRequest
from .scope import Scope
from .targets import expand_targets
from .trust import read_ca_bundle


def build_request(
    target_specs: Iterable[str],
    *,
    config_path: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    catalogue: Catalogue | None = None,
    targets: Iterable[Target] = (),
) -> AuditRequest:
    """``targets`` adds already-resolved targets (the demo's) to the parsed specs."""
    config = load_config(config_path) if config_path else AuditConfig()
    targets = [*_targets(target_specs, config), *targets]
    if not targets:
        raise InputError(
            "no targets to audit",
            expected="target URLs or host names, @file, or [[services]] in the configuration",
        )
    options = ScanOptions().with_overrides(config.scan).with_overrides(overrides or {})
    if config.settings:
        options = replace(options, settings=config.settings)
    if options.ca_bundle:
        read_ca_bundle(options.ca_bundle)  # fail early, naming the file
    catalogue = catalogue or load_catalogue()
    checks = catalogue.select(options.checks, options.skip)
    if not checks:
        raise InputError("the --checks/--skip selection leaves no check to run")
    # The targets' own endpoints (host and port), widened only by [scope].
    scope = Scope.for_targets(targets, config.scope_hosts, config.include_subdomains)
    return AuditRequest(
        targets=targets,
        checks=checks,
        catalogue=catalogue,
        options=options,
        redactor=Redactor(load_salt(config.salt)),
        scope=scope,
        config_sha256=config.sha256,
        config_path=config.path,
        config_sections=config.sections,
    )


def _targets(specs: Iterable[str], config: AuditConfig) -> list[Target]:
    """Command-line targets (inheriting their service from the inventory by host),
    then the inventory's own targets; each spec once."""
    found: dict[str, Target] = {}
    for target in expand_targets(specs):
        service = config.service_for(target.host)
        found.setdefault(target.spec, replace(target, service=service) if service else target)
    for target in config.targets:
        found.setdefault(target.spec, target)
    return list(found.values())
