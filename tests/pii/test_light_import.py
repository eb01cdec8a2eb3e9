"""The detector library and the content probe load no heavy document library up front."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_pii_library_and_probe_stays_light() -> None:
    code = ("import sys, egov_audit.pii, egov_audit.pii.analyse, egov_audit.probes.content; "
            "print(sorted(m for m in ('openpyxl', 'pypdf', 'docx', 'stdnum', 'fpdf') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_extraction_caps_a_very_wide_sheet() -> None:
    from egov_audit.pii.extract import MAX_CELLS, Extracted, columns

    out = Extracted("csv")
    wide = [["x"] * 10_000 for _ in range(MAX_CELLS // 10_000 + 5)]
    columns(wide, out)
    assert out.truncated
