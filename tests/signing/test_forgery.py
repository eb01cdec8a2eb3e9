"""verify against forgeries that parse differently in different readers, and unsigned files.

A JSON object with a repeated key means one thing to Python (the last value)
and another to many other readers (the first). A signed result or manifest
never has one, so a repeated key is evidence of tampering and is named.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from egov_audit.cli import main
from egov_audit.errors import InputError

from .conftest import Signed


def verify(runner: CliRunner, signed: Signed, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(main, ["verify", str(signed.result), "--pubkey",
                                str(signed.keys.public), *extra])


def test_result_with_an_empty_findings_key_in_front_of_the_real_one_is_altered(
        signed: Signed, runner: CliRunner) -> None:
    # Given the forgery from issue 12: `"findings": []` before the real list, which a
    # last-key-wins reader ignores while a first-key-wins dashboard shows no findings
    text = signed.result.read_text("utf-8")
    signed.result.write_text(text.replace("{", '{\n  "findings": [],', 1), encoding="utf-8")
    assert json.loads(signed.result.read_text("utf-8")) == json.loads(text)  # same to Python
    # When verified
    result = verify(runner, signed)
    # Then it fails, naming the file and the key
    assert result.exit_code == 1, result.output
    assert "result.json was altered" in result.output and "'findings'" in result.output


def test_manifest_with_a_repeated_key_is_altered(signed: Signed, runner: CliRunner) -> None:
    text = signed.signature.read_text("utf-8")
    signed.signature.write_text(text.replace("{", '{\n  "files": [],', 1), encoding="utf-8")
    result = verify(runner, signed)
    assert result.exit_code == 1
    assert "signature.json was altered" in result.output and "'files'" in result.output


def test_signing_refuses_a_result_with_a_repeated_key(signed: Signed) -> None:
    from egov_audit.signing import sign_outputs

    text = signed.result.read_text("utf-8")
    signed.result.write_text(text.replace("{", '{\n  "findings": [],', 1), encoding="utf-8")
    with pytest.raises(InputError, match="repeats the key 'findings'"):
        sign_outputs(signed.result, signed.rendered, signed.keys.private)


def test_unsigned_files_are_named_but_do_not_fail_verify(signed: Signed,
                                                         runner: CliRunner) -> None:
    # Given a report dropped next to the signed ones after signing
    (signed.dir / "report.html").write_text("<h1>ALL CLEAR</h1>")
    (signed.dir / "charts").mkdir()  # folders are not listed
    # When verified
    result = verify(runner, signed)
    # Then the signed files verify, and the stranger is named
    assert result.exit_code == 0, result.output
    assert "UNSIGNED: report.html is not covered by signature.json" in result.output
    assert "1 other file(s) in the directory are NOT signed" in result.output
    assert "charts" not in result.output


def test_strict_makes_unsigned_files_fail(signed: Signed, runner: CliRunner) -> None:
    (signed.dir / "report.html").write_text("<h1>ALL CLEAR</h1>")
    assert verify(runner, signed, "--strict").exit_code == 1


def test_a_fully_signed_directory_names_nothing(signed: Signed, runner: CliRunner) -> None:
    result = verify(runner, signed, "--strict")
    assert result.exit_code == 0, result.output
    assert "UNSIGNED" not in result.output and "NOT signed" not in result.output


def test_signing_replaces_a_planted_signature_link(signed: Signed, tmp_path: Path) -> None:
    # Given a link planted where the signature is written
    from egov_audit.signing import sign_outputs

    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    signed.signature.unlink()
    signed.signature.symlink_to(victim)
    # When signing again
    path = sign_outputs(signed.result, signed.rendered, signed.keys.private)
    # Then the link's target is untouched and the signature is a regular file
    assert victim.read_text() == "precious\n"
    assert not path.is_symlink() and json.loads(path.read_text("utf-8"))["signature"]


def test_keygen_does_not_write_through_a_planted_link(runner: CliRunner, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / "k.key").symlink_to(victim)
    result = runner.invoke(main, ["keygen", "--out", str(tmp_path / "k")])
    assert result.exit_code == 2
    assert "refusing to overwrite" in result.output
    assert victim.read_text() == "precious\n"
    assert not (tmp_path / "k.pub").exists()
