"""A run's signed artifacts on disk, and the verification badge shown beside them.

``egov-audit run`` writes each run's reports to ``<reports>/<started>-<id8>/``
(:func:`egov_audit.cli.run_cmd.run_directory`), signs them into
``signature.json``, and stores the signed result's digest in the history.
Only files the signature lists (plus the result and the signature itself) are
offered: nothing else in that directory is ever served.

The badge, from strongest to weakest:

* ``verified`` — the signature checks against the configured public key, every
  listed file is intact, and it signs the result the history stored;
* ``altered`` — any of that fails (the problems are listed);
* ``signed`` — a signature exists, but no public key was configured to check it;
* ``unsigned`` / ``missing`` — no signature, or no report directory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..result_io import parse_json
from ..signing import SIGNATURE_NAME, canonical, verify_outputs

RESULT_NAME = "result.json"


@dataclass(frozen=True)
class Artifacts:
    badge: str  # verified | altered | signed | unsigned | missing
    directory: Path | None
    files: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    fingerprint: str | None = None
    signed_at: str | None = None
    store_matches: bool | None = None  # the stored result is the one that was signed
    notes: tuple[str, ...] = field(default_factory=tuple)


def run_directory(reports: Path, run_id: str, started_at: str) -> Path:
    # The same name egov-audit run gives it (kept in step by a test).
    stamp = "".join(ch for ch in started_at if ch.isalnum())
    return reports / f"{stamp}-{run_id[:8]}"


def _listed(directory: Path) -> tuple[str, ...]:
    """result.json, signature.json and the files the signature lists, that exist
    as regular files directly in the run directory."""
    names = [RESULT_NAME, SIGNATURE_NAME]
    try:
        manifest = json.loads((directory / SIGNATURE_NAME).read_text(encoding="utf-8"))
        entries = manifest.get("files", []) if isinstance(manifest, dict) else []
        names += [e["path"] for e in entries
                  if isinstance(e, dict) and isinstance(e.get("path"), str)]
    except (OSError, ValueError):
        pass
    safe = []
    for name in dict.fromkeys(names):
        path = directory / name
        if "/" in name or "\\" in name or name.startswith("."):
            continue  # only files directly in the directory
        if path.is_file() and not path.is_symlink():
            safe.append(name)
    return tuple(safe)


def store_matches(result_json: str, signed_sha256: str | None) -> bool | None:
    """Whether the stored result is the signed one (RFC 8785 digest), None if unsigned."""
    if not signed_sha256:
        return None
    import hashlib

    try:
        digest = hashlib.sha256(canonical(parse_json(result_json))).hexdigest()
    except Exception:  # an unreadable stored document is simply not the signed one
        return False
    return digest == signed_sha256


def inspect(reports: Path | None, pubkey: Path | None, run_id: str, started_at: str,
            signed_sha256: str | None) -> Artifacts:
    if reports is None:
        return Artifacts("missing", None)
    directory = run_directory(reports, run_id, started_at)
    if not directory.is_dir():
        return Artifacts("missing", directory)
    files = _listed(directory)
    if SIGNATURE_NAME not in files:
        return Artifacts("unsigned", directory, files)
    if pubkey is None or RESULT_NAME not in files:
        return Artifacts("signed", directory, files)
    check = verify_outputs(directory / RESULT_NAME, pubkey)
    problems = list(check.problems)
    if check.intact and signed_sha256:
        manifest = parse_json((directory / SIGNATURE_NAME).read_text(encoding="utf-8"))
        if manifest.get("result", {}).get("sha256") != signed_sha256:
            problems.append("the signed result is not the run the history stored")
    return Artifacts("altered" if problems else "verified", directory, files,
                     tuple(problems), check.fingerprint, check.signed_at,
                     notes=tuple(check.notes))
