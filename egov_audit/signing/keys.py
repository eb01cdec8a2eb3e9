"""Ed25519 signing keys: generation, loading, fingerprints.

Private keys are PKCS#8 PEM, created with mode 0600 in one step and atomically
(an existing key or a link at the name is never overwritten, and the key is
never briefly world-readable or half-written);
public keys are SubjectPublicKeyInfo PEM, the form ``openssl pkey -pubout``
writes. A passphrase-protected private key is unlocked with the passphrase in
the environment variable ``EGOV_AUDIT_KEY_PASSPHRASE``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import InputError
from ..safe_write import PRIVATE, PUBLIC, write_new

PASSPHRASE_ENV = "EGOV_AUDIT_KEY_PASSPHRASE"


def fingerprint(key: Ed25519PublicKey) -> str:
    """``sha256:`` + hex SHA-256 of the 32 raw public-key bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def generate_keypair(prefix: Path, passphrase: bytes | None = None) -> tuple[Path, Path]:
    """Write ``PREFIX.key`` (private, 0600) and ``PREFIX.pub``; refuse to overwrite either."""
    private_path = prefix.with_name(prefix.name + ".key")
    public_path = prefix.with_name(prefix.name + ".pub")
    for path in (private_path, public_path):
        if path.exists():
            raise InputError("refusing to overwrite an existing key file", source=path,
                             expected="a new --out prefix")
    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase
        else serialization.NoEncryption()
    )
    private_pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8, encryption)
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    # 0600 from the first byte (umask can only remove bits), written whole or not at
    # all, and never through a link planted at the name: see safe_write.write_new.
    try:
        write_new(private_path, private_pem, mode=PRIVATE)
    except InputError as exc:
        raise InputError(f"{_key_message(exc)} (private key)", source=private_path) from None
    try:
        write_new(public_path, public_pem, mode=PUBLIC)
    except InputError as exc:
        raise InputError(f"{_key_message(exc)} (public key)", source=public_path) from None
    return private_path, public_path


def _key_message(exc: InputError) -> str:
    if exc.message.startswith("refusing"):
        return "refusing to overwrite an existing key file"
    return exc.message


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} not found", source=path) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", source=path) from None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    data = _read(path, "private key")
    secret = os.environ.get(PASSPHRASE_ENV)
    try:
        key = serialization.load_pem_private_key(
            data, password=secret.encode() if secret else None)
    except TypeError:
        raise InputError(f"the private key is encrypted; put its passphrase in {PASSPHRASE_ENV}",
                         source=path) from None
    except (ValueError, UnsupportedAlgorithm):
        raise InputError("not a readable PEM private key (or wrong passphrase)", source=path,
                         expected="an Ed25519 key written by 'egov-audit keygen'") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError("not an Ed25519 private key", source=path,
                         expected="an Ed25519 key written by 'egov-audit keygen'")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    data = _read(path, "public key")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise InputError("not a readable PEM public key", source=path,
                         expected="the .pub file written by 'egov-audit keygen'") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError("not an Ed25519 public key", source=path,
                         expected="the .pub file written by 'egov-audit keygen'")
    return key
