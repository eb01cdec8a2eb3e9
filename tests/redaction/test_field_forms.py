"""What the detector learned to find in issue 14, the redactor masks.

The detector now reads 13-digit mobiles after +62, spaced dashes, obfuscated
addresses ([at], (at), &#64;), numbers glued to a file name by an underscore and
values of a single-space run; the redactor runs the same detector over every text
it prints, so each of these must leave no digit run or local part behind.
"""

from __future__ import annotations

import re

import pytest

from egov_audit.pii.detect import scan_text
from egov_audit.pii.synthetic import Synthetic
from egov_audit.redaction import Redactor

R = Redactor(b"field-forms-salt")
GEN = Synthetic(1416)
NIK = GEN.nik()
KK = GEN.kk()
NPWP = GEN.npwp15()


@pytest.mark.parametrize(("text", "secret"), [
    ("HP +62 812-3456-78901 (WA)", "3456"),
    ("WA 62812345678901", "62812345678901"),
    ("Kontak (+62) 812-3456-7890", "3456"),
    ("telp 0812 - 3456 - 7890", "3456"),
    ("Surel: budi.santoso77[at]gmail.com", "budi.santoso77"),
    ("Surel: budi.santoso77 (at) gmail (dot) com", "budi.santoso77"),
    ("Surel: budi.santoso77&#64;gmail.com", "budi.santoso77"),
    ("Surel: budi.santoso77{AT}gmail[DOT]com", "budi.santoso77"),
    (f"<img src=\"/uploads/ktp_{NIK}.jpg\">", NIK[6:12]),
    (f"/files/kk/kk_{KK}.pdf", KK[6:12]),
    (f"C6140105 {NIK} {NPWP}", NIK[6:12]),
    (f"{NPWP} {NIK}", NPWP.replace(".", "").replace("-", "")[2:8]),
    (f'<input name="no_kk[]" value="{KK}"><button onclick="hapus(\'{NIK}\')">', NIK[6:12]),
])
def test_every_new_surface_is_masked(text: str, secret: str) -> None:
    # Given a text the detector finds an identifier in
    assert [h for h in scan_text(text) if h.kind not in ("masked", "nik_partial")]
    # When it is redacted, then the identifying part is gone
    out = R.redact_text(text)
    assert secret not in re.sub(r"[\s.\-]", "", out) and secret not in out, out


def test_a_masked_address_is_left_masked_and_not_reported() -> None:
    text = "email: t***i@gmail.com"
    assert [h for h in scan_text(text) if h.kind == "email"] == []
    assert "i@gmail.com" not in R.redact_text(text).replace("t***", "")
