"""Judging one response against one path rule's matcher.

The order is deliberate: content type, then negative matchers (an HTML
catch-all page is rejected before any positive pattern can be fooled by it),
then positive evidence. The soft-404 comparison happens before this, in the
check (see ``_checks``), because it needs the host's not-found profile.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from typing import Any

from egov_audit.model import Severity
from egov_audit.probes.http import HttpResponse

from .extractors import EXTRACTORS, Extracted
from .rules import Matcher


@dataclass(frozen=True)
class Hit:
    """Why a response matched: a short quote of the evidence, plus extras."""

    reason: str
    quote: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None


def _type_ok(matcher: Matcher, content_type: str) -> bool:
    if matcher.content_types and not any(
        fnmatch.fnmatchcase(content_type, p) for p in matcher.content_types
    ):
        return False
    return not any(fnmatch.fnmatchcase(content_type, p) for p in matcher.not_content_types)


def _quote(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace").strip()
    return text[:120] + ("…" if len(text) > 120 else "")


def _json_hit(matcher: Matcher, body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict):
        for key in matcher.json_keys:
            if key in data:
                return key
    return None


def judge(matcher: Matcher, resp: HttpResponse) -> Hit | None:
    """A :class:`Hit` when the response carries the rule's evidence, else None."""
    body = resp.body
    if len(body) < matcher.min_bytes or not _type_ok(matcher, resp.content_type):
        return None
    if any(p.search(body) for p in matcher.none):
        return None
    if not all(p.search(body) for p in matcher.all):
        return None
    hit: Hit | None = None
    for magic in matcher.magic:
        if body[magic.offset : magic.offset + len(magic.data)] == magic.data:
            hit = Hit(f"magic bytes {magic.data.hex()} at offset {magic.offset}")
            break
    if hit is None:
        for pattern in matcher.any:
            m = pattern.search(body)
            if m:
                hit = Hit("content matches", _quote(m.group(0)))
                break
    if hit is None and matcher.json_keys:
        key = _json_hit(matcher, body)
        if key is not None:
            hit = Hit(f"JSON object with key {key!r}")
    if hit is None and not (matcher.any or matcher.magic or matcher.json_keys):
        m = matcher.all[0].search(body)
        hit = Hit("content matches", _quote(m.group(0)) if m else "")
    if hit is None:
        return None
    if matcher.extract:
        extracted: Extracted | None = EXTRACTORS[matcher.extract](resp)
        if extracted is None:
            return None  # the extractor found the file is not what it claims
        return Hit(hit.reason, hit.quote, dict(extracted.details), extracted.severity)
    return hit
