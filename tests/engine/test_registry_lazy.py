"""Built-in families are imported only when a selection or a listing needs them."""

from __future__ import annotations

import subprocess
import sys

from egov_audit.registry import load_catalogue


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code + "\n"
         "print(' '.join(m for m in sys.modules if m.startswith('egov_audit.checks.')))"],
        capture_output=True, text=True, check=True, timeout=60).stdout
    return {m.split(".")[2] for m in out.split()}


def test_selecting_a_family_imports_only_that_family() -> None:
    # Given a fresh process, When only tls checks are selected
    families = _modules_after(
        "from egov_audit.registry import load_catalogue\n"
        "load_catalogue().select(['tls.*'])")
    # Then no other built-in family module was imported
    assert families == {"tls"}


def test_the_whole_catalogue_is_still_there_when_asked_for() -> None:
    families = _modules_after(
        "from egov_audit.registry import load_catalogue\n"
        "c = load_catalogue(); c.select(['tls']); c.digest()")
    assert {"tls", "https", "pii", "hygiene"} <= families


def test_a_glob_over_families_loads_them_all() -> None:
    catalogue = load_catalogue()
    ids = [c.id for c in catalogue.select(["*.hsts_missing"])]
    assert ids == ["https.hsts_missing"]
    assert catalogue.select(["tls"]) == catalogue.select(["tls.*"])
    # the same digest whichever families a selection happened to load first
    assert catalogue.digest() == load_catalogue().digest()
