"""egov-audit: security and data-protection audit of government web endpoints.

The library never prints and never exits; :mod:`egov_audit.cli` is a thin layer
over :func:`egov_audit.runner.run_audit`. Importing this package is cheap: the
heavy scanners (sslyze, nmap) are imported lazily by the probes that need them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
