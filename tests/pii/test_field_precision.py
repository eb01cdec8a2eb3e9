"""The detector on the value-level error classes of issue 14: phones, NPWP, cards,
payment references, non-identifier labels, e-mail forms, single-space runs."""

from __future__ import annotations

import pytest

from egov_audit.pii.detect import scan_text
from egov_audit.pii.synthetic import Synthetic

GEN = Synthetic(1415)
NIK = GEN.nik()
KK = GEN.kk()


def found(text: str, label: str = "") -> list[tuple[str, str]]:
    return [(h.kind, h.value) for h in scan_text(text, label) if h.kind != "masked"]


@pytest.mark.parametrize(("text", "value"), [
    ("HP +62 812-3456-78901", "+62 812-3456-78901"),  # 13-digit mobile with 62
    ("WA 6281234567890 ", "6281234567890"),
    ("WA 62812345678901", "62812345678901"),
    ("Kontak (+62) 812-3456-7890", "+62) 812-3456-7890"),
    ("telp 0812 - 3456 - 7890", "0812 - 3456 - 7890"),
    ("telp 0812-3456-78901", "0812-3456-78901"),
])
def test_mobile_numbers_in_every_written_form(text: str, value: str) -> None:
    assert found(text) == [("phone", value)]


def test_a_nik_based_npwp_under_an_npwp_label_is_npwp() -> None:
    assert found(NIK, "NPWP") == [("npwp", NIK)]
    assert found(f"NPWP: {NIK}") == [("npwp", NIK)]
    assert found(f"NPWP/NIK: {NIK}") == [("npwp", NIK)]


def test_an_unpunctuated_fifteen_digit_npwp_with_context() -> None:
    npwp = GEN.npwp15(formatted=False)
    assert found(f"NPWP {npwp}") == [("npwp", npwp)]
    assert found(npwp, "No. NPWP") == [("npwp", npwp)]
    assert found(f"nomor {npwp} ") == []  # no context, no punctuation: unknown


def test_cards_need_card_context_or_card_formatting() -> None:
    card = GEN.card()  # Luhn-valid with a network prefix
    assert found(f"Nomor peserta ujian {card}") == []
    assert found(card) == []
    assert found(f"Kartu kredit {card}") == [("card", card)]
    spaced = " ".join(card[i:i + 4] for i in range(0, 16, 4))
    assert found(f"dibayar dengan {spaced}") == [("card", spaced)]


@pytest.mark.parametrize("label", ["Virtual Account", "No. VA", "Kode Bayar", "Nomor Tagihan",
                                   "Kode Billing"])
def test_payment_references_are_not_citizens_accounts(label: str) -> None:
    number = "8808" + GEN.digits(12)
    assert found(f"{label}: {number}") == []
    assert found(number, label) == []
    assert found(f"No. Rekening: {GEN.digits(10)}")[0][0] == "account"


@pytest.mark.parametrize("label", ["No. Peserta", "No. Registrasi", "Nomor Ujian",
                                   "No. Pendaftaran", "Nomor Porsi"])
def test_an_explicit_non_identifier_label_beats_structure(label: str) -> None:
    # Registration numbers built as region + YYMMDD + serial pass the NIK structure
    assert found(NIK, label) == []
    assert found(f"{label}: {NIK}") == []
    # but a NIK named as such stays a NIK, and so does a BPJS participant number
    assert found(NIK, "NIK Peserta") == [("nik", NIK)]
    assert found("0001234567891", "No. Peserta BPJS") == [("bpjs", "0001234567891")]


def test_masked_and_placeholder_addresses_are_not_addresses() -> None:
    assert found("email: t***i@gmail.com") == []
    assert found("contoh: nama@email.com, user@example.com, emailanda@domain.com") == []
    assert found("kirim ke rina.w77@gmail.com") == [("email", "rina.w77@gmail.com")]


@pytest.mark.parametrize(("text", "value"), [
    ("budi.s[at]gmail.com", "budi.s[at]gmail.com"),
    ("budi.s (at) gmail (dot) com", "budi.s (at) gmail (dot) com"),
    ("budi.s&#64;yahoo.co.id", "budi.s&#64;yahoo.co.id"),
    ("budi.s&#x40;gmail.com", "budi.s&#x40;gmail.com"),
    ("budi.s{AT}gmail[DOT]com", "budi.s{AT}gmail[DOT]com"),
])
def test_obfuscated_addresses_are_found(text: str, value: str) -> None:
    assert found(f"Surel: {text}.") == [("email", value)]


def test_obfuscated_institutional_and_asset_names_are_not_personal() -> None:
    assert found("admin(at)dinsos.go.id logo[at]2x.png") == []


def test_single_space_runs_keep_every_value() -> None:
    npwp = GEN.npwp15()
    assert found(f"C6140105 {NIK}") == [("nik", NIK)]
    assert found(f"{npwp} {NIK} 081234567890") == [("npwp", npwp), ("nik", NIK),
                                                   ("phone", "081234567890")]
    assert ("kk", KK) in found(f"1 {NIK} {KK}", "No KK")  # the row number stays apart


def test_file_and_field_names_joined_by_an_underscore() -> None:
    assert found(f"/uploads/ktp_{NIK}.jpg") == [("nik", NIK)]
    assert found(f"nik_{NIK}") == [("nik", NIK)]
    assert found(f"/files/kk/kk_{KK}.pdf") == [("kk", KK)]
    assert found(f"INV{NIK}") == []  # glued to a code: not an identifier
    assert found(f"1271____{NIK[8:]}") == []  # a fill-in mask, not a number
