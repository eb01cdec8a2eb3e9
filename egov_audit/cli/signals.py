"""How a command ends: Ctrl-C and SIGTERM, and exiting with threads still blocked.

A scheduler stops a job with SIGTERM, a person with Ctrl-C; both should get
the same thing: the run stops, what was collected is written, exit 130. Whoever
signals twice wants out now, report or not.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

from ..errors import ExitStatus
from ..workers import abandoned

SECOND_SIGNAL_MESSAGE = b"interrupted again: exiting at once\n"


@contextmanager
def graceful_interrupts() -> Iterator[None]:
    """In the block, SIGTERM behaves like Ctrl-C (``KeyboardInterrupt``, which the
    runner turns into a partial report); a second SIGINT or SIGTERM ends the
    process at once with status 130.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    received = 0

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal received
        received += 1
        if received > 1:
            # os.write and os._exit: no buffered stream, lock or atexit hook
            # that a blocked thread may hold can delay this exit.
            os.write(2, SECOND_SIGNAL_MESSAGE)
            os._exit(int(ExitStatus.INTERRUPTED))
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def exit_promptly(status: int) -> NoReturn:
    """Exit with ``status`` even when abandoned work is still blocked.

    Targets abandoned at their deadline run on daemon threads, which never
    delay exit. A probe or plugin may still have started an ordinary thread
    (a ``ThreadPoolExecutor``) that the interpreter would join at exit, perhaps
    for ever: only then, with the reports already written, the process leaves
    with ``os._exit`` after flushing its streams.
    """
    if abandoned() and _lingering():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


def _lingering() -> list[threading.Thread]:
    main = threading.main_thread()
    return [t for t in threading.enumerate() if t is not main and not t.daemon and t.is_alive()]
