"""Time spent waiting on politeness, counted inside a benchmark process.

Wraps two methods of the per-host limiter class (the local one; the Redis one
inherits both): ``pace`` (waiting for the host's next request start, the
``rate`` rule) and ``acquire_slot`` (waiting for a free connection of the host,
the ``connections`` rule, including while the TLS scan holds all of a host's
slots). Only benchmark processes install it; the engine is unchanged. A daemon
thread writes the totals to a JSON file every second, so a worker that is
stopped with a signal still leaves its figures.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_totals = {"pace_s": 0.0, "paces": 0, "slot_s": 0.0, "slots": 0}
_lock = threading.Lock()


def _timed(method: Callable[..., Any], seconds: str, calls: str) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            spent = time.perf_counter() - started
            with _lock:
                _totals[seconds] += spent
                _totals[calls] += 1
    return wrapper


def install(path: Path) -> None:
    """Count waits from now on; write them to ``path`` every second and at :func:`flush`."""
    from egov_audit.ratelimit import HostLimiter

    HostLimiter.pace = _timed(HostLimiter.pace, "pace_s", "paces")  # type: ignore[method-assign]
    HostLimiter.acquire_slot = _timed(  # type: ignore[method-assign]
        HostLimiter.acquire_slot, "slot_s", "slots")

    def loop() -> None:
        while True:
            time.sleep(1.0)
            flush(path)

    threading.Thread(target=loop, daemon=True, name="bench-waits").start()


def flush(path: Path) -> None:
    with _lock:
        data = dict(_totals)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)


def read(path: Path) -> dict[str, float]:
    try:
        data: dict[str, float] = json.loads(path.read_text())
    except (OSError, ValueError):
        return {"pace_s": 0.0, "paces": 0, "slot_s": 0.0, "slots": 0}
    return data
