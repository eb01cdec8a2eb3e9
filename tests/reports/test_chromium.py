"""The HTML report in a real browser: headless Chromium renders it with no console errors.

Any console message counts as an error: the report has no script, so a message
can only be a blocked load (the CSP reports every attempted external request)
or a parsing problem. Skipped where Chromium is not installed (Debian:
``apt-get install -y chromium``). Set EGOV_AUDIT_SCREENSHOT_DIR to keep the
screenshots (e.g. as CI artifacts).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from egov_audit.reports.html_report import HtmlRenderer

from egov_audit.model import RunReport

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser() -> str:
    found = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    if found is None:
        pytest.skip("headless Chromium not installed (Debian: apt-get install -y chromium)")
    return found


def screenshot(page: Path, png: Path, profile: Path) -> list[str]:
    """Render ``page`` to ``png``; return the console messages Chromium logged."""
    cmd = [
        browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}",
        "--window-size=1280,2000", "--enable-logging=stderr", "--v=0",
        f"--screenshot={png}", page.as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]


def test_console_errors_are_detected(tmp_path: Path) -> None:
    # The check below can fail: a page that tries an external load is caught
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><meta http-equiv="Content-Security-Policy" '
                    "content=\"default-src 'none'\"><img src=\"http://127.0.0.1:9/x.png\">",
                    encoding="utf-8")
    messages = screenshot(page, tmp_path / "bad.png", tmp_path / "profile")
    assert messages


@pytest.mark.parametrize("lang", ["en", "id"])
def test_html_report_renders_cleanly(report: RunReport, tmp_path: Path, lang: str) -> None:
    # Given the full report
    page = tmp_path / f"report-{lang}.html"
    page.write_bytes(HtmlRenderer().render(report, lang=lang))
    keep = os.environ.get("EGOV_AUDIT_SCREENSHOT_DIR")
    png = Path(keep) / f"report-{lang}.png" if keep else tmp_path / f"report-{lang}.png"
    png.parent.mkdir(parents=True, exist_ok=True)
    # When Chromium renders it
    messages = screenshot(page, png, tmp_path / "profile")
    # Then it draws a real page and logs nothing (no blocked request, no error)
    assert messages == []
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
