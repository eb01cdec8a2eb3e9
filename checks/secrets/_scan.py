"""Where secrets are looked for: everything the crawl fetched and every
exposed file the path sweep confirmed, as text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from egov_audit.probes.crawl import Crawl
from egov_audit.probes.http import HttpResponse
from egov_audit.probes.paths import PathSweep

from ._patterns import SecretRule, find, secret_of

_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"\xd0\xcf\x11\xe0", b"Rar!", b"7z\xbc\xaf",
                 b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


@dataclass(frozen=True)
class Source:
    kind: str  # page, script, source map, document, exposed file
    response: HttpResponse


@dataclass(frozen=True)
class Sighting:
    value: str
    source: Source
    line: int
    context: str
    name: str | None  # the variable name, for NAME=value rules


def _texty(resp: HttpResponse) -> bool:
    head = resp.body[:2048]
    return bool(resp.body) and not head.startswith(_BINARY_MAGIC) and b"\x00" not in head


def sources(crawl: Crawl, sweep: PathSweep | None) -> Iterator[Source]:
    seen: set[str] = set()
    groups = (("page", crawl.pages), ("script", crawl.scripts),
              ("source map", crawl.source_maps), ("document", crawl.documents),
              ("API answer", crawl.apis), ("error page", crawl.errors))
    for kind, responses in groups:
        for resp in responses:
            if resp.final_url not in seen and _texty(resp):
                seen.add(resp.final_url)
                yield Source(kind, resp)
    if sweep is not None:
        for result in sweep.results:
            resp = result.response
            if resp.final_url not in seen and sweep.present(result) and _texty(resp):
                seen.add(resp.final_url)
                yield Source("exposed file", resp)


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 40) : start].split("\n")[-1]
    after = text[end : end + 40].split("\n")[0]
    value = text[start:end]
    if len(value) > 80:  # a PEM block: its first line is enough context
        value = value.split("\n", 1)[0] if "\n" in value else value
    return (before + value + after).strip()


MAX_PER_SOURCE = 200  # sightings of one rule kept per source: a report, not a dump


def sightings(rule: SecretRule, srcs: list[Source]) -> dict[str, list[Sighting]]:
    """Each distinct secret value, with where it was seen (first seen first)."""
    found: dict[str, list[Sighting]] = {}
    for src in srcs:
        text = src.response.text
        line, counted = 1, 0  # matches come in order: count newlines once, not per match
        for m in find(rule, text)[:MAX_PER_SOURCE]:
            value = secret_of(m)
            start, end = (m.start("secret"), m.end("secret")) if "secret" in m.re.groupindex \
                else (m.start(), m.end())
            line += text.count("\n", counted, start)
            counted = start
            name = m.group("name") if "name" in m.re.groupindex else None
            found.setdefault(value, []).append(
                Sighting(value, src, line, _context(text, start, end), name)
            )
    return found
