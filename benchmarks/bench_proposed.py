"""Proposed engine changes, applied only inside benchmark processes (``--as-proposed``).

The engine's port probe is not this benchmark's to change; these patches let
the benchmark measure what the proposed changes would give, and the report
gives the same changes as diffs for the files' owners:

1. ``--max-rate`` goes from nmap's options. nmap applies it to the whole
   invocation, not per host: one batch over 1,000 hosts at ``--max-rate 10``
   sends 10 probes a second *in all*, ~3,200 s for 32 ports each, and hosts
   reach their ``--host-timeout``. The per-host bound is already there:
   ``--scan-delay 1/rate`` (nmap_runner.polite_arguments) is per host.
2. ``PortProbe.collect`` without a prepared scan (a distributed worker) no
   longer runs nmap per target under the probe-wide lock (its 16 threads ran
   nmap one after the other, ~4 s per host at 10/s, and each nmap start costs
   ~0.4 CPU s): hosts asked for within :data:`NMAP_WINDOW_S` of each other
   are scanned by one nmap invocation, as the local batch does.
3. ``Scope.allows`` looks the host up in an index built once, instead of
   parsing every scope entry (one per target) for every connection: with
   1,000 targets that is 1,000 ``ipaddress`` parses per request, the work
   of the whole run growing with the square of its targets.
4. ``SocketWatchdog.watch`` wakes its thread only for a deadline sooner than
   any it waits for (every request's deadline is 30 s from its start, so
   almost never): each wake-up took the lock every request thread needs.
5. The workers' Redis client waits for a free pooled connection
   (``BlockingConnectionPool``, 30 s) instead of failing: redis-py 8 caps a
   pool at 100 connections, and a worker of 64 threads that each pace,
   count the budget and hold slots through Redis passed it ("Redis
   unreachable: MaxConnectionsError", requests not sent).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

NMAP_WINDOW_S = 2.0


def install() -> None:
    _nmap()
    _scope()
    _watchdog()
    _redis_pool()


def _redis_pool() -> None:
    from egov_audit.distributed import channel, job

    def redis_client(url: str) -> Any:
        import redis

        pool = redis.BlockingConnectionPool.from_url(
            url, decode_responses=True, socket_timeout=30, socket_connect_timeout=10,
            health_check_interval=30, max_connections=1000, timeout=30)
        return redis.Redis(connection_pool=pool)

    channel.redis_client = redis_client
    job.redis_client = redis_client  # type: ignore[attr-defined]


def _scope() -> None:
    from egov_audit import scope as module

    Scope = module.Scope

    def index(self: Any) -> dict[str, frozenset[int | None]]:
        cached: dict[str, frozenset[int | None]] | None = self.__dict__.get("_index")
        if cached is None:
            found: dict[str, set[int | None]] = {}
            for entry in self.hosts:
                host, port = module.split_entry(entry)
                found.setdefault(host, set()).add(port)
            cached = {h: frozenset(p) for h, p in found.items()}
            object.__setattr__(self, "_index", cached)  # frozen: a cache, not a field
        return cached

    def candidates(self: Any, host: str) -> list[str]:
        """``host`` and, with subdomains allowed, each parent name of it that is no IP."""
        names = [host]
        if self.include_subdomains:
            labels = host.split(".")
            names += [p for i in range(1, len(labels))
                      if not module._is_ip(p := ".".join(labels[i:]))]
        return names

    def allows(self: Any, host: str, port: int) -> bool:
        table = index(self)
        for name in candidates(self, module.normalize_host(host)):
            ports = table.get(name)
            if ports is not None and (None in ports or port in ports):
                return True
        return False

    def allows_host(self: Any, host: str) -> bool:
        table = index(self)
        return any(name in table for name in candidates(self, module.normalize_host(host)))

    Scope.allows = allows  # type: ignore[method-assign]
    Scope.allows_host = allows_host  # type: ignore[method-assign]


def _watchdog() -> None:
    import heapq
    import math

    from egov_audit.probes import watchdog as module

    def watch(self: Any, sock: Any, deadline: float) -> Any:
        handle = module.Watch(self, sock.fileno(), deadline)
        if deadline == math.inf:
            return handle
        with self.lock:
            sooner = not self._heap or deadline < self._heap[0][0]
            heapq.heappush(self._heap, (deadline, next(self._order), handle))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="egov-audit-socket-watchdog", daemon=True)
                self._thread.start()
            if sooner:
                self._wake.notify()
        return handle

    module.SocketWatchdog.watch = watch  # type: ignore[method-assign]


def _nmap() -> None:
    from egov_audit.probes import ports

    original = ports.nmap_arguments

    def nmap_arguments(settings: Mapping[str, Any], options: Any = None) -> str:
        args = original(settings, options).split(" ")
        out: list[str] = []
        skip = False
        for word in args:
            if skip:
                skip = False
                continue
            if word == "--max-rate":
                skip = True
                continue
            out.append(word)
        return " ".join(out)

    ports.nmap_arguments = nmap_arguments  # type: ignore[assignment]
    batches: dict[int, dict[Any, frozenset[str]]] = {}  # by env: targets waiting
    done: dict[str, threading.Event] = {}  # by host: its scan has a result
    guard = threading.Lock()

    def run_batch(probe: Any, key: int, env: Any) -> None:
        time.sleep(NMAP_WINDOW_S)
        with guard:
            work = batches.pop(key)
        try:
            probe._scan(work, env)
        finally:
            for target in work:
                done[ports.validate_host(target.host)].set()

    def collect(self: Any, target: Any, items: frozenset[str], session: Any) -> Any:
        host = ports.validate_host(target.host)
        with guard:
            event = done.get(host)
            if event is None and host in self._scans:  # the run's prepared batch
                event = done[host] = threading.Event()
                event.set()
            if event is None:
                event = done[host] = threading.Event()
                key = id(session.env)
                if key not in batches:
                    batches[key] = {}
                    threading.Thread(target=run_batch, args=(self, key, session.env),
                                     daemon=True, name="bench-nmap-batch").start()
                batches[key][target] = items
        event.wait()
        found = self._scans.get(host) or ports.ProbeError(f"nmap returned nothing for {host}")
        if isinstance(found, ports.ProbeError):
            raise found
        return found

    ports.PortProbe.collect = collect  # type: ignore[method-assign]
