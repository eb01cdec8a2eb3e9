"""This thread's CPU time, for tests that check work grows linearly.

``time.thread_time()`` leaves out other threads and processes, but not the
garbage collector, which runs in whichever thread allocates when a threshold
is crossed: late in a run of two thousand tests a full collection walks a
large heap and can cost seconds, all charged to the one measurement that
happened to trigger it. Measurements are taken with the collector paused.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cpu_seconds(fn: Callable[..., Any], *args: Any) -> float:
    """CPU seconds this thread spends in ``fn(*args)``, the collector paused."""
    with collector_paused():
        started = time.thread_time()
        fn(*args)
        return time.thread_time() - started
