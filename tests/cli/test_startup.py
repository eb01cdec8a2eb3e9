"""Start-up cost is kept by what is imported, counted, never timed."""

from __future__ import annotations

import subprocess
import sys


def _imported_after(argv: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from egov_audit.cli import main\n"
        f"sys.argv = ['egov-audit', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    return set(proc.stderr.split())


def test_version_imports_no_command_and_no_scanner() -> None:
    modules = _imported_after(["--version"])
    assert "egov_audit.cli" in modules
    heavy = {m for m in modules if m.startswith(("egov_audit.cli.", "egov_audit.runner",
                                                 "egov_audit.checks", "requests", "sslyze",
                                                 "cryptography"))}
    assert heavy == set()


def test_a_command_imports_only_its_own_module() -> None:
    modules = _imported_after(["keygen", "--help"])
    assert "egov_audit.cli.sign_cmd" in modules
    assert not {"egov_audit.cli.scan_cmd", "egov_audit.cli.demo_cmd",
                "egov_audit.cli.policies_cmd"} & modules
