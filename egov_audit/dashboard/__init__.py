"""The officers' dashboard: the history store in the browser (``egov-audit serve``).

Read-only: it never scans and never writes a run. Flask with Jinja2
templates, served by waitress; see docs/dashboard.md.
"""

from __future__ import annotations

from .app import Settings, create_app

__all__ = ["Settings", "create_app"]
