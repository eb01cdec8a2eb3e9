"""``egov-audit serve`` as a real process on a loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

# The serve command itself (not yet wired into the command group here, so
# the module is run directly; 'egov-audit serve' runs the same function).
SERVE = [sys.executable, "-c", "from egov_audit.cli.serve_cmd import serve; serve()"]
STARTUP_S = 60.0


@contextmanager
def serve_process(history: str, *extra: str, log: Path) -> Iterator[str]:
    """Start the dashboard on 127.0.0.1 with a port the OS picks; yield its base URL."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    args: Sequence[str] = [*SERVE, "--history", history, "--host", "127.0.0.1", "--port", "0",
                           *extra]
    with log.open("wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            match = re.search(r"on (http://127\.0\.0\.1:\d+/)", log.read_text("utf-8", "replace"))
            if match:
                yield match.group(1)
                return
            if proc.poll() is not None:
                raise AssertionError(f"serve exited {proc.returncode}: {log.read_text()}")
            time.sleep(0.1)
        raise AssertionError(f"serve did not start within {STARTUP_S} s: {log.read_text()}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
