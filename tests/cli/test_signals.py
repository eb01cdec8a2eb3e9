"""The process ends when it should: on SIGTERM with the partial report, at once
on a second signal, and at the target deadline against a server that drips.

These run ``python -m egov_audit`` (or a small script) in a child process and
signal it for real: only a real process shows whether it exits. Servers are
raw sockets on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from egov_audit.cli.signals import SECOND_SIGNAL_MESSAGE

from ..engine.slow_servers import DripServer, HangingServer

# Slack for a busy 2-core machine; the interpreter start alone can take seconds.
MARGIN_S = 10.0


def scan(url: str, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "egov_audit", "scan", url, "--checks", "disclosure",
         "--fail-on", "none", "--timeout", "60", "-q", "-o", str(out), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ),
    )


def result(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "result.json").read_text(encoding="utf-8"))
    return data


def test_sigterm_writes_the_partial_report_and_exits_130(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with HangingServer() as stuck:
        # Given a scan blocked on a server that never answers
        proc = scan(stuck.url("/"), out)
        try:
            assert stuck.wait_for_connections(1, timeout=60), proc.stderr
            # When a scheduler stops it with SIGTERM
            signalled = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            status = proc.wait(timeout=60)
            elapsed = time.monotonic() - signalled
        finally:
            proc.kill()
            proc.communicate()
    # Then it exits 130 promptly, and the result says what happened
    assert status == 130
    assert elapsed < MARGIN_S
    data = result(out)
    assert data["run"]["interrupted"] is True
    (outcome,) = data["targets"]
    assert "interrupted" in outcome["error"]


SLOW_TO_FINISH = """
import sys, time
from egov_audit.cli.signals import graceful_interrupts
with graceful_interrupts():
    try:
        print("ready", flush=True)
        time.sleep(120)
    except KeyboardInterrupt:
        print("stopping", flush=True)  # a report that takes long to write
        time.sleep(120)
sys.exit(0)
"""


def test_a_second_signal_exits_at_once() -> None:
    # Given a process that took the first signal as Ctrl-C and is slow to finish
    proc = subprocess.Popen([sys.executable, "-c", SLOW_TO_FINISH], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ))
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        proc.send_signal(signal.SIGTERM)
        assert proc.stdout.readline() == b"stopping\n"
        # When a second signal comes
        signalled = time.monotonic()
        proc.send_signal(signal.SIGINT)
        status = proc.wait(timeout=60)
        elapsed = time.monotonic() - signalled
        _, err = proc.communicate()
    finally:
        proc.kill()
    # Then it leaves at once, with status 130 and one line saying so
    assert status == 130
    assert elapsed < MARGIN_S
    assert err == SECOND_SIGNAL_MESSAGE


def test_a_dripping_target_ends_at_its_deadline_and_the_scan_exits_3(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with DripServer() as drip:
        # Given a server that answers one byte a second, and a 3 s target deadline
        started = time.monotonic()
        proc = scan(drip.url("/"), out, "--target-deadline", "3", "--deadline", "15")
        try:
            status = proc.wait(timeout=15 + 60)
            elapsed = time.monotonic() - started
        finally:
            proc.kill()
            _, err = proc.communicate()
    # Then the scan ends before the run's deadline would have ended it, incomplete (3),
    # with the result written and the target's deadline named as the reason
    assert status == 3, err
    assert elapsed < 15 + MARGIN_S
    (outcome,) = result(out)["targets"]
    assert outcome["status"] in {"error", "partial"}
    assert outcome["error"].startswith("did not finish within its deadline of 3 s")


LEFT_BEHIND = """
import threading, time
from egov_audit.cli.signals import exit_promptly
from egov_audit.workers import DaemonTask
# An ordinary thread such as a plugin's ThreadPoolExecutor leaves, blocked for minutes,
threading.Thread(target=time.sleep, args=(300,)).start()
# inside work the runner walked away from.
DaemonTask(time.sleep, 300).abandon()
exit_promptly(3)
"""


def test_exit_is_prompt_even_when_abandoned_work_left_an_ordinary_thread() -> None:
    proc = subprocess.Popen([sys.executable, "-c", LEFT_BEHIND], env=dict(os.environ))
    try:
        status = proc.wait(timeout=60)
    finally:
        proc.kill()
    assert status == 3
