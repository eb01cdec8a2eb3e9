"""Renderers: every output format is produced from the canonical RunReport.

Renderers register in the ``egov_audit.reports`` entry point group, the same
way built-in and third-party ones do; :mod:`egov_audit.renderers` loads them
and reports the ones that fail to load. A renderer returns bytes;
:func:`egov_audit.pipeline.write_reports` decides where they are written.
"""

from __future__ import annotations

from egov_audit.renderers import RENDERER_GROUP, Renderer, load_renderers

REPORT_GROUP = RENDERER_GROUP

__all__ = ["REPORT_GROUP", "Renderer", "available", "get_renderer"]


def available() -> dict[str, type[Renderer]]:
    """The renderers that loaded, by format name."""
    return load_renderers().renderers


def get_renderer(name: str) -> Renderer:
    return load_renderers().get(name)
