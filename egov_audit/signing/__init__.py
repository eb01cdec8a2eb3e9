"""Signed, reproducible results for auditors.

- :mod:`.outputs` signs a result and the reports rendered from it, and
  verifies them (the signature file's format is in docs/signing.md);
- :mod:`.keys` creates and loads the Ed25519 key pairs;
- :mod:`.provenance` records what is needed to reproduce a run.

The public names below are the ones programs use; the modules are the
implementation.
"""

from __future__ import annotations

from .outputs import SIGNATURE_NAME, Verification, canonical, sign_outputs, verify_outputs

__all__ = ["SIGNATURE_NAME", "Verification", "canonical", "sign_outputs", "verify_outputs"]
