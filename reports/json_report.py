"""The JSON result itself (the canonical artifact)."""

from __future__ import annotations

from egov_audit.model import RunReport
from egov_audit.result_io import dumps


class JsonRenderer:
    name = "json"
    filename = "result.json"

    def render(self, report: RunReport, *, lang: str = "en") -> bytes:
        # The canonical artifact is language-neutral: catalogue texts are English.
        return dumps(report).encode("utf-8")
