"""Server text on the terminal: escape sequences, bidi overrides and forged lines stay inert.

A scanned server controls URLs, header values, titles and error messages. Given
such text with window-title, clear-screen and OSC 8 hyperlink sequences, C1
controls, bidi overrides and a newline before a fake "ALL CLEAR", when scan,
diff, the progress display or an error message prints it, then no raw control
or format character reaches the output and the text shows as visible escapes.
"""

from __future__ import annotations

import io
import json
import re
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from egov_audit.cli import main
from egov_audit.cli.common import handle_errors, print_summary
from egov_audit.cli.progress import PlainProgress, RichProgress
from egov_audit.cli.terminal import clean, json_text, plain
from egov_audit.errors import InputError
from egov_audit.model import Severity, TargetOutcome, TargetStatus
from egov_audit.result_io import dumps

from ..factories import make_finding, make_outcome, make_report, make_target

EVIL = ("\x1b]0;PWNED\x07\x1b[2J\x1b]8;;http://evil.invalid/\x07click\x1b]8;;\x07"
        "\x9b31m\x9d0;t\x9c\u202eevil\u2066\u200b\x7f\nALL CLEAR [bold red]ok[/]")

# What must never reach a terminal raw: C0 (except the newline and tab we print
# ourselves), DEL, C1, and the invisible format characters that reorder or hide text.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def assert_inert(output: str) -> None:
    found = RAW.search(output)
    assert found is None, f"raw {found.group()!r} in output: {output!r}"
    assert not any(line.startswith("ALL CLEAR") for line in output.splitlines()), output


# --- the neutraliser itself -------------------------------------------------------------

@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
    ("\x1b[2J", "\\x1b[2J"),
    ("\x9b2J", "\\x9b2J"),
    ("a\u202eb\u2067c", "a\\u202eb\\u2067c"),
    ("x\u200by\ufeff", "x\\u200by\\ufeff"),
    ("one\ntwo\rthree\tfour", "one\\ntwo\\rthree\\tfour"),
    ("del\x7f", "del\\x7f"),
    ("\U000e0041tag", "\\U000e0041tag"),
])
def test_controls_and_format_characters_become_visible_escapes(raw: str, shown: str) -> None:
    assert clean(raw) == shown


def test_ordinary_text_is_unchanged() -> None:
    text = "Dinas Dukcapil → Layanan é ü 日本 https://127.0.0.1:8443/a?b=c#d [x]"
    assert clean(text) == text


def test_plain_escapes_rich_markup() -> None:
    from rich.console import Console

    console = Console(file=io.StringIO(), color_system=None, width=200)
    console.print(plain("[bold red]ALL CLEAR[/] \x1b]0;t\x07"))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "[bold red]ALL CLEAR[/]" in out
    assert_inert(out)


def test_json_for_the_terminal_is_valid_json_with_the_same_content() -> None:
    data = {"location": EVIL, "astral": "\U000e0041", "lone": "\ud800"}
    text = json_text(data)
    assert_inert(text)
    assert json.loads(text) == data


# --- what the commands print ------------------------------------------------------------

def hostile_report() -> object:
    spec = "https://portal.example.go.id/"
    found = make_finding("https.hsts_missing", spec, Severity.HIGH, location=spec + EVIL)
    ok = make_outcome(make_target(spec), [found])
    failed = TargetOutcome(make_target("https://svc.example.go.id/"), TargetStatus.ERROR,
                           f"redirect refused: {EVIL}", (), (), ())
    return make_report([ok, failed])


