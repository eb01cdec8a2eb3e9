"""Without a prepared batch (a distributed worker), targets asking together share one nmap run."""

from __future__ import annotations

import threading
import time
from typing import Any, cast

from egov_audit.model import Target
from egov_audit.options import ScanOptions
from egov_audit.probes.base import ProbeEnv, ProbeError, ProbeSession
from egov_audit.probes.ports import PortProbe, PortScan
from egov_audit.scope import Scope

from .conftest import needs_nmap
from .counting import CountingListeners

pytestmark = needs_nmap
HOSTS = ("127.0.0.9", "127.0.0.10", "127.0.0.11")  # addresses no other test uses


def test_targets_asking_together_share_one_nmap_run_and_each_gets_its_host() -> None:
    listeners = [CountingListeners(host, 2).start() for host in HOSTS]
    try:
        ports = sorted({p for lst in listeners for p in lst.ports})
        opts = ScanOptions(settings={"network": {"ports": ports}})
        env = ProbeEnv(options=opts, scope=Scope.of(HOSTS), http=cast(Any, None),
                       deadline=time.monotonic() + 120)
        probe = PortProbe()  # never prepared, as on a worker
        results: dict[str, PortScan | ProbeError] = {}

        def collect(host: str) -> None:
            target = Target(spec=f"http://{host}:1/", host=host, http_url=f"http://{host}:1/",
                            https_url=None)
            session = ProbeSession(target, env, {"network.ports": probe}, {})
            try:
                results[host] = session.get(PortScan)
            except ProbeError as exc:
                results[host] = exc

        # When three targets on three hosts ask for their port scan at about the same time
        threads = [threading.Thread(target=collect, args=(h,)) for h in HOSTS]
        for thread in threads:
            thread.start()
            time.sleep(0.2)
        for thread in threads:
            thread.join(150)
        # Then each got its own host's open ports
        for host, lst in zip(HOSTS, listeners, strict=True):
            scan = results[host]
            assert isinstance(scan, PortScan), scan
            assert scan.host == host
            assert sorted(p.port for p in scan.open_ports) == sorted(lst.ports)
        # from one nmap invocation over all three hosts
        commands = {cast(PortScan, results[h]).command for h in HOSTS}
        assert len(commands) == 1, commands
        command = commands.pop()
        assert all(host in command for host in HOSTS), command
    finally:
        for lst in listeners:
            lst.stop()
