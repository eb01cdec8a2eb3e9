"""The zoo in a process of its own, as hostile servers are in real life.

Inside the scanner's process, the zoo's Python servers (streaming bombs as fast
as they can, flooding 1xx lines, dripping) share one interpreter lock with the
scanner; with sixty of them the scanner's own runner thread was measured frozen
for ten seconds at a time, a cost no remote server can impose. So the timing
tests run the zoo here, in a child process: it mints its own CA (keys do not
cross processes), starts every behaviour, and answers the parent's questions
over a pipe until it is told to stop.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Iterable
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType

START_TIMEOUT_S = 120.0


def _serve(conn: Connection, workdir: str, names: list[str] | None) -> None:
    from egov_audit.demo.pki import CertificateAuthority

    from .zoo import Zoo

    ca = CertificateAuthority.create("egov-audit hostile zoo CA")
    ca_file = ca.write_cert(Path(workdir) / "zoo-ca.pem")
    zoo = Zoo(ca, Path(workdir), names)
    try:
        zoo.start()
        conn.send((dict(zoo.urls), str(ca_file)))
        while True:
            command = conn.recv()
            if command == "offscope":
                conn.send(zoo.offscope_connections())
            elif command == "stop":
                break
    except EOFError:  # the parent went away
        pass
    finally:
        zoo.stop()
        conn.close()


class ZooProcess:
    """``with ZooProcess(workdir) as zoo``: ``zoo.urls``, ``zoo.ca_file``,
    ``zoo.offscope_connections()``, like :class:`.zoo.Zoo`."""

    def __init__(self, workdir: Path, names: Iterable[str] | None = None) -> None:
        self.workdir = workdir
        self.names = list(names) if names is not None else None
        self.urls: dict[str, str] = {}
        self.ca_file = ""
        context = multiprocessing.get_context("spawn")  # the parent runs threads
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, str(workdir), self.names),
                                        name="hostile-zoo", daemon=True)

    def start(self) -> ZooProcess:
        self._process.start()
        if not self._conn.poll(START_TIMEOUT_S):
            self.stop()
            raise RuntimeError(f"the zoo did not start within {START_TIMEOUT_S:g} s")
        self.urls, self.ca_file = self._conn.recv()
        return self

    def offscope_connections(self) -> dict[str, int]:
        self._conn.send("offscope")
        counts: dict[str, int] = self._conn.recv()
        return counts

    def stop(self) -> None:
        if self._process.is_alive():
            with contextlib.suppress(OSError):  # it already stopped listening
                self._conn.send("stop")
            self._process.join(30)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(5)
        self._conn.close()

    def __enter__(self) -> ZooProcess:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
