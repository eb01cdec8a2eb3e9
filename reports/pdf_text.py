"""Text helpers for the PDF renderer: finding a Unicode font, and fast word wrap."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

FONT_ENV = "EGOV_AUDIT_PDF_FONT_DIR"
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "mono": "DejaVuSansMono.ttf"}


@cache
def font_dir() -> Path | None:
    """The first directory holding the DejaVu set, or None (core-font fallback)."""
    candidates = [os.environ[FONT_ENV]] if os.environ.get(FONT_ENV) else []
    for d in (*candidates, *FONT_DIRS):
        path = Path(d)
        if all((path / name).is_file() for name in FONT_FILES.values()):
            return path
    return None


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy word wrap to ``width`` (in the unit ``measure`` returns); words wider
    than a line (URLs, hashes) are cut where they overflow. Indentation is kept."""
    out: list[str] = []
    for raw in text.split("\n"):
        line, used = "", 0.0
        for token in re.split(r"(\s+)", raw):
            if not token:
                continue
            size = measure(token)
            if used + size <= width:
                line, used = line + token, used + size
                continue
            if token.isspace():
                out.append(line)
                line, used = "", 0.0
                continue
            if line.strip():
                out.append(line.rstrip())
            while measure(token) > width:
                cut = _fit(token, width, measure)
                out.append(token[:cut])
                token = token[cut:]
            line, used = token, measure(token)
        out.append(line.rstrip())
    return out


def _fit(word: str, width: float, measure: Callable[[str], float]) -> int:
    """The longest prefix of ``word`` that fits (at least one character)."""
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(word[:mid]) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo
