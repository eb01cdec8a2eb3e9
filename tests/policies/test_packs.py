"""The shipped packs: valid, lint-clean, complete for every installed check."""

from __future__ import annotations

import re

import pytest

from egov_audit.policy import DEFAULT_PACKS
from egov_audit.policy.loader import builtin_packs, builtin_text, lint_pack
from egov_audit.registry import load_catalogue

PACKS = builtin_packs()
INSTALLED = sorted(load_catalogue().checks)
EXPECTED = {
    "uu-pdp-2022", "bssn-4-2021", "pp-71-2019", "uu-ite", "iso-27001-2022", "nist-800-53-r5",
    "nist-800-52-r2", "owasp-asvs-5.0", "owasp-top10-2021", "owasp-top10-2025",
    "cis-controls-v8", "cisa-bod-18-01",
}


def test_every_expected_pack_ships_and_the_defaults_exist() -> None:
    assert set(PACKS) == EXPECTED
    assert set(DEFAULT_PACKS) <= set(PACKS)


@pytest.mark.parametrize("pack_id", sorted(EXPECTED))
def test_every_shipped_pack_lints_without_errors(pack_id: str) -> None:
    pack = PACKS[pack_id]
    problems = lint_pack(pack, INSTALLED, builtin_text(pack))
    assert [str(p) for p in problems if p.level == "error"] == []
    assert pack.version and pack.source  # recorded in every compliance section


@pytest.mark.parametrize("check_id", INSTALLED)
def test_every_installed_check_maps_to_indonesian_law_and_to_iso_27001(check_id: str) -> None:
    # Iterates the live catalogue, so a check family added later is held to it too.
    indonesian = [c.id for p in ("uu-pdp-2022", "bssn-4-2021") for c in PACKS[p].controls
                  if c.covers(check_id)]
    iso = [c.id for c in PACKS["iso-27001-2022"].controls if c.covers(check_id)]
    assert indonesian, f"{check_id} maps to no UU PDP or BSSN control"
    assert iso, f"{check_id} maps to no ISO/IEC 27001:2022 control"


def test_bssn_lists_all_72_instrument_controls_and_the_pasal_33_network_items() -> None:
    ids = [c.id for c in PACKS["bssn-4-2021"].controls]
    assert ids[:72] == [f"K{n}" for n in range(1, 73)]
    assert {"P33-2d", "P33-2j", "P33-2k", "P33-2l"} <= set(ids)
    for control in PACKS["bssn-4-2021"].controls:
        assert control.title_id and control.title != control.title_id
        # what a remote scan can give is recorded; N controls are never mapped to checks
        if control.attributes.get("remote") == "N":
            assert control.checks == (), control.id


def test_uu_pdp_has_the_required_articles_in_both_languages() -> None:
    pack = PACKS["uu-pdp-2022"]
    ids = {c.id for c in pack.controls}
    assert {"pasal-4-2", "pasal-16-2", "pasal-21", "pasal-35", "pasal-36", "pasal-38",
            "pasal-39", "pasal-46", "pasal-56", "adminduk-pasal-84"} <= ids
    assert all(c.title_id and c.title for c in pack.controls)


def test_unverified_items_are_marked() -> None:
    # Items the reference notes tag [U] carry verified = false and a note
    assert not PACKS["pp-71-2019"].control("pasal-24").verified
    assert PACKS["pp-71-2019"].control("pasal-24").note
    assert all(not c.verified for c in PACKS["nist-800-52-r2"].controls)


def test_control_references_fit_the_result_contract() -> None:
    pattern = re.compile(r"^[a-z0-9][a-z0-9._-]*:.+$")
    for pack in PACKS.values():
        for control in pack.controls:
            assert pattern.match(pack.ref(control)), pack.ref(control)
