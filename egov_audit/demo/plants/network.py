"""Planted problems for the network checks.

* SIKD (Sistem Informasi Keuangan Daerah): its web server shares a host with an
  old MySQL (5.5, end of life) and a Redis that answers INFO to anyone, both on
  their standard ports, the way such servers are often found on the internet.

The host is a second loopback address (127.0.0.3, or the next free one), so
the standard ports 3306 and 6379 are free even when the machine runs its own
MySQL or Redis on 127.0.0.1. The listeners only imitate the first bytes of
each protocol (see :mod:`egov_audit.demo.tcp`); nothing is stored. Without
nmap the network checks report SKIPPED and the rest of the demo is unchanged.
"""

from __future__ import annotations

from typing import Any

from ...model import Service
from .. import tcp
from ..portal import DemoPortal, DemoService
from ..server import LocalServer, html

HOSTS = ("127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6")


class HostWithServices(LocalServer):
    """A demo web server whose host also runs TCP services, started and stopped with it."""

    def __init__(self, side: list[tcp.TcpService], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.side = side

    def start(self) -> LocalServer:
        started = super().start()
        for service in self.side:
            service.start()
        return started

    def stop(self) -> None:
        for service in self.side:
            service.stop()
        super().stop()


def _bind_side_services() -> tuple[str, list[tcp.TcpService]] | None:
    for host in HOSTS:
        bound: list[tcp.TcpService] = []
        try:
            bound.append(tcp.TcpService(tcp.mysql("5.5.62-0ubuntu0.14.04.1"), host=host,
                                        port=3306))
            bound.append(tcp.TcpService(tcp.redis("4.0.9"), host=host, port=6379))
        except OSError:  # taken (a service bound to 0.0.0.0) or no such address
            for service in bound:
                service.stop()
            continue
        return host, bound
    return None


def plant(portal: DemoPortal) -> None:
    found = _bind_side_services()
    if found is None:
        return  # no free loopback address: the demo runs without this plant
    host, side = found
    http = HostWithServices(side, host=host)
    svc = portal.add(DemoService(
        "sikd",
        Service("SIKD (Keuangan Daerah)", "BPKAD", "high", "internal", "internet"),
        http,
        None,
    ))
    http.routes["/"] = html(svc.page("Sistem Informasi Keuangan Daerah"))
