"""Real Redis and real Celery workers for the distributed tests.

Each test gets its own ``redis-server`` on a random loopback port (no
persistence, in a temporary directory) and starts workers as subprocesses
(``python -m egov_audit.distributed``), each in its own process group so a
test can SIGKILL a whole worker like a machine that died. Everything started
here is stopped at the end of the test, whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("celery")
pytest.importorskip("redis")

REDIS = shutil.which("redis-server")
STARTUP_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RedisServer:
    url: str
    process: subprocess.Popen[bytes]

    def client(self) -> Any:
        import redis

        return redis.Redis.from_url(self.url, decode_responses=True)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if REDIS is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    port = free_port()
    data = tmp_path / "redis"
    data.mkdir()
    process = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(data), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = RedisServer(f"redis://127.0.0.1:{port}/0", process)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if server.client().ping():
                    break
            except Exception:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@dataclass
class WorkerProcess:
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL the worker and its pool: a machine that died mid-run."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def children(self) -> list[int]:
        """The pool processes (one per --concurrency) of this worker."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []


@dataclass
class Workers:
    broker: str
    tmp: Path
    started: list[WorkerProcess] = field(default_factory=list)

    def start(self, *, concurrency: int = 1, visibility_timeout: float = 600,
              pool: str = "threads", wait: bool = True) -> WorkerProcess:
        log = self.tmp / f"worker{len(self.started)}.log"
        env = {**os.environ, "EGOV_AUDIT_SALT": os.environ["EGOV_AUDIT_SALT"],
               "EGOV_AUDIT_BROKER": self.broker}
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "egov_audit.distributed", "-c", str(concurrency),
                 "--pool", pool,
                 "--visibility-timeout", str(visibility_timeout), "--loglevel", "INFO",
                 "-n", f"w{len(self.started)}@%h"],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        worker = WorkerProcess(process, log)
        self.started.append(worker)
        if wait:
            self.wait_ready(worker, pool=pool)
        return worker

    def wait_ready(self, worker: WorkerProcess, *, pool: str = "threads") -> None:
        deadline = time.monotonic() + STARTUP_S
        while b"ready." not in worker.log.read_bytes():
            if worker.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("worker did not start:\n"
                                     + worker.log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        deadline = time.monotonic() + 30
        while pool == "prefork" and not worker.children() and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop_all(self) -> None:
        for worker in self.started:
            if worker.process.poll() is None:
                os.killpg(worker.process.pid, signal.SIGTERM)
        for worker in self.started:
            try:
                worker.process.wait(15)
            except subprocess.TimeoutExpired:
                worker.kill()
            # Pool processes left behind by a killed parent share its group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.process.pid, signal.SIGKILL)


@pytest.fixture
def workers(redis_server: RedisServer, tmp_path: Path) -> Iterator[Workers]:
    pool = Workers(redis_server.url, tmp_path)
    try:
        yield pool
    finally:
        pool.stop_all()


WaitFn = Callable[[Callable[[], bool], float], bool]


def eventually(condition: Callable[[], bool], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
