"""The redactor: every identifier, phone, secret and password masked; hashes stable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egov_audit.check import Sensitive
from egov_audit.errors import InputError
from egov_audit.redaction import Redactor, load_salt, mask

R = Redactor(b"unit-test-salt")

NIK = "1271015506900001"


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        ("nik", NIK, "1271**********01"),
        ("phone", "081234565678", "0812****5678"),
        ("phone", "+6281234565678", "+6281*****5678"),
        ("email", "budi.santoso@example.go.id", "b***@example.go.id"),
        ("password", "hunter2hunter2", "********"),
        ("secret", "AKIAABCDEFGHIJKLMNOP", "AKIA************"),
    ],
)
def test_mask_formats(kind: str, value: str, masked: str) -> None:
    assert mask(kind, value) == masked


@pytest.mark.parametrize(
    "text",
    [
        f"NIK: {NIK} nama BUDI",
        "No KK 1271 0123 4567 0002",
        "hubungi 0812-3456-5678 atau +62 812 3456 5678",
        "DB_PASSWORD=s3cr3t-Pa55 and APP_KEY=base64:abcdefghijklmnop",
        "aws AKIAABCDEFGHIJKLMNOP key",
        "mysql://root:toor123@db.example.go.id/app",
        "card 4111 1111 1111 1111 ok",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
        "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
        "NPWP 01.234.567.8-901.000",
    ],
)
def test_safety_net_masks_without_being_told(text: str) -> None:
    # Given text with a sensitive value no check declared
    evidence = R.redact(text)
    # Then the value is gone and a redaction is recorded with a salted hash
    secrets = re.findall(
        r"1271015506900001|1271 0123 4567 0002|3456-5678|3456 5678|s3cr3t-Pa55|"
        r"ABCDEFGHIJKLMNOP|toor123|4111 1111 1111 1111|MIIEowIBAAKCAQEA|dozjgNryP4J3|"
        r"01\.234\.567\.8-901",
        evidence.text,
    )
    assert secrets == []
    assert evidence.redactions
    assert all(r.hash.startswith("hmac-sha256:") for r in evidence.redactions)


def test_known_values_are_masked_precisely_everywhere() -> None:
    text = "row 1: 3171011234560002; row 2: 3171011234560002"
    evidence = R.redact(text, [Sensitive("nik", "3171011234560002")])
    assert evidence.text == "row 1: 3171**********02; row 2: 3171**********02"
    # one value, one redaction record
    assert [r.kind for r in evidence.redactions] == ["nik"]


def test_hash_is_salted_and_stable() -> None:
    a, b = Redactor(b"salt-a"), Redactor(b"salt-b")
    assert a.hash("nik", NIK) == a.hash("nik", NIK)
    assert a.hash("nik", NIK) != b.hash("nik", NIK)
    # formatting does not change the identity of a number
    assert a.hash("phone", "0812-3456-5678") == a.hash("phone", "081234565678")


def test_ordinary_text_is_left_alone() -> None:
    text = "Status 200 at 2026-11-29 10:15:00, port 8443, version nginx/1.18.0"
    assert R.redact(text).text == text


@pytest.mark.parametrize("text", [
    "session_renegotiation: not tested",  # a TLS skip reason
    "author: Budi Santoso",
    "authority: Dinas Kominfo",
])
def test_words_after_weak_secret_names_are_left_alone(text: str) -> None:
    assert R.redact(text).text == text


@pytest.mark.parametrize(("text", "secret"), [
    ("PHPSESSID=9f2c7a1e5b3d4c6a8e0f", "9f2c7a1e5b3d4c6a8e0f"),
    ("auth_pass=rahasia1", "rahasia1"),
    ("laravel_session: eyJpdiI6IkNxb2x", "eyJpdiI6IkNxb2x"),
    ("pwd=abc", "abc"),
])
def test_values_after_secret_names_are_masked(text: str, secret: str) -> None:
    assert secret not in R.redact(text).text


def test_structures_are_redacted_recursively() -> None:
    data = {"rows": [{"nik": NIK}], "note": ("ok", "hp 081234565678")}
    out = R.redact_structure(data)
    assert NIK not in str(out) and "081234565678" not in str(out)


@given(st.from_regex(r"[1-9][0-9]{15}", fullmatch=True), st.text(max_size=20))
def test_any_sixteen_digit_number_never_survives(number: str, filler: str) -> None:
    filler = re.sub(r"\d", "", filler)
    assert number not in R.redact(f"{filler} {number} {filler}").text


def test_salt_created_once_with_private_permissions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EGOV_AUDIT_SALT", raising=False)
    first = load_salt(state_dir=tmp_path)
    assert load_salt(state_dir=tmp_path) == first
    assert (tmp_path / "redaction-salt").stat().st_mode & 0o777 == 0o600


def test_salt_is_never_written_through_a_planted_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a dangling symlink planted where the salt will be created
    monkeypatch.delenv("EGOV_AUDIT_SALT", raising=False)
    victim = tmp_path / "victim"
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "redaction-salt").symlink_to(victim)
    # When the salt is created, Then the link's target is not created or written
    with pytest.raises(InputError):
        load_salt(state_dir=tmp_path / "state")
    assert not victim.exists()


def test_identifiers_stored_as_numbers_are_masked_too() -> None:
    # Given details holding a NIK parsed from JSON as an integer, and ordinary numbers
    data = {"nik": int(NIK), "count": 12, "port": 8443, "bytes": 123456789, "flag": True}
    out = R.redact_structure(data)
    # Then the NIK is masked (as text) and the rest keep their type and value
    assert out["nik"] == "1271**********01"
    assert out["count"] == 12 and out["port"] == 8443 and out["bytes"] == 123456789
    assert out["flag"] is True


def test_keys_of_details_are_redacted() -> None:
    out = R.redact_structure({f"warga {NIK}": 1})
    assert list(out) == ["warga 1271**********01"]


def test_huge_and_deep_inputs_are_bounded() -> None:
    from egov_audit.redaction import MAX_DEPTH, MAX_TEXT

    # Given a string longer than the cap, with a NIK across the cut
    text = "x " * (MAX_TEXT // 2 - 5) + NIK
    out = R.redact_text(text)
    # Then it is cut before the NIK (no half of it stays) and says so
    assert "127101" not in out and out.endswith("characters cut)")
    # And details nested deeper than any check writes come back as redacted text
    deep: object = [NIK]
    for _ in range(MAX_DEPTH + 5):
        deep = {"a": deep}
    assert NIK not in repr(R.redact_structure(deep))
