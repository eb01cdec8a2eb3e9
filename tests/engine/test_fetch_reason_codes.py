"""Each fetch the HTTP client makes says why it failed with a code, next to its text.

Real fetches against loopback servers that misbehave on purpose; the code is
set where the failure happens, never read back from the message.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from egov_audit.demo.server import html, redirect
from egov_audit.model import Reason
from egov_audit.options import ScanOptions
from egov_audit.probes.base import ProbeError
from egov_audit.probes.http import HttpClient, HttpResponse, reason_in, unanswered
from egov_audit.scope import Scope

from ..conftest import ServeFn
from ..rawserver import RawServer


def client(**options: object) -> HttpClient:
    opts = ScanOptions(rate=200.0, timeout=2.0).with_overrides(options)
    return HttpClient(opts, Scope.of(["127.0.0.1"]))


@pytest.fixture
def raw() -> Iterator[list[RawServer]]:
    started: list[RawServer] = []
    yield started
    for server in started:
        server.stop()


def answering(started: list[RawServer], response: bytes) -> RawServer:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.send(conn, response)

    server = RawServer(behaviour).start()
    started.append(server)
    return server


def test_an_answer_carries_no_code(serve: ServeFn) -> None:
    site = serve({"/": html("hello")})
    resp = client().fetch(site.url("/"))
    assert resp.status == 200 and resp.error is None and resp.reason_code is None


def test_a_url_outside_the_scope_is_out_of_scope_and_never_sent(serve: ServeFn) -> None:
    site = serve({"/": redirect("http://127.0.0.2:9/elsewhere")})
    http = client()
    # a URL outside the scope is refused before anything is sent
    refused = http.fetch("http://127.0.0.2:9/")
    assert refused.reason_code is Reason.OUT_OF_SCOPE
    assert refused.error == "URL is outside the audit scope"
    # a URL that cannot be sent as written is refused with its own code
    odd = http.fetch(site.url("/a\\b"))
    assert odd.reason_code is Reason.URL_REFUSED and (odd.error or "").startswith("URL refused")
    # a redirect out of the scope is an answer (recorded, not followed), not an error
    left = http.fetch(site.url("/"))
    assert left.status == 301 and left.left_scope and left.reason_code is None


def test_a_redirect_loop_is_too_many_redirects(serve: ServeFn) -> None:
    site = serve({"/a": redirect("/b"), "/b": redirect("/a")})
    resp = client(max_redirects=3).fetch(site.url("/a"))
    assert resp.error == "more than 3 redirects"
    assert resp.reason_code is Reason.TOO_MANY_REDIRECTS


def test_a_spent_request_budget_is_over_budget(serve: ServeFn) -> None:
    site = serve({"/": html("hello"), "/b": html("b")})
    http = client(request_budget=1)
    assert http.fetch(site.url("/")).reason_code is None
    cut = http.fetch(site.url("/b"))
    assert cut.status is None and cut.over_budget
    assert cut.reason_code is Reason.OVER_BUDGET
    assert (cut.error or "").startswith("skipped: request budget of 1 for host 127.0.0.1")


def test_an_unverifiable_certificate_is_cert_unverified(serve: ServeFn) -> None:
    site = serve({"/": html("hello")}, tls=True)  # the session's private CA, not trusted here
    resp = client().fetch(site.url("/"))
    assert resp.reason_code is Reason.CERT_UNVERIFIED
    assert (resp.error or "").startswith("TLS certificate verification failed")


def test_a_refused_connection_is_connection_refused(serve: ServeFn) -> None:
    dead = serve()
    url = dead.url("/")
    dead.stop()
    resp = client().fetch(url)
    assert resp.error == "connection refused" and resp.reason_code is Reason.CONNECTION_REFUSED


def test_plain_text_where_a_tls_handshake_was_expected_is_tls_failed(
        raw: list[RawServer]) -> None:
    def behaviour(conn: socket.socket, server: RawServer) -> None:
        conn.recv(4096)  # the ClientHello (it has no blank line to wait for)
        server.send(conn, b"HTTP/1.1 400 Bad Request\r\n\r\nnot TLS here\r\n")

    server = RawServer(behaviour).start()
    raw.append(server)
    resp = client().fetch(server.url("/", scheme="https"))
    assert resp.error == "TLS handshake failed"
    assert resp.reason_code is Reason.TLS_FAILED


def test_garbage_instead_of_http_is_a_malformed_response(raw: list[RawServer]) -> None:
    server = answering(raw, b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
    resp = client().fetch(server.url("/"))
    assert resp.error == "not an HTTP response"
    assert resp.reason_code is Reason.MALFORMED_RESPONSE


def test_a_header_line_beyond_the_bound_is_response_too_large(raw: list[RawServer]) -> None:
    server = answering(raw, b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n")
    resp = client().fetch(server.url("/"))
    assert resp.error == "response headers too large"
    assert resp.reason_code is Reason.RESPONSE_TOO_LARGE


def test_a_connection_closed_without_an_answer_is_connection_failed(
        raw: list[RawServer]) -> None:
    server = answering(raw, b"")  # reads the request, closes without a word
    resp = client().fetch(server.url("/"))
    # (closed or reset, as the loopback stack happens to end it: both are this code)
    assert resp.error in {"connection closed by the server", "connection reset by the server"}
    assert resp.reason_code is Reason.CONNECTION_FAILED


def test_a_probe_that_quotes_a_fetch_error_carries_its_code(serve: ServeFn) -> None:
    # Given a probe's "no answer at all" error built from real failed fetches
    dead = serve()
    url = dead.url("/")
    dead.stop()
    failed = client().fetch(url)
    error = unanswered("no answer to the not-found probes", [failed])
    # Then the error carries the fetch's code and keeps the fetch's words
    assert isinstance(error, ProbeError)
    assert error.code is Reason.CONNECTION_REFUSED
    assert str(error) == "no answer to the not-found probes: connection refused"


def test_text_without_a_code_is_classified_by_the_clients_own_phrases() -> None:
    # Probes that word a fetch error into their own message, without a code
    # (and plugins written before codes), are classified on the client's phrases.
    assert reason_in("https://x.invalid/: TLS certificate verification failed: "
                     "self-signed certificate") is Reason.CERT_UNVERIFIED
    assert reason_in("no response from the target (http://x.invalid/: connection refused; "
                     "https://x.invalid/: TLS certificate verification failed: expired)"
                     ) is Reason.CERT_UNVERIFIED  # the certificate decides, as before codes
    assert reason_in("x.invalid:443: the TLS scan had not finished when the target's "
                     "deadline was reached") is Reason.DEADLINE
    assert reason_in("something a plugin says") is Reason.OTHER
    assert reason_in("something a plugin says", default=Reason.PROBE_FAILED) \
        is Reason.PROBE_FAILED
    # and a response made with only a message (a test, a plugin) gets its code too
    made = HttpResponse("GET", "http://x.invalid/", "http://x.invalid/", None,
                        error="skipped: request budget of 5 for host x.invalid reached")
    assert made.over_budget and made.reason_code is Reason.OVER_BUDGET
