"""The officers' dashboard: the history store in the browser (``egov-audit serve``).

Read-only: it never scans and never writes a run. Flask with Jinja2
templates, served by waitress; see docs/dashboard.md. Flask loads only when
the app is asked for, so the schema module (:mod:`.tables`) imports without
the ``dashboard`` extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import Settings, create_app

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
