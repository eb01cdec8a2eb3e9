"""Notifications received by real local servers: a webhook and an SMTP server with STARTTLS."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from egov_audit.demo.pki import CertificateAuthority
from egov_audit.errors import InputError
from egov_audit.notify import (
    Email,
    Notifications,
    Webhook,
    deliver,
    settings_from_config,
    summarise,
)

from ..factories import make_finding, make_outcome, make_report, make_target

PORTAL = make_target("https://portal.example.go.id/", name="Portal", opd="Diskominfo")
LEAK = make_finding("pii.nik_exposed", PORTAL.spec, location=PORTAL.spec + "cari?nik=3171****01",
                    evidence="NIK 3171****0001 in a table", id="d" * 20)
REPORT = make_report([make_outcome(PORTAL, [LEAK])], id="run-notify-0001")


class Hook(ThreadingHTTPServer):
    received: list[dict[str, Any]]
    status = 200


class _Handler(BaseHTTPRequestHandler):
    server: Hook

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.received.append({"path": self.path, "json": json.loads(body)})
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def hook() -> Iterator[Hook]:
    server = Hook(("127.0.0.1", 0), _Handler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def smtp(ca: CertificateAuthority, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """An aiosmtpd server on loopback; with STARTTLS required unless the test says plain."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    class Keep(Sink):
        def __init__(self) -> None:
            self.messages: list[Any] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.messages.append((envelope.mail_from, envelope.rcpt_tos,
                                  envelope.content.decode("utf-8"), session.ssl is not None))
            return "250 OK"

    plain = getattr(request, "param", "tls") == "plain"
    kwargs: dict[str, Any] = {}
    if not plain:
        cert, key = ca.issue(["127.0.0.1", "localhost"]).write(tmp_path / "smtp", "smtp")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert), str(key))
        kwargs = {"tls_context": context, "require_starttls": True}
    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), **kwargs)
    controller.start()
    controller.messages = handler.messages  # type: ignore[attr-defined]
    yield controller
    controller.stop()


def test_the_webhook_receives_a_summary_without_any_identifier(hook: Hook) -> None:
    # Given a run with a personal-data finding that failed the gate
    summary = summarise(REPORT, gate_failed=True, gate_reasons=["1 finding(s) at or above "
                                                                "the gate"],
                        reports="/srv/egov-audit/reports/x")
    # When it is delivered to a chat webhook on loopback
    url = f"http://127.0.0.1:{hook.server_address[1]}/hooks/SECRET-TOKEN"
    outcome = deliver(summary, Notifications(webhook=Webhook(url)))
    # Then the hook got one JSON POST with a text chat tools show
    assert outcome.sent and [d.ok for d in outcome.deliveries] == [True]
    [got] = hook.received
    assert got["path"] == "/hooks/SECRET-TOKEN"
    text = got["json"]["text"]
    assert "run-notify-0001" in text and "gate: FAILED" in text and "/srv/egov-audit" in text
    assert got["json"]["egov_audit"]["open_by_severity"]["medium"] == 1
    # And nothing a target sent: no evidence, no location, no masked identifier
    body = json.dumps(got["json"])
    for leaked in ("3171", "cari?nik", "NIK", "portal.example.go.id"):
        assert leaked not in body


def test_e_mail_goes_through_starttls(smtp: Any, ca_file: Path) -> None:
    summary = summarise(REPORT, gate_failed=True)
    email = Email(host="127.0.0.1", port=smtp.port, sender="audit@kota.example.go.id",
                  recipients=("csirt@kota.example.go.id",), ca_bundle=str(ca_file))
    outcome = deliver(summary, Notifications(email=email))
    assert [d.ok for d in outcome.deliveries] == [True], outcome
    [(sender, rcpts, content, over_tls)] = smtp.messages
    assert sender == "audit@kota.example.go.id" and rcpts == ["csirt@kota.example.go.id"]
    assert over_tls  # the server requires STARTTLS, and the session was encrypted
    assert "Subject: egov-audit: gate FAILED in run run-noti" in content
    assert "3171" not in content


