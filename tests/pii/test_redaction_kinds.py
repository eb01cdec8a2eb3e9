"""The mask styles added for short identifiers keep only the last two characters."""

from __future__ import annotations

import pytest

from egov_audit.check import Sensitive
from egov_audit.redaction import Redactor, mask


@pytest.mark.parametrize("kind,value,masked", [
    ("passport", "B1234567", "******67"),
    ("nisn", "0012345678", "********78"),
    ("bpjs", "0001234567890", "***********90"),
    ("account", "7010234561", "********61"),
    ("nik", "1271014508900001", "1271**********01"),  # unchanged default
])
def test_mask_styles(kind: str, value: str, masked: str) -> None:
    assert mask(kind, value) == masked


def test_known_short_identifier_is_masked_in_evidence() -> None:
    evidence = Redactor(b"salt").redact("paspor B1234567, NISN 0012345678",
                                        [Sensitive("passport", "B1234567"),
                                         Sensitive("nisn", "0012345678")])
    assert evidence.text == "paspor ******67, NISN ********78"
