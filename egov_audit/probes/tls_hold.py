"""A TLS scan holds its hosts: every connection slot, for as long as it scans them.

sslyze runs in a child process with a per-host cap of its own. If the HTTP
client kept its cap too, a host could see both at once, twice what the
politeness rules allow. So the run's limiter lends the scan *all* of a
host's slots while that host's endpoints are scanned: HTTP requests to the
host wait (within their deadlines), and the child's cap is the host's whole
budget. Each host is given back as soon as its last endpoint has a result.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..ratelimit import HostLimiter, Slot
from ..scope import normalize_host
from .host_slots import take_all_slots

if TYPE_CHECKING:
    from .tls import Endpoint


class HostHold:
    """The connection slots of the hosts of some TLS endpoints, taken and given back."""

    def __init__(self, limiter: HostLimiter, endpoints: Iterable[Endpoint],
                 until: float) -> None:
        self._limiter = limiter
        self._until = until
        self._left: dict[str, set[Endpoint]] = defaultdict(set)
        for ep in endpoints:
            self._left[normalize_host(ep.host)].add(ep)
        self._held: dict[str, list[Slot]] = {}
        self._lock = threading.Lock()

    def take(self) -> None:
        """Take every slot of every host (waiting for HTTP connections in use to end).

        All of a host's slots or none: a hold that kept half a host's slots and
        waited for the rest could wait for ever on another holder doing the
        same (two workers' TLS scans of one host, or nmap), so it gives back
        and tries again (:func:`.host_slots.take_all_slots`). Hosts are taken in
        a fixed order for the same reason. A host whose slots cannot be had
        before ``until`` is scanned anyway: the deadline, not politeness, is
        then what binds, and it ends the scan soon after.
        """
        for host in sorted(self._left):
            slots = take_all_slots(self._limiter, host, self._until) or []
            with self._lock:
                if self._left.get(host):
                    self._held[host] = slots
                    continue
            for slot in slots:  # the host's endpoints finished meanwhile
                slot.release()

    def done(self, ep: Endpoint) -> None:
        """``ep`` has its result; give its host back once no endpoint there is left."""
        host = normalize_host(ep.host)
        with self._lock:
            left = self._left.get(host)
            if left is None:
                return
            left.discard(ep)
            if left:
                return
            del self._left[host]
            slots = self._held.pop(host, [])
        for slot in slots:
            slot.release()

    def release_all(self) -> None:
        with self._lock:
            held, self._held = self._held, {}
            self._left.clear()
        for slots in held.values():
            for slot in slots:
                slot.release()
