"""egov-audit keygen: key files, permissions, refusal to overwrite."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from egov_audit.cli import main
from egov_audit.signing.keys import fingerprint, load_private_key, load_public_key

from .conftest import Keys


def test_keygen_writes_a_0600_private_key_and_a_public_key(keys: Keys,
                                                           runner: CliRunner) -> None:
    # Given keys made by the CLI (even under a permissive umask, see below)
    # Then the private key is readable by its owner only, and both load as Ed25519
    assert stat.S_IMODE(keys.private.stat().st_mode) == 0o600
    assert keys.private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert keys.public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    private = load_private_key(keys.private)
    assert fingerprint(private.public_key()) == fingerprint(load_public_key(keys.public))


def test_private_key_is_0600_even_with_a_zero_umask(runner: CliRunner, tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        result = runner.invoke(main, ["keygen", "--out", str(tmp_path / "k")])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "k.key").stat().st_mode) == 0o600
    assert result.stdout.startswith("fingerprint: sha256:")


def test_keygen_refuses_to_overwrite(keys: Keys, runner: CliRunner) -> None:
    # Given an existing key pair
    before = keys.private.read_bytes()
    prefix = keys.private.with_suffix("")
    # When keygen is asked to write the same prefix again
    result = runner.invoke(main, ["keygen", "--out", str(prefix)])
    # Then it fails as a usage error and the key is untouched
    assert result.exit_code == 2
    assert "refusing to overwrite" in result.output
    assert keys.private.read_bytes() == before


def test_keygen_refuses_when_only_the_public_half_exists(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    (tmp_path / "k.pub").write_text("keep me")
    result = runner.invoke(main, ["keygen", "--out", str(tmp_path / "k")])
    assert result.exit_code == 2
    assert not (tmp_path / "k.key").exists()
    assert (tmp_path / "k.pub").read_text() == "keep me"


def test_encrypted_key_needs_its_passphrase(runner: CliRunner, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a key encrypted with a passphrase from the environment
    monkeypatch.setenv("MY_PASS", "correct horse battery staple")
    result = runner.invoke(main, ["keygen", "--out", str(tmp_path / "k"),
                                  "--passphrase-env", "MY_PASS"])
    assert result.exit_code == 0, result.output
    assert b"ENCRYPTED" in (tmp_path / "k.key").read_bytes()
    # Then loading it without the passphrase says where to put it
    from egov_audit.errors import InputError

    monkeypatch.delenv("EGOV_AUDIT_KEY_PASSPHRASE", raising=False)
    with pytest.raises(InputError, match="EGOV_AUDIT_KEY_PASSPHRASE"):
        load_private_key(tmp_path / "k.key")
    monkeypatch.setenv("EGOV_AUDIT_KEY_PASSPHRASE", "wrong")
    with pytest.raises(InputError, match="wrong passphrase"):
        load_private_key(tmp_path / "k.key")
    monkeypatch.setenv("EGOV_AUDIT_KEY_PASSPHRASE", "correct horse battery staple")
    assert load_private_key(tmp_path / "k.key") is not None


def test_keygen_with_empty_passphrase_variable_is_an_input_error(runner: CliRunner,
                                                                 tmp_path: Path) -> None:
    result = runner.invoke(main, ["keygen", "--out", str(tmp_path / "k"),
                                  "--passphrase-env", "SURELY_NOT_SET_42"])
    assert result.exit_code == 2
    assert not (tmp_path / "k.key").exists()