@pytest.mark.parametrize("smtp", ["plain"], indirect=True)
def test_no_starttls_means_no_mail_and_no_exception(smtp: Any) -> None:
    email = Email(host="127.0.0.1", port=smtp.port, sender="a@kota.example.go.id",
                  recipients=("b@kota.example.go.id",))
    outcome = deliver(summarise(REPORT, gate_failed=True), Notifications(email=email))
    [failed] = outcome.deliveries
    assert not failed.ok and "does not offer STARTTLS" in (failed.error or "")
    assert smtp.messages == []


def test_a_failing_channel_is_reported_never_raised_and_hides_the_hook_token(hook: Hook) -> None:
    hook.status = 500
    port = hook.server_address[1]
    refused = _free_port()
    settings = Notifications(webhook=Webhook(f"http://127.0.0.1:{port}/hooks/TOKEN123"))
    [answer] = deliver(summarise(REPORT, gate_failed=True), settings).deliveries
    assert not answer.ok and "HTTP 500" in (answer.error or "")
    settings = Notifications(webhook=Webhook(f"http://127.0.0.1:{refused}/hooks/TOKEN123",
                                             timeout=2))
    [down] = deliver(summarise(REPORT, gate_failed=True), settings).deliveries
    assert not down.ok and "TOKEN123" not in (down.error or "")


def test_only_changes_or_a_failed_gate_are_worth_a_message(hook: Hook) -> None:
    url = f"http://127.0.0.1:{hook.server_address[1]}/h"
    quiet = replace(REPORT, extensions={"history": {
        "previous_run": "r0", "previous_started_at": "", "new": [], "regressed": [],
        "still_open": [LEAK.id], "fixed": [], "not_rechecked": []}})
    assert not deliver(summarise(quiet, gate_failed=False),
                       Notifications(webhook=Webhook(url))).sent
    assert deliver(summarise(quiet, gate_failed=True), Notifications(webhook=Webhook(url))).sent
    assert deliver(summarise(quiet, gate_failed=False),
                   Notifications(when="always", webhook=Webhook(url))).sent
    assert not deliver(summarise(REPORT, gate_failed=False),
                       Notifications(when="gate", webhook=Webhook(url))).sent
    assert len(hook.received) == 2


def test_settings_are_validated_naming_the_key() -> None:
    parsed = settings_from_config({"when": "gate", "webhook": {"url": "https://c.invalid/h"},
                                   "email": {"host": "smtp.invalid", "from": "a@x.invalid",
                                             "to": "b@x.invalid", "port": 465,
                                             "starttls": True}}, "audit.toml")
    assert parsed is not None and parsed.email is not None
    assert parsed.email.recipients == ("b@x.invalid",) and parsed.when == "gate"
    for bad, key in (({"when": "sometimes"}, "when"), ({"webhook": {"url": "ftp://x"}},
                                                       "webhook"),
                     ({"email": {"host": "h", "from": "f"}}, "email"),
                     ({"email": {"host": "h", "from": "f", "to": ["t"], "port": 0}},
                      "email.port")):
        with pytest.raises(InputError, match=f"notifications.{key} is not valid"):
            settings_from_config(bad, "audit.toml")
    assert settings_from_config(None) is None


def test_a_receiver_that_drips_its_answer_cannot_hold_the_run() -> None:
    # Given a webhook that answers one header byte every second, each read well
    # within the per-read timeout, forever
    from tests.rawserver import RawServer

    def drip(conn: socket.socket, server: RawServer) -> None:
        conn.recv(65536)
        with contextlib.suppress(OSError):
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            for _ in range(600):
                conn.sendall(b"X")
                time.sleep(1)

    with RawServer(drip) as server:
        url = f"http://127.0.0.1:{server.port}/hooks/TOKEN123"
        start = time.monotonic()
        # When the summary is delivered with a 2 s read timeout
        outcome = deliver(summarise(REPORT, gate_failed=True),
                          Notifications(webhook=Webhook(url, timeout=2)))
        # Then the channel gives up at its total deadline (timeout + 5 s), with why
        assert time.monotonic() - start < 2 + 5 + 3
    (delivery,) = outcome.deliveries
    assert not delivery.ok and "did not finish within 7 s" in str(delivery.error)
    assert "TOKEN123" not in str(delivery.error)
