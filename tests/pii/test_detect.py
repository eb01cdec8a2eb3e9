"""The detector on text: context decides ambiguous numbers, near misses are rejected."""

from __future__ import annotations

import pytest

from egov_audit.pii import scan_text


def kinds(text: str, label: str = "") -> list[tuple[str, str]]:
    return [(h.kind, h.value) for h in scan_text(text, label) if h.kind != "masked"]


NIK = "1271014508900001"
KK = "1271010101200003"


def test_nik_found_without_context_and_with_separators_around() -> None:
    assert kinds(f"Penerima: Budi, {NIK}, Medan") == [("nik", NIK)]
    assert kinds(f"nik={NIK}&x=1") == [("nik", NIK)]
    assert kinds(f'{{"nik": "{NIK}"}}') == [("nik", NIK)]


@pytest.mark.parametrize("text", [
    f"INV{NIK}",  # embedded in an order code
    f"{NIK}7",  # part of a longer run
    f"9{NIK}",
    f"No. Pesanan {NIK}",  # order-number context
    f"timestamp: {NIK}",
    "1712345678901234",  # microsecond timestamp
    "1234567890123456",  # placeholder
    "3201234567890123",  # documentation example
    f"{NIK[:12]}****",  # masked: judged by the masked rules, not as a NIK
])
def test_nik_near_misses(text: str) -> None:
    assert not [k for k, _ in kinds(text) if k == "nik"]


def test_kk_needs_context_and_nearest_word_wins() -> None:
    assert kinds(KK) == [("nik", KK)]  # without context a male-day KK reads as NIK
    assert kinds(f"No. KK: {KK}") == [("kk", KK)]
    assert kinds(f"NIK {NIK} No. KK {KK}") == [("nik", NIK), ("kk", KK)]
    assert kinds(KK, label="no_kk") == [("kk", KK)]
    assert kinds(KK, label="NomorKartuKeluarga") == [("kk", KK)]
    # a female day cannot be a KK: it stays a NIK even under a KK label
    assert kinds(NIK, label="nkk") == [("nik", NIK)]


def test_card_in_card_context_is_not_a_nik() -> None:
    card = "5271015508900007"  # NTB province code, also Mastercard 52, Luhn-valid
    assert kinds(card) == [("nik", card)]
    assert kinds(f"Kartu kredit: {card}") == [("card", card)]
    assert kinds("Visa 4539 5787 6362 1486") == [("card", "4539 5787 6362 1486")]
    assert kinds("4539578763621487") == []  # Luhn fails, not a NIK either


def test_npwp_formatted_and_contextual() -> None:
    assert kinds("01.312.166.0-091.000") == [("npwp", "01.312.166.0-091.000")]
    assert kinds("01.312.166.1-091.000") == []  # check digit wrong
    assert kinds("013121660091000") == []  # unformatted needs context
    assert kinds("NPWP: 013121660091000") == [("npwp", "013121660091000")]
    assert kinds("npwp 0013121660091000") == [("npwp", "0013121660091000")]


def test_nip_grouped_and_plain() -> None:
    assert kinds("NIP. 19800101 200501 1 001") == [("nip", "19800101 200501 1 001")]
    assert kinds("198001012005011001") == [("nip", "198001012005011001")]
    assert kinds("198013012005011001") == []  # month 13


def test_context_only_identifiers() -> None:
    assert kinds("0012345678") == []
    assert kinds("NISN: 0012345678") == [("nisn", "0012345678")]
    assert kinds("0001234567890") == []
    assert kinds("No. Kartu BPJS 0001234567890") == [("bpjs", "0001234567890")]
    assert kinds("No. Rek 7010234561 a.n. Budi") == [("account", "7010234561")]
    assert kinds("Rekening Kas Daerah 7010234561") == []  # institutional account
    assert kinds("Nomor paspor: B1234567") == [("passport", "B1234567")]
    assert kinds("Kode B1234567") == []


def test_phones_and_emails() -> None:
    assert kinds("HP 0812-3456-7890") == [("phone", "0812-3456-7890")]
    assert kinds("WA +62 812 3456 7890") == [("phone", "+62 812 3456 7890")]
    assert kinds("Telp (061) 4512345") == []  # landline
    assert kinds("budi.s@gmail.com") == [("email", "budi.s@gmail.com")]
    assert kinds("humas@medankota.go.id") == []  # institutional mailbox
    assert kinds("logo@2x.png") == []


def test_mrz_line_found_by_check_digits() -> None:
    from .test_validators import _fix_mrz

    line = _fix_mrz("X1234567<0IDN9001014M3001014<<<<<<<<<<<<<<04")
    assert kinds("P<IDNSANTOSO<<BUDI<<<<<<<<<<<<<<<<<<<<<<<<<\n" + line) == [
        ("passport", "X1234567")]


def test_masked_forms() -> None:
    hits = scan_text("NIK 1271**********01, 127101******0001, 1271 01** **** **01, "
                     "3271•••••••••••2, 1271xxxxxxxx0001, HP 0812****5678")
    assert [h.kind for h in hits] == ["masked"] * 6
    partial = scan_text(f"NIK {NIK[:12]}****")
    assert [(h.kind, h.value) for h in partial] == [("nik_partial", f"{NIK[:12]}****")]


@pytest.mark.parametrize(("text", "value"), [
    ("hubungi (0812) 3456-7890 ya", "(0812) 3456-7890"),
    ("HP +62 (812) 3456 7890", "+62 (812) 3456 7890"),
    ("WA 0812.3456.7890", "0812.3456.7890"),
    ("telp 0812 - 3456 - 7890", "0812 - 3456 - 7890"),  # spaced dashes (issue 14)
])
def test_phones_written_with_parentheses_and_dots(text: str, value: str | None) -> None:
    # The detector reads the surface forms of patterns.py, the redactor's too
    found = [h.value for h in scan_text(text) if h.kind == "phone"]
    assert found == ([value] if value else [])


def test_parentheses_that_are_not_a_phone() -> None:
    assert scan_text("tel (021) 5551234 kantor") == []
    assert scan_text("order (0812) 3456-7890") == []  # order numbers are not personal
