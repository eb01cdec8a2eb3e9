"""Fixtures for the network family: a real redis-server and nmap, on loopback only."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

NMAP = shutil.which("nmap")
REDIS = shutil.which("redis-server")

needs_nmap = pytest.mark.skipif(NMAP is None, reason="nmap is not installed "
                                "(apt-get install nmap)")
needs_redis = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed "
                                 "(apt-get install redis-server)")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"redis-server did not listen on {port}")


class RedisServers:
    """Starts real redis-server processes on free loopback ports; stops them all."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._procs: list[subprocess.Popen[bytes]] = []

    def start(self, *extra: str) -> int:
        assert REDIS is not None
        port = free_port()
        proc = subprocess.Popen(
            [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
             "--dir", str(self.workdir), *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._procs.append(proc)
        _wait_listening(port, proc)
        return port

    def stop(self) -> None:
        for proc in self._procs:
            proc.terminate()
        for proc in self._procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def redis_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServers]:
    if REDIS is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    servers = RedisServers(tmp_path_factory.mktemp("redis"))
    yield servers
    servers.stop()
