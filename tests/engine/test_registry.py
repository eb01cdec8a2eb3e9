"""Plugins load through entry points, exactly like the built-ins."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from egov_audit.errors import InputError, RegistryError
from egov_audit.registry import load_catalogue


def install_fake_distribution(root: Path, name: str, modules: dict[str, str],
                              entry_points: str) -> None:
    """A real (unpacked) distribution on sys.path: importlib.metadata finds its entry points."""
    for module, source in modules.items():
        (root / module).mkdir()
        (root / module / "__init__.py").write_text(textwrap.dedent(source))
    info = root / f"{name.replace('-', '_')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points))


GOOD = """
    from egov_audit.check import check
    from egov_audit.model import Severity
    from egov_audit.probes.site import Site

    @check(id="cityrules.banner_missing", title="The city banner is missing",
           severity=Severity.LOW, cwe=(1059,), needs=(Site,), remediation="Add the banner.")
    def banner_missing(ctx):
        return []

    CHECKS = [banner_missing]
"""


def test_plugin_checks_register_and_broken_plugins_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given one working and one broken plugin installed as a distribution
    install_fake_distribution(
        tmp_path, "egov-audit-cityrules",
        {"cityrules": GOOD, "brokenrules": "raise ImportError('missing dependency foo')\n"},
        """
        [egov_audit.checks]
        cityrules = cityrules:CHECKS
        brokenrules = brokenrules:CHECKS
        """,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    # When the catalogue loads
    catalogue = load_catalogue()
    # Then the plugin's check sits beside the built-ins, with its distribution named
    registered = catalogue.checks["cityrules.banner_missing"]
    assert registered.distribution == "egov-audit-cityrules 0.1"
    assert "https.hsts_missing" in catalogue.checks
    # and the broken plugin is reported by name, not fatal
    (problem,) = [p for p in catalogue.problems if p.name == "brokenrules"]
    assert "missing dependency foo" in problem.error


def test_duplicate_check_ids_stop_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clash = GOOD.replace("cityrules.banner_missing", "https.hsts_missing")
    install_fake_distribution(tmp_path, "egov-audit-clash", {"clashrules": clash},
                              "[egov_audit.checks]\nclash = clashrules:CHECKS\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(RegistryError, match=r"duplicate check id 'https\.hsts_missing'"):
        load_catalogue()


def test_selection_by_family_glob_and_skip() -> None:
    catalogue = load_catalogue()
    ids = [c.id for c in catalogue.select(["https"], ["https.hsts_*"])]
    assert ids and all(i.startswith("https.") and not i.startswith("https.hsts_") for i in ids)
    with pytest.raises(InputError, match="matches no installed check"):
        catalogue.select(["htps.*"])


def test_builtin_check_metadata_is_complete() -> None:
    # Every installed check carries what a finding must carry.
    for reg in load_catalogue().checks.values():
        meta = reg.check.meta
        assert meta.title and meta.remediation and meta.description, meta.id
        assert meta.cwe and all(isinstance(c, int) and c > 0 for c in meta.cwe), meta.id
        assert reg.check.needs, meta.id
