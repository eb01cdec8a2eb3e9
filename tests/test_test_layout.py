"""The tests mirror the check families: ``checks/<family>/`` is tested in
``tests/checks/<family>/``, so a family's tests are found where its code is."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ROOT / "checks"
TESTS = ROOT / "tests" / "checks"


def _packages(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()
            if p.is_dir() and (p / "__init__.py").is_file() and p.name != "__pycache__"}


def test_the_tree_has_families_to_mirror() -> None:
    # A guard on the guard: a moved checks/ folder must not make the tests below vacuous.
    families = {n for n in _packages(CHECKS) if not n.startswith("_")}
    assert {"tls", "headers", "exposure", "pii"} <= families


def test_every_check_family_has_its_own_test_folder() -> None:
    # Given every family (a package of checks/ not starting with "_")
    families = {n for n in _packages(CHECKS) if not n.startswith("_")}
    # Then tests/checks/<family>/ exists and holds at least one test file
    missing = sorted(f for f in families
                     if not any((TESTS / f).glob("test_*.py")))
    assert not missing, f"families without tests/checks/<family>/test_*.py: {missing}"


def test_every_test_folder_mirrors_a_package_of_checks() -> None:
    # A folder for a family that was renamed or removed would hide its tests' purpose;
    # shared helpers mirror the shared packages (_web, _pathrules).
    stray = sorted(_packages(TESTS) - _packages(CHECKS))
    assert not stray, f"tests/checks/ folders with no checks/ package: {stray}"
