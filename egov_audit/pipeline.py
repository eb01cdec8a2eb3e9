"""An audit as a library runs it: scan → post-process → render → sign.

The command line is one user of these functions; a scheduler, a CI plugin or
a notebook is another, and none of them should copy CLI code::

    from pathlib import Path
    from egov_audit import pipeline

    request = pipeline.build_request(["https://portal.example.go.id"],
                                     config_path="audit.toml")
    report = pipeline.scan(request)
    report = pipeline.post_process(report, policies=["uu-pdp-2022"])
    written = pipeline.write_reports(report, ["json", "html"], Path("out"))
    pipeline.sign(written, Path("signing-key.pem"))

Every stage is a function of what the previous one returned; the post-run
stages are pure functions of the :class:`~egov_audit.model.RunReport`, which is
what lets ``egov-audit render`` reproduce a live run from a stored result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .audit import build_request
from .errors import InputError
from .model import RunReport
from .observer import Observer
from .renderers import RendererCatalogue, load_renderers

if TYPE_CHECKING:
    from .runner import AuditRequest

__all__ = [
    "build_request",
    "post_process",
    "render",
    "renderers",
    "scan",
    "sign",
    "write_reports",
]


def scan(request: AuditRequest, observer: Observer | None = None) -> RunReport:
    """Audit every target of ``request`` under its deadlines; never raises for a
    broken target (it gets an error record with the reason)."""
    from .runner import run_audit

    return run_audit(request, observer)


def post_process(
    report: RunReport,
    *,
    policies: Sequence[str] | None = None,
    sla: Mapping[str, Any] | None = None,
    installed: Iterable[str] | None = None,
) -> RunReport:
    """The stages after collection, in order: policy mapping (compliance per
    control), then prioritisation (risk, remediation plan, due dates).

    ``installed`` is the ids of the checks installed when the report was made,
    so that a control is "not assessed" rather than "passed" when a check it
    needs was missing."""
    from .policy import apply_policies
    from .prioritise import prioritise

    return prioritise(apply_policies(report, policies, installed), sla)


def renderers() -> RendererCatalogue:
    """The installed output formats, and the renderer plugins that failed to load."""
    return load_renderers()


def render(report: RunReport, fmt: str, *, lang: str = "en") -> bytes:
    """One format of ``report`` as bytes (``fmt`` may be an alias such as ``md``)."""
    return renderers().get(fmt).render(report, lang=lang)


def write_reports(
    report: RunReport, formats: Sequence[str], out_dir: Path, *, lang: str = "en"
) -> list[Path]:
    """Render and write every requested format into ``out_dir``; return the paths.

    Every format is checked before anything is written. Each file is replaced
    atomically and a symlink planted at its name is replaced, never followed
    (see :mod:`egov_audit.safe_write`).
    """
    from .safe_write import write_atomic

    catalogue = renderers()
    names = catalogue.require(list(formats))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output directory: {exc.strerror or exc}",
                         source=out_dir) from None
    written = []
    for name in names:
        renderer = catalogue.get(name)
        written.append(write_atomic(out_dir / renderer.filename,
                                    renderer.render(report, lang=lang)))
    return written


def sign(written: Sequence[Path], key: Path) -> Path:
    """Sign the ``result.json`` among ``written`` and every other written file with
    the Ed25519 key at ``key``; return the path of ``signature.json``."""
    from .signing import sign_outputs

    result = next((p for p in written if p.name == "result.json"), None)
    if result is None:
        raise InputError("signing needs the JSON result (result.json) among the written files",
                         expected="write the json format too")
    return sign_outputs(result, [p for p in written if p != result], key)
