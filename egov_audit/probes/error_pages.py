"""Error pages on benign requests: what the application says when it fails.

Four ordinary requests that well-built applications answer with a plain error
and badly configured ones with a stack trace, an SQL error or a framework
debug page: a missing path, a missing .php script, a query parameter sent as
an array (``?id[]=``, which PHP hands to code expecting a string) and a query
value that is not valid UTF-8. Nothing here is an injection payload.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..check import Snapshot
from ..model import Target
from .base import Probe, ProbeSession
from .http import HttpResponse, unanswered


@dataclass(frozen=True)
class ErrorPages(Snapshot):
    probe = "http.error_pages"

    responses: tuple[tuple[str, HttpResponse], ...]  # (what was asked, the answer)


def _with_query(url: str, query: str) -> str:
    return urlsplit(url)._replace(query=query, fragment="").geturl()


class ErrorPagesProbe(Probe):
    name = "http.error_pages"
    snapshot = ErrorPages

    def collect(self, target: Target, items: frozenset[str], session: ProbeSession) -> ErrorPages:
        base = target.primary_url
        token = "egov-audit-" + secrets.token_hex(5)
        requests = {
            "missing path": urljoin(base, f"/{token}/"),
            "missing script": urljoin(base, f"/{token}.php"),
            "array parameter": _with_query(base, "id[]="),
            "invalid UTF-8 parameter": _with_query(base, "id=%ff%fe"),
        }
        answers = []
        for label, url in requests.items():
            session.env.check_deadline()
            answers.append((label, session.env.http.fetch(url, max_bytes=512 * 1024)))
        if not any(r.ok for _, r in answers):
            raise unanswered(f"{base} answered none of the error-page requests",
                             (r for _, r in answers))
        return ErrorPages(tuple(answers))
