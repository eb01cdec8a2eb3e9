"""What an auditor needs to reproduce a run, gathered for the signature manifest.

The result already records the tool version, the run's options (with the
configuration's SHA-256 and the scope), the check catalogue with its content
hash and, from the policy stage, the policy packs. This module lifts those
into one small, signed summary and adds what the result lacks: the
environment of the machine that signed (Python, OpenSSL and the versions of
the libraries whose behaviour shapes TLS and HTTP results).
"""

from __future__ import annotations

import hashlib
import platform
import ssl
import sys
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from ..json_fields import list_or_empty, object_or_empty

# Libraries whose version can change what a scan observes or how a result is signed.
_PACKAGES = ("egov-audit", "sslyze", "nassl", "cryptography", "requests", "urllib3",
             "certifi", "python-nmap", "jsonschema", "rfc8785")


def environment() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(terse=True),
        "openssl": ssl.OPENSSL_VERSION,
        "packages": versions,
    }


def _policy_packs(compliance: Any) -> list[dict[str, Any]]:
    """Pack ids and versions from the compliance extension, whatever its exact shape."""
    packs: list[dict[str, Any]] = []
    if isinstance(compliance, Mapping):
        listed = compliance.get("packs")
        if isinstance(listed, list):
            entries = [p for p in listed if isinstance(p, Mapping)]
        elif isinstance(listed, Mapping):
            entries = [{"id": k, **v} for k, v in listed.items() if isinstance(v, Mapping)]
        else:
            entries = [{"id": k, **v} for k, v in compliance.items() if isinstance(v, Mapping)]
        for entry in entries:
            keep = {k: entry[k] for k in ("id", "version", "title", "sha256") if k in entry}
            if "id" in keep:
                packs.append(keep)
    return sorted(packs, key=lambda p: str(p["id"]))


def _file_sha256(path: Any) -> str | None:
    """The extra trust anchors change TLS verdicts: pin them when the file is still there."""
    if not isinstance(path, str) or not path:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def reproducibility(result: Mapping[str, Any]) -> dict[str, Any]:
    """The facts of ``result`` (a parsed result.json) that pin down how it was produced."""
    run = object_or_empty(result.get("run"))
    catalogue = object_or_empty(result.get("catalogue"))
    extensions = object_or_empty(result.get("extensions"))
    options = object_or_empty(run.get("options"))
    checks = list_or_empty(catalogue.get("checks"))
    targets = list_or_empty(result.get("targets"))
    plan = object_or_empty(extensions.get("plan"))
    return {
        "schema_version": result.get("schema_version"),
        "tool": result.get("tool"),
        "run_id": run.get("id"),
        "started_at": run.get("started_at"),
        "config_sha256": options.get("config_sha256"),
        "options": dict(options),
        "ca_bundle_sha256": _file_sha256(options.get("ca_bundle")),
        "catalogue_sha256": catalogue.get("sha256"),
        "checks": sorted(str(c.get("id")) for c in checks if isinstance(c, Mapping)),
        "targets": [t.get("target") for t in targets if isinstance(t, Mapping)],
        "policy_packs": _policy_packs(extensions.get("compliance")),
        "sla": plan.get("sla"),
    }
