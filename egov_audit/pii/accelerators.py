"""Whether this process uses the optional C accelerators (``setup.py``).

Each accelerator is a C function that does in one pass what a pure-Python reader
beside it already does; the Python reader is the reference and the fallback.
An install without a C compiler has no accelerators and the same results, more
slowly. ``EGOV_AUDIT_PURE_PYTHON=1`` turns them off where they were built (to
compare, or to rule them out when a result looks wrong); ``status()`` says which
are in use, for ``egov-audit version`` and the benchmarks.
"""

from __future__ import annotations

import importlib
import os

MODULES = ("_column_rules", "_grids")

ENABLED = os.environ.get("EGOV_AUDIT_PURE_PYTHON", "") in ("", "0")


def status() -> dict[str, str]:
    """Per accelerator: ``in use``, ``turned off`` or ``not built``."""
    out = {}
    for name in MODULES:
        try:
            importlib.import_module(f"{__package__}.{name}")
        except ImportError:
            out[name.lstrip("_")] = "not built"
            continue
        out[name.lstrip("_")] = "in use" if ENABLED else "turned off"
    return out
