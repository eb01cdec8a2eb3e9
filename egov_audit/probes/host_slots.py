"""Holding every connection slot of a host: how scans that open their own sockets stay polite.

nmap and sslyze open their connections themselves, so the run's limiter cannot
count them one by one. Instead the scan *holds* every slot of each host it
scans (of this process, or of all workers when the limiter is Redis's), and
its own options keep it within what it holds. Used by the port scan
(:mod:`.nmap_runner`) and the TLS scan (:mod:`.tls_hold`).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from ..ratelimit import HostLimiter, Slot, SlotUnavailable
from ..scope import normalize_host

# Once a hold has a host's first slot, how long it waits for the others
# before giving back what it has and trying again. Two holders that each
# kept half a host's slots and waited for the rest would wait for each other
# until their deadlines (two workers scanning one host, or nmap and the TLS
# scan); giving back breaks that, and a random pause breaks the symmetry.
# The wait doubles with each try (up to FILL_MAX_S), so a host whose HTTP
# connections stay busy is still had once its requests end.
FILL_S = 3.0
FILL_MAX_S = 30.0
RETRY_PAUSE_S = (0.05, 0.5)


@dataclass
class HostsHeld:
    """The slots nmap holds, by host, and the hosts it could not have in time."""

    held: dict[str, list[Slot]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def release(self) -> None:
        held, self.held = self.held, {}
        for slots in held.values():
            for slot in slots:
                slot.release()


def hold_hosts(limiter: HostLimiter, hosts: tuple[str, ...], until: float) -> HostsHeld:
    """Every connection slot of each of ``hosts``, or none of a host's.

    A host whose slots cannot all be had before ``until`` (absolute,
    ``time.monotonic()``) is in ``missing`` and must not be scanned: nmap with
    fewer slots than its parallelism would break the bound it is here to keep.
    Hosts are taken in a fixed order, so two holds of several hosts never
    wait for each other in a circle.
    """
    result = HostsHeld()
    for host in sorted({normalize_host(h) for h in hosts}):
        slots = take_all_slots(limiter, host, until)
        if slots is None:
            result.missing.append(host)
        else:
            result.held[host] = slots
    return result


def take_all_slots(limiter: HostLimiter, host: str, until: float) -> list[Slot] | None:
    """All of ``host``'s connection slots, or None when they cannot be had before ``until``."""
    fill = FILL_S
    while time.monotonic() < until:
        slots: list[Slot] = []
        try:
            slots.append(limiter.acquire_slot(host, until))
            fill_by = min(until, time.monotonic() + fill)
            while len(slots) < limiter.connections:
                slots.append(limiter.acquire_slot(host, fill_by))
            return slots
        except SlotUnavailable:
            for slot in slots:
                slot.release()
        fill = min(fill * 2, FILL_MAX_S)
        time.sleep(max(0.0, min(random.uniform(*RETRY_PAUSE_S), until - time.monotonic())))
    return None