def test_summary_neutralises_locations_and_target_errors(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    print_summary(hostile_report(), [Path("out") / "result.json"])  # type: ignore[arg-type]
    err = capsys.readouterr().err
    assert_inert(err)
    assert "\\x1b]0;PWNED\\x07" in err  # shown, not swallowed: the officer sees the attempt
    assert "redirect refused: \\x1b]0;PWNED" in err


def test_plain_progress_neutralises_specs_and_warnings(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    progress = PlainProgress()
    progress.run_started(1, 1)
    progress.target_finished(make_outcome(make_target("https://a.example.go.id/" + EVIL)))
    progress.warning(f"probe tls could not prepare: {EVIL}")
    err = capsys.readouterr().err
    assert_inert(err)
    assert "\\u202eevil" in err


def test_rich_progress_warning_is_neither_markup_nor_escape_codes() -> None:
    from rich.console import Console
    from rich.progress import Progress

    buffer = io.StringIO()
    progress = RichProgress()
    progress._progress = Progress(console=Console(file=buffer, color_system=None, width=300))
    progress.warning(f"probe could not prepare: {EVIL}")
    out = buffer.getvalue()
    assert "[bold red]ok[/]" in out  # literal: the server's markup was not interpreted
    assert_inert(out)


def test_error_messages_quoting_server_text_are_neutralised() -> None:
    @click.command()
    @handle_errors
    def fails() -> None:
        raise InputError(f"cannot follow {EVIL}", source="targets.txt")

    result = CliRunner().invoke(fails, [])
    assert result.exit_code == 2
    assert_inert(result.output)
    assert "cannot follow \\x1b]0;PWNED" in result.output


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_diff_neutralises_stored_server_text(tmp_path: Path, fmt: str) -> None:
    # Given two stored results whose new finding's location came from a hostile server
    spec = "https://portal.example.go.id/"
    base = make_report([make_outcome(make_target(spec), [])])
    found = make_finding("https.hsts_missing", spec, Severity.HIGH, location=spec + EVIL)
    current = make_report([make_outcome(make_target(spec), [found])], id="run-2")
    (tmp_path / "a.json").write_text(dumps(base), encoding="utf-8")
    (tmp_path / "b.json").write_text(dumps(current), encoding="utf-8")
    # When diff prints them
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "a.json"),
                                       str(tmp_path / "b.json"), "--format", fmt,
                                       "--fail-on", "none"])
    # Then nothing raw reaches the terminal, and the JSON still carries the exact text
    assert result.exit_code == 0, result.output
    assert_inert(result.output)
    if fmt == "json":
        assert json.loads(result.stdout)["new"][0]["location"] == spec + EVIL
    else:
        assert "\\x1b]0;PWNED" in result.output


# --- a real scan of a hostile loopback server -------------------------------------------

EVIL_BYTES = EVIL.encode("utf-8")


class _HostileHandler(socketserver.BaseRequestHandler):
    """Answers every request with raw hostile bytes in Server, Location and the title."""

    def handle(self) -> None:
        self.request.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            data += chunk
        path = data.split(b" ", 2)[1] if data.count(b" ") >= 2 else b"/"
        head = b"HTTP/1.1 200 OK\r\n"
        extra = b""
        if path.startswith(b"/r"):
            head = b"HTTP/1.1 302 Found\r\n"
            extra = b"Location: /next" + EVIL_BYTES.replace(b"\n", b"") + b"\r\n"
        body = (b"<html><head><title>" + EVIL_BYTES + b"</title></head><body>"
                b"<a href=\"/p" + EVIL_BYTES.replace(b"\n", b"") + b"\">x</a></body></html>")
        self.request.sendall(
            head + b"Server: nginx/1.18.0 " + EVIL_BYTES.replace(b"\n", b"") + b"\r\n" + extra
            + b"Content-Type: text/html; charset=utf-8\r\nConnection: close\r\n"
            + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


@pytest.fixture
def hostile() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _HostileHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()


def test_scan_of_a_hostile_server_prints_nothing_raw(hostile: str, tmp_path: Path) -> None:
    # Given a loopback server putting escape sequences in Server, Location and the title
    # When scan runs with progress and summary (CliRunner is not a TTY: plain lines)
    result = CliRunner().invoke(main, [
        "scan", "--checks", "https,disclosure,hygiene,integrity", "--rate", "200",
        "--fail-on", "none", "-o", str(tmp_path), f"{hostile}/", f"{hostile}/r"])
    # Then the run completes and its output holds no raw control or format character
    assert result.exit_code in (0, 3), result.output
    assert_inert(result.output)
    # ... although the hostile text did reach the result the summary is made from
    assert "PWNED" in (tmp_path / "result.json").read_text(encoding="utf-8")
