"""egov-audit keygen, egov-audit verify"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import ExitStatus, InputError
from .common import handle_errors
from .terminal import clean


@click.command()
@click.option("--out", "prefix", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("egov-audit-signing"), show_default=True,
              help="Path prefix: writes PREFIX.key (private, mode 0600) and PREFIX.pub.")
@click.option("--passphrase-env", metavar="VAR",
              help="Encrypt the private key with the passphrase in environment variable VAR; "
              "signing then reads it from EGOV_AUDIT_KEY_PASSPHRASE.")
@handle_errors
def keygen(prefix: Path, passphrase_env: str | None) -> None:
    """Create an Ed25519 key pair for signing results (--sign-key) and verifying them.

    Existing files are never overwritten. Keep PREFIX.key private; give
    PREFIX.pub to whoever has to verify the reports.
    """
    from ..signing.keys import fingerprint, generate_keypair, load_public_key

    passphrase = None
    if passphrase_env is not None:
        value = os.environ.get(passphrase_env)
        if not value:
            raise InputError(f"environment variable {passphrase_env} is empty or not set",
                             expected="the passphrase for the private key")
        passphrase = value.encode()
    if prefix.parent != Path("") and not prefix.parent.is_dir():
        raise InputError("directory does not exist", source=prefix.parent)
    private_path, public_path = generate_keypair(prefix, passphrase)
    click.echo(f"private key: {private_path} (mode 0600; keep it secret)", err=True)
    click.echo(f"public key:  {public_path}", err=True)
    click.echo(f"fingerprint: {fingerprint(load_public_key(public_path))}")


@click.command()
@click.argument("result", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pubkey", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The signer's public key (PREFIX.pub from 'egov-audit keygen').")
@click.option("--signature", "signature", type=click.Path(dir_okay=False, path_type=Path),
              help="The signature manifest (default: signature.json next to RESULT).")
@click.option("--strict", is_flag=True,
              help="Also fail (exit 1) when the directory holds files the signature "
              "does not cover.")
@handle_errors
def verify(result: Path, pubkey: Path, signature: Path | None, strict: bool) -> None:
    """Check that RESULT and every rendered file it was signed with are unaltered.

    Files in the directory that the signature does not cover are named
    (UNSIGNED): nothing vouches for them. They do not make verify fail unless
    --strict is given, because they are not a change to anything signed.

    \b
    Exit codes: 0 intact, 1 something was altered, missing or signed with
    another key (each is named), or unsigned files with --strict,
    2 bad input (unreadable key, no such file).
    """
    from ..signing import verify_outputs

    outcome = verify_outputs(result, pubkey, signature)
    # Problems name files and keys from the manifest: a forger wrote those.
    for note in outcome.notes:
        click.echo(f"note: {clean(note)}", err=True)
    for name in outcome.unsigned:
        click.secho(f"UNSIGNED: {clean(name)} is not covered by "
                    f"{clean(outcome.signature_path.name)}; nothing vouches for it",
                    fg="yellow", err=True)
    if not outcome.intact:
        for problem in outcome.problems:
            click.secho(f"ALTERED: {clean(problem)}", fg="red", err=True)
        sys.exit(int(ExitStatus.FINDINGS))
    unsigned = (f"; {len(outcome.unsigned)} other file(s) in the directory are NOT signed"
                if outcome.unsigned else "")
    click.secho(
        f"OK: {clean(result.name)} and {outcome.files_checked} rendered file(s) match "
        f"{clean(outcome.signature_path.name)}, signed {clean(outcome.signed_at)} "
        f"by key {outcome.fingerprint}{unsigned}",
        fg="yellow" if unsigned else "green",
    )
    if strict and outcome.unsigned:
        sys.exit(int(ExitStatus.FINDINGS))
