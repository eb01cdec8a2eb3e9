"""Signed results for auditors (issue 9).

Contract with the CLI:

    sign_outputs(result_path, files, key_path) -> Path   # writes the signature file
    verify_outputs(result_path, pubkey_path, signature_path=None) -> Verification

The signature file (``signature.json``, next to the result) is a JSON
manifest: the SHA-256 of the result's canonical JSON (RFC 8785, so that
re-indenting or re-ordering keys does not matter while any change of content
does), the SHA-256 and size of every rendered file, the public key's
fingerprint, when it was signed and the facts needed to reproduce the run.
The Ed25519 signature covers the RFC 8785 form of the whole manifest
(every field except ``signature`` itself). The format is described in
docs/signing.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature

from ..errors import InputError
from ..json_fields import object_or_empty
from ..result_io import DuplicateKeyError, parse_json
from ..safe_write import write_atomic
from .keys import fingerprint, load_private_key, load_public_key
from .provenance import environment, reproducibility

FORMAT = "egov-audit-signature/1"
SIGNATURE_NAME = "signature.json"


class _Unreadable(Exception):
    """The result exists but is not JSON that canonicalises: its content was altered."""


def canonical(data: Any) -> bytes:
    """RFC 8785 (JSON Canonicalization Scheme) bytes of parsed JSON."""
    import rfc8785

    try:
        return bytes(rfc8785.dumps(data))
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise _Unreadable(str(exc)) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("result file not found", source=path) from None
    except OSError as exc:
        raise InputError(f"cannot read result: {exc.strerror}", source=path) from None


def _parse(raw: bytes) -> Any:
    try:
        return parse_json(raw.decode("utf-8"))
    except DuplicateKeyError as exc:
        # Readers disagree on which of two values counts: a forged result can
        # hide a `"findings": []` in front of the real list.
        raise _Unreadable(f"it repeats the key {exc.key!r} in one object") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Unreadable(f"not valid JSON: {exc}") from None


def _read_result(path: Path) -> tuple[Any, bytes]:
    """The parsed result and its raw bytes; InputError when the file cannot be read."""
    raw = _read_bytes(path)
    return _parse(raw), raw


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _rel(path: Path, base: Path) -> str:
    return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()


def _file_entry(path: Path, base: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read a file to sign: {exc.strerror}", source=path) from None
    return {"path": _rel(path, base), "sha256": _sha256(data), "size": len(data)}


def sign_outputs(result_path: Path, files: list[Path], key_path: Path) -> Path:
    """Sign ``result_path`` and ``files``; write and return ``signature.json`` beside the result."""
    key = load_private_key(key_path)
    base = result_path.parent
    try:
        result, raw = _read_result(result_path)
        result_digest = _sha256(canonical(result))
    except _Unreadable as exc:
        raise InputError(f"cannot sign a result that is not valid JSON: {exc}",
                         source=result_path) from None
    signature_path = base / SIGNATURE_NAME
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "algorithm": "Ed25519",
        "canonicalization": "RFC 8785",
        "key": {"fingerprint": fingerprint(key.public_key())},
        "signed_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "result": {"path": _rel(result_path, base), "sha256": result_digest,
                   "file_sha256": _sha256(raw), "size": len(raw)},
        "files": sorted(
            (_file_entry(p, base) for p in dict.fromkeys(files)
             if p.resolve() not in (result_path.resolve(), signature_path.resolve())),
            key=lambda e: str(e["path"]),
        ),
        "reproducibility": reproducibility(result) if isinstance(result, Mapping) else {},
        "signer_environment": environment(),
    }
    manifest["signature"] = base64.b64encode(key.sign(canonical(manifest))).decode("ascii")
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    return write_atomic(signature_path, text.encode("utf-8"))


@dataclass
class Verification:
    """What ``verify`` found: ``problems`` empty means every signed artifact is intact."""

    signature_path: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fingerprint: str | None = None
    signed_at: str | None = None
    files_checked: int = 0
    # Files beside the signed ones that the manifest does not cover (relative
    # paths): not evidence that a signed file changed, but nothing vouches for them.
    unsigned: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _load_manifest(path: Path) -> tuple[Mapping[str, Any] | None, str | None]:
    """The manifest, or None and why it is not one (a tampered file reads as a problem)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError("signature file not found", source=path,
                         expected="the signature.json written by --sign-key") from None
    except OSError as exc:
        raise InputError(f"cannot read the signature: {exc.strerror}", source=path) from None
    except UnicodeDecodeError:
        return None, f"the signature {path.name} was altered: it is not UTF-8 text"
    try:
        data = parse_json(text)
    except DuplicateKeyError as exc:
        return None, (f"the signature {path.name} was altered: it repeats the key "
                      f"{exc.key!r} in one object")
    except json.JSONDecodeError:
        return None, f"the signature {path.name} was altered: it is not valid JSON"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None, f"the signature {path.name} is not an {FORMAT} manifest"
    return data, None


