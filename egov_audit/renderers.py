"""The renderer catalogue, loaded from entry points like the check catalogue.

Built-in formats (``reports/``) and third-party ones register in the
``egov_audit.reports`` group. A renderer that fails to import is reported by
name with the reason, never skipped in silence: a user who asked for ``pdf``
must learn that the PDF renderer is broken, not that ``pdf`` is unknown.

The engine never imports ``reports`` itself; it only knows the protocol below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Protocol

from .errors import InputError
from .model import RunReport
from .registry import PluginProblem

RENDERER_GROUP = "egov_audit.reports"

# Short names accepted besides the renderers' own: what people type.
FORMAT_ALIASES = {"md": "markdown"}


class Renderer(Protocol):
    name: str  # the --format value
    filename: str  # default file name in the output directory

    def render(self, report: RunReport, *, lang: str = "en") -> bytes: ...


@dataclass
class RendererCatalogue:
    renderers: dict[str, type[Renderer]] = field(default_factory=dict)
    problems: list[PluginProblem] = field(default_factory=list)

    def names(self, formats: list[str] | tuple[str, ...]) -> list[str]:
        """``formats`` with aliases resolved, each once, in order."""
        return list(dict.fromkeys(FORMAT_ALIASES.get(f, f) for f in formats))

    def require(self, formats: list[str] | tuple[str, ...]) -> list[str]:
        """The renderer names for ``formats``; an unknown or broken one is an
        InputError that says which, and why a broken one failed."""
        wanted = self.names(formats)
        broken = {p.name: p for p in self.problems}
        for name in wanted:
            if name in self.renderers:
                continue
            if name in broken:
                p = broken[name]
                raise InputError(f"the {name!r} renderer ({p.distribution}) failed to load: "
                                 f"{p.error}")
            raise InputError(f"unknown format {name!r}",
                             expected="one of " + ", ".join(sorted(
                                 {*self.renderers, *FORMAT_ALIASES})))
        return wanted

    def get(self, name: str) -> Renderer:
        return self.renderers[self.require([name])[0]]()


def load_renderers() -> RendererCatalogue:
    catalogue = RendererCatalogue()
    for ep in entry_points(group=RENDERER_GROUP):
        try:
            catalogue.renderers[ep.name] = ep.load()
        except Exception as exc:  # a broken plugin is reported, the others still work
            catalogue.problems.append(PluginProblem.of(RENDERER_GROUP, ep, exc))
    return catalogue
