"""Signing and verification: intact outputs pass; each kind of tampering is named."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from egov_audit.cli import main
from egov_audit.signing.keys import fingerprint, load_public_key

from .conftest import Signed, keygen, load


def verify(runner: CliRunner, signed: Signed, *extra: str, pubkey: Path | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(main, ["verify", str(signed.result), "--pubkey",
                                str(pubkey or signed.keys.public), *extra])


def test_intact_outputs_verify(signed: Signed, runner: CliRunner) -> None:
    result = verify(runner, signed)
    assert result.exit_code == 0, result.output
    assert "OK: result.json and 2 rendered file(s)" in result.output


def test_manifest_records_hashes_key_and_reproducibility(signed: Signed) -> None:
    manifest = load(signed.signature)
    assert manifest["format"] == "egov-audit-signature/1"
    assert manifest["algorithm"] == "Ed25519"
    assert manifest["key"]["fingerprint"] == fingerprint(load_public_key(signed.keys.public))
    assert [f["path"] for f in manifest["files"]] == ["findings.csv", "report.md"]
    assert len(base64.b64decode(manifest["signature"])) == 64
    repro = manifest["reproducibility"]
    assert repro["tool"] == {"name": "egov-audit", "version": "0.1.0"}
    assert repro["catalogue_sha256"] == "0" * 64
    assert repro["targets"] == ["https://portal.example.go.id/"]
    assert repro["sla"]["high"] == 14
    assert manifest["signer_environment"]["packages"]["cryptography"]


def test_altered_result_is_named(signed: Signed, runner: CliRunner) -> None:
    # Given a result whose finding was quietly downgraded
    data = json.loads(signed.result.read_text())
    data["findings"][0]["severity"] = "info"
    signed.result.write_text(json.dumps(data, indent=2))
    # When verified
    result = verify(runner, signed)
    # Then verification fails naming the result
    assert result.exit_code == 1
    assert "the result result.json was altered" in result.output


def test_result_that_is_no_longer_json_is_altered(signed: Signed, runner: CliRunner) -> None:
    signed.result.write_text(signed.result.read_text()[:-40])
    result = verify(runner, signed)
    assert result.exit_code == 1
    assert "result.json was altered" in result.output


def test_reformatted_result_still_verifies(signed: Signed, runner: CliRunner) -> None:
    # RFC 8785: whitespace and key order are not content
    data = json.loads(signed.result.read_text())
    signed.result.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")))
    result = verify(runner, signed)
    assert result.exit_code == 0, result.output
    assert "re-formatted since signing" in result.output


def test_altered_rendered_file_is_named(signed: Signed, runner: CliRunner) -> None:
    markdown = signed.rendered[0]
    markdown.write_text(markdown.read_text().replace("1 temuan", "0 temuan"))
    result = verify(runner, signed)
    assert result.exit_code == 1
    assert "the rendered file report.md was altered" in result.output
    assert "findings.csv" not in result.output
    assert "result.json" not in result.output.replace("OK: result.json", "")


def test_missing_rendered_file_is_named(signed: Signed, runner: CliRunner) -> None:
    signed.rendered[1].unlink()
    result = verify(runner, signed)
    assert result.exit_code == 1
    assert "the rendered file findings.csv is missing" in result.output


def test_altered_signature_manifest_is_named(signed: Signed, runner: CliRunner) -> None:
    # Given a manifest edited to bless a changed report (hash swapped, signature kept)
    markdown = signed.rendered[0]
    markdown.write_text("# forged\n")
    manifest = load(signed.signature)
    import hashlib

    manifest["files"][1]["sha256"] = hashlib.sha256(markdown.read_bytes()).hexdigest()
    signed.signature.write_text(json.dumps(manifest, indent=2))
    # Then the signature no longer matches its manifest
    result = verify(runner, signed)
    assert result.exit_code == 1
    assert "the signature signature.json was altered" in result.output


@pytest.mark.parametrize("damage", ["truncate", "bad_base64", "drop_signature"])
def test_damaged_signature_file_fails(signed: Signed, runner: CliRunner, damage: str) -> None:
    if damage == "truncate":
        signed.signature.write_text(signed.signature.read_text()[:100])
    else:
        manifest = load(signed.signature)
        if damage == "bad_base64":
            manifest["signature"] = "not base64!"
        else:
            del manifest["signature"]
        signed.signature.write_text(json.dumps(manifest))
    result = verify(runner, signed)
    assert result.exit_code == 1
    assert "signature.json" in result.output


def test_wrong_public_key_is_named(signed: Signed, runner: CliRunner, tmp_path: Path) -> None:
    # Given someone else's key pair
    other = keygen(runner, tmp_path / "other")
    # When verifying with the other public key
    result = verify(runner, signed, pubkey=other.public)
    # Then it fails and names both fingerprints
    assert result.exit_code == 1
    assert "not made with the given public key" in result.output
    assert fingerprint(load_public_key(other.public)) in result.output


def test_resigned_with_another_key_fails_against_the_auditors_key(
    signed: Signed, runner: CliRunner, tmp_path: Path
) -> None:
    # Given a forger who alters the result and re-signs everything with their own key
    from egov_audit.signing import sign_outputs

    forger = keygen(runner, tmp_path / "forger")
    signed.result.write_text(signed.result.read_text().replace('"severity": "medium"',
                                                               '"severity": "low"'))
    sign_outputs(signed.result, signed.rendered, forger.private)
    # Then verification against the auditor's public key still fails
    result = verify(runner, signed)
    assert result.exit_code == 1
    assert "not made with the given public key" in result.output


@pytest.mark.parametrize("what", ["pubkey_missing", "pubkey_garbage", "pubkey_rsa",
                                  "signature_missing", "result_missing"])
def test_bad_input_exits_2(signed: Signed, runner: CliRunner, tmp_path: Path,
                           what: str) -> None:
    args = ["verify", str(signed.result), "--pubkey", str(signed.keys.public)]
    if what == "pubkey_missing":
        args[3] = str(tmp_path / "nope.pub")
    elif what == "pubkey_garbage":
        (tmp_path / "g.pub").write_text("hello")
        args[3] = str(tmp_path / "g.pub")
    elif what == "pubkey_rsa":
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        pem = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        (tmp_path / "ec.pub").write_bytes(pem)
        args[3] = str(tmp_path / "ec.pub")
    elif what == "signature_missing":
        signed.signature.unlink()
    else:
        args[1] = str(tmp_path / "nope.json")
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "error:" in result.output


def test_explicit_signature_path(signed: Signed, runner: CliRunner, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere.sig.json"
    signed.signature.rename(moved)
    assert verify(runner, signed).exit_code == 2
    # Paths in the manifest are relative to the signature's directory
    moved_back = signed.dir / "custom.json"
    moved.rename(moved_back)
    assert verify(runner, signed, "--signature", str(moved_back)).exit_code == 0


def test_render_with_sign_key_signs_what_it_writes(signed: Signed, runner: CliRunner,
                                                   tmp_path: Path) -> None:
    # Given a stored result re-rendered into a new directory with --sign-key
    out = tmp_path / "rerendered"
    result = runner.invoke(main, ["render", str(signed.result), "-o", str(out),
                                  "--sign-key", str(signed.keys.private)])
    assert result.exit_code == 0, result.output
    # Then the new directory verifies, and tampering with its result is caught
    check = runner.invoke(main, ["verify", str(out / "result.json"), "--pubkey",
                                 str(signed.keys.public)])
    assert check.exit_code == 0, check.output
    (out / "result.json").write_text((out / "result.json").read_text().replace(
        "portal.example.go.id", "evil.example.go.id"))
    check = runner.invoke(main, ["verify", str(out / "result.json"), "--pubkey",
                                 str(signed.keys.public)])
    assert check.exit_code == 1
