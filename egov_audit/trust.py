"""Trust anchors: the public stores plus an institution's private CA.

``--ca-bundle`` *adds* to the public roots rather than replacing them, so a
city can audit its intranet services (signed by its own CA) and its public
ones in one run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .errors import InputError

_PEM_BEGIN = "-----BEGIN CERTIFICATE-----"


def read_ca_bundle(path: str | Path) -> str:
    """The PEM text of a user CA bundle, or an InputError naming the file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="ascii", errors="strict")
    except FileNotFoundError:
        raise InputError("CA bundle not found", source=p) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read CA bundle: {exc}", source=p) from None
    if _PEM_BEGIN not in text:
        raise InputError(
            "CA bundle contains no certificate", source=p, expected="PEM certificates"
        )
    return text


def combined_trust_bundle(ca_bundle: str | Path | None, workdir: Path | None = None) -> str | None:
    """A PEM file with the public roots and the user's CAs, or None without a bundle."""
    if ca_bundle is None:
        return None
    import certifi

    extra = read_ca_bundle(ca_bundle)
    public = Path(certifi.where()).read_text(encoding="ascii")
    directory = workdir or Path(tempfile.mkdtemp(prefix="egov-audit-trust-"))
    out = directory / "trust-bundle.pem"
    out.write_text(public.rstrip() + "\n" + extra.strip() + "\n", encoding="ascii")
    return str(out)
