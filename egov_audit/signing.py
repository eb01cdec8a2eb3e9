"""Signed results for auditors (issue 9).

Contract with the CLI:

    sign_outputs(result_path, files, key_path) -> Path   # writes the signature file

An Ed25519 signature over the canonical JSON (RFC 8785) of the result plus a
manifest of the SHA-256 of every rendered file.
"""

from __future__ import annotations

from pathlib import Path


def sign_outputs(result_path: Path, files: list[Path], key_path: Path) -> Path:
    raise NotImplementedError("signing lands with issue 9")
