"""The dashboard passes its own audit: egov-audit scan against a running serve."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import add_account
from .helpers import seeded_store
from .server import serve_process

FAMILIES = "headers,cookies,cors,disclosure,exposure"


@pytest.mark.parametrize("accounts", [False, True], ids=["read-only", "with-accounts"])
def test_scanning_the_dashboard_reports_nothing_at_low_or_above(tmp_path: Path,
                                                                accounts: bool) -> None:
    # Given the dashboard serving a store with runs: read-only on loopback (every
    # page reachable without signing in, so the crawler sees all of them), or
    # with accounts (every page redirects to the sign-in form, which sets the
    # session cookie and carries a CSRF token)
    history = seeded_store(tmp_path)
    if accounts:
        add_account(history, "siti", "officer")
    with serve_process(history, log=tmp_path / "serve.log") as url:
        # When egov-audit audits it
        out = tmp_path / "audit"
        done = subprocess.run(
            [sys.executable, "-m", "egov_audit", "scan", url, "--checks", FAMILIES,
             "-o", str(out), "-q", "--fail-on", "low", "--rate", "100", "--connections", "8",
             "--target-deadline", "240"],
            capture_output=True, text=True, timeout=400)
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    # Then it found pages to judge, ran the families, and nothing at low or above
    target = result["targets"][0]
    assert target["status"] == "ok", target
    assert len([p for p in target["site_map"] if p["status"] == 200]) >= (1 if accounts else 10)
    ran = {r["check"].split(".")[0] for r in result["results"] if r["status"] == "pass"}
    assert ran >= {"headers", "cookies", "cors", "disclosure", "exposure"}
    serious = [(f["check"], f["severity"], f["evidence"]["text"]) for f in result["findings"]
               if f["severity"] != "info"]
    assert serious == []
    assert not [r for r in result["results"] if r["status"] == "error"]
    assert done.returncode == 0, done.stderr[-2000:]


def test_no_response_names_the_server_software(tmp_path: Path) -> None:
    import urllib.error
    import urllib.request

    history = seeded_store(tmp_path)
    with serve_process(history, log=tmp_path / "serve.log") as url:
        with urllib.request.urlopen(url, timeout=30) as response:
            headers = dict(response.headers)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "no/such/page", timeout=30)
        body = missing.value.read().decode("utf-8", "replace")
    assert missing.value.code == 404 and "404" in body
    assert "Server" not in headers and "X-Powered-By" not in headers
    for word in ("waitress", "Werkzeug", "Flask", "Python"):
        assert word.lower() not in body.lower()
