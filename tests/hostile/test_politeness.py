"""Politeness with the default settings, counted by the server: ≤ 4 connections, ≤ 10 req/s.

Given one small HTTPS site on its own loopback address that keeps connections
alive and notes every connection and request, when every check family scans
it with the default politeness (not the test suite's FAST settings), then the
server never saw more than 4 TCP connections open at once (sslyze's and
nmap's included: they connect to the same port) and never more than 10
requests in a second.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from egov_audit.audit import build_request
from egov_audit.demo.pki import CertificateAuthority
from egov_audit.runner import run_audit

from .counting import CountingSite, busiest_window, max_concurrent
from .replies import Reply, links_page, page

HOST = "127.0.14.1"  # neither a zoo target nor an off-scope listener address
CONNECTIONS, RATE = 4, 10.0  # the defaults the issue states
# Arrival times jitter around the limiter's schedule: a thread that wakes late for
# its slot (a busy two-core machine) arrives next to the following one, so two
# requests of slack in a two-second window (21 on the schedule), and 50 ms to
# notice a close. A limiter that ignored the rate would show dozens.
WINDOW = 2.0
CLOSE_SLACK = 0.05

pytestmark = pytest.mark.slow  # ten requests a second, by design: about a minute


def small_site() -> dict[str, Reply]:
    pages = {f"/layanan/{n}": page(f"<html><head><title>Layanan {n}</title></head>"
                                   f"<body><p>Informasi layanan {n}</p></body></html>")
             for n in range(5)}
    return {"/": links_page(list(pages), "Portal"), **pages,
            "/robots.txt": Reply(200, (("Content-Type", "text/plain"),),
                                 b"User-agent: *\nDisallow: /admin/\n")}


def test_default_politeness_holds_on_the_wire(ca: CertificateAuthority, ca_file: Path,
                                              tmp_path: Path) -> None:
    # Given a counting keep-alive HTTPS site on its own host, in its own process
    cert, key = ca.issue([HOST]).write(tmp_path, "polite")
    with CountingSite(small_site, HOST, str(cert), str(key)) as site:
        # When every family scans it with the default politeness
        request = build_request([site.url("/")], overrides={
            "ca_bundle": str(ca_file), "target_deadline": 240.0, "deadline": 300.0})
        assert (request.options.connections, request.options.rate) == (CONNECTIONS, RATE)
        report = run_audit(request, workdir=tmp_path)
    tally = site.tally
    assert tally is not None, "the counting server did not report"
    # Then the scan did reach the server, over HTTP and TLS
    assert report.outcomes and len(tally.request_times) > 20
    # And never held more than 4 connections open at once
    most = max_concurrent(tally.intervals, CLOSE_SLACK)
    assert most <= CONNECTIONS, (
        f"{most} connections open at once ({tally.accepted} connections in all)")
    # And never sent more than 10 requests a second
    busiest = busiest_window(tally.request_times, WINDOW)
    assert busiest <= RATE * WINDOW + 2, (
        f"{busiest} requests within {WINDOW:g} s ({len(tally.request_times)} in all)")