def verify_outputs(result_path: Path, pubkey_path: Path,
                   signature_path: Path | None = None) -> Verification:
    """Check the signature, then the result, then every signed file; name what was altered.

    Raises InputError for what is not evidence of tampering but of bad input:
    an unreadable key, a missing result or signature file.
    """
    public_key = load_public_key(pubkey_path)
    signature_path = signature_path or result_path.parent / SIGNATURE_NAME
    report = Verification(signature_path, fingerprint=fingerprint(public_key))
    manifest, problem = _load_manifest(signature_path)
    if manifest is None:
        report.problems.append(str(problem))
        return report
    report.signed_at = str(manifest.get("signed_at"))
    if not _signature_valid(manifest, public_key, report):
        return report
    base = signature_path.parent
    _check_result(result_path, object_or_empty(manifest.get("result")), report)
    files = manifest.get("files")
    entries = files if isinstance(files, list) else [None]
    for entry in entries:
        _check_file(entry, base, report)
    signed = [base / e["path"] for e in entries
              if isinstance(e, Mapping) and isinstance(e.get("path"), str)]
    report.unsigned = unsigned_files(base, [result_path, signature_path, *signed])
    return report


def _entry_key(path: Path) -> Path:
    """The directory entry ``path`` names: its directory resolved, its own name not
    (a link called report.html is a file of its own, whatever it points to)."""
    return path.parent.resolve() / path.name


def unsigned_files(base: Path, covered: list[Path]) -> list[str]:
    """Files in ``base`` (and in the folders of signed files) the manifest does not list.

    Not recursive beyond those folders: the output directory may sit among
    unrelated trees, and walking them would be slow and beside the point.
    """
    known = {_entry_key(p) for p in covered}
    root = base.resolve()
    folders = {root, *(k.parent for k in known if root in k.parent.parents)}
    found: list[str] = []
    for folder in sorted(folders):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                continue
            key = folder / entry.name
            if key not in known:
                found.append(Path(os.path.relpath(key, root)).as_posix())
    return sorted(found)


def _check_result(path: Path, signed: Mapping[str, Any], report: Verification) -> None:
    raw = _read_bytes(path)
    if _sha256(raw) == signed.get("file_sha256"):
        # The signed manifest vouches for these exact bytes: the canonical form
        # is then the signed one too, and canonicalising a large result is slow.
        return
    try:
        result = _parse(raw)
        digest = _sha256(canonical(result))
    except _Unreadable as exc:
        report.problems.append(f"the result {path.name} was altered ({exc})")
        return
    if digest != signed.get("sha256"):
        report.problems.append(f"the result {path.name} was altered: its content "
                               "differs from what was signed")
    else:
        report.notes.append(f"{path.name} was re-formatted since signing; its "
                            "content (RFC 8785 canonical form) is unchanged")


def _signature_valid(manifest: Mapping[str, Any], public_key: Any,
                     report: Verification) -> bool:
    name = report.signature_path.name
    key = object_or_empty(manifest.get("key"))
    signed_by = key.get("fingerprint")
    try:
        signature = base64.b64decode(str(manifest.get("signature", "")), validate=True)
        body = canonical({k: v for k, v in manifest.items() if k != "signature"})
        public_key.verify(signature, body)
        return True
    except (InvalidSignature, binascii.Error, _Unreadable, ValueError):
        pass
    if signed_by != report.fingerprint:
        report.problems.append(
            f"the signature {name} was not made with the given public key "
            f"(it names key {signed_by}; the given key is {report.fingerprint})")
    else:
        report.problems.append(f"the signature {name} was altered: its Ed25519 signature does "
                               "not match its manifest")
    return False


def _check_file(entry: Any, base: Path, report: Verification) -> None:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("path"), str):
        report.problems.append("the signature lists a malformed file entry")
        return
    path = base / entry["path"]
    report.files_checked += 1
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        report.problems.append(f"the rendered file {entry['path']} is missing")
        return
    except OSError as exc:
        report.problems.append(f"the rendered file {entry['path']} cannot be read: "
                               f"{exc.strerror}")
        return
    if _sha256(data) != entry.get("sha256"):
        report.problems.append(f"the rendered file {entry['path']} was altered")
