"""Renderers: every output format is produced from the canonical RunReport.

Renderers register in the ``egov_audit.reports`` entry point group, the same
way built-in and third-party ones do. A renderer returns bytes; the CLI
decides where they are written.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Protocol

from egov_audit.errors import InputError
from egov_audit.model import RunReport

REPORT_GROUP = "egov_audit.reports"


class Renderer(Protocol):
    name: str  # the --format value
    filename: str  # default file name in the output directory

    def render(self, report: RunReport, *, lang: str = "en") -> bytes: ...


def available() -> dict[str, type[Renderer]]:
    found: dict[str, type[Renderer]] = {}
    for ep in entry_points(group=REPORT_GROUP):
        try:
            found[ep.name] = ep.load()
        except Exception:
            continue
    return found


def get_renderer(name: str) -> Renderer:
    renderers = available()
    if name not in renderers:
        raise InputError(
            f"unknown report format {name!r}",
            expected="one of " + ", ".join(sorted(renderers)),
        )
    return renderers[name]()
