"""security.txt field parsing (RFC 9116 §2.4 and §4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class SecurityTxtFields:
    fields: dict[str, list[str]]  # lower-case field name → values in order

    @property
    def contacts(self) -> list[str]:
        return self.fields.get("contact", [])

    @property
    def expires(self) -> datetime | None:
        """The first Expires value, when it is a valid RFC 3339 date-time."""
        for value in self.fields.get("expires", []):
            try:
                parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
            except ValueError:
                return None
            if parsed.tzinfo is None:
                return None  # RFC 3339 requires an offset
            return parsed.astimezone(UTC)
        return None


def parse_security_txt(text: str) -> SecurityTxtFields:
    """Fields of a security.txt; comments, blank lines and the lines of an OpenPGP
    cleartext signature (header, armour, signature block) are skipped."""
    fields: dict[str, list[str]] = {}
    in_signature = False
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("-----BEGIN PGP SIGNATURE"):
            in_signature = True
        if line.startswith("-----END PGP SIGNATURE"):
            in_signature = False
            continue
        if in_signature or not line or line.startswith(("#", "-----")):
            continue
        if line.startswith("- "):
            line = line[2:]  # dash-escaped line inside a signed message
        name, sep, value = line.partition(":")
        if not sep or " " in name.strip():
            continue
        fields.setdefault(name.strip().lower(), []).append(value.strip())
    return SecurityTxtFields(fields)
