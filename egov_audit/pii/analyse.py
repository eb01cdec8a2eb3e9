"""One location (a page, an API response, a document) summed up for the checks.

Counts are of *distinct* values per identifier kind, so a NIK repeated in a
page header and a table row counts once; at most three raw sample values are
kept, for the finding to quote (the engine's redactor masks them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .detect import CONTACT, STRONG, Hit, Scanner
from .extract import Extracted
from .fastpath import distinct_count
from .lexicon import lexicon

MAX_SAMPLES = 3
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
CUE_WINDOWS = 10  # specific-data cues: column labels, and text around the first hits
CUE_RADIUS = 120


@dataclass(frozen=True)
class LocationScan:
    url: str
    source: str  # page | script | source_map | document
    format: str
    counts: Mapping[str, int] = field(default_factory=dict)  # distinct values per kind
    samples: tuple[tuple[str, str], ...] = ()  # (kind, raw value)
    fields: tuple[str, ...] = ()  # column headers / JSON keys the values were under
    cues: tuple[str, ...] = ()  # UU PDP Pasal 4(2) categories seen
    partial: tuple[str, ...] = ()  # partially masked values still showing a birth date
    partial_count: int = 0
    masked: int = 0  # fully masked values (not a finding)
    metadata: Mapping[str, str] = field(default_factory=dict)
    error: str | None = None
    truncated: bool = False

    @property
    def strong(self) -> int:
        return sum(n for k, n in self.counts.items() if k in STRONG)

    @property
    def contacts(self) -> int:
        return sum(n for k, n in self.counts.items() if k in CONTACT)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class _Tally:
    """Distinct values per kind, samples, fields and cue windows for one location.

    A bulk-validated column is kept as its text (``columns``) and counted at the end
    without a Python object per value; only a later hit of the same kind, which must
    know whether its value is new, turns the kind's columns into set members first."""

    def __init__(self) -> None:
        self.values: dict[str, set[str]] = {}
        self.columns: dict[str, list[str]] = {}  # kind -> column texts not yet in values
        self.sampled: set[str] = set()
        self.first: list[tuple[str, str]] = []  # one sample per kind first, then extras
        self.extras: list[tuple[str, str]] = []
        self.fields: list[str] = []
        self.partial: dict[str, None] = {}
        self.near: list[str] = []  # text around the first hits, where cues are looked for
        self.masked = 0

    def hits(self, unit_text: str, label: str, hits: Iterable[Hit]) -> None:
        found = False
        for hit in hits:
            if hit.kind == "masked":
                self.masked += 1
                continue
            if len(self.near) < CUE_WINDOWS:
                self.near.append(
                    unit_text[max(0, hit.start - CUE_RADIUS):hit.end + CUE_RADIUS])
            if hit.kind == "nik_partial":
                self.partial[hit.value] = None
                continue
            seen = self.values.setdefault(hit.kind, set())
            if hit.kind in self.columns:
                for text in self.columns.pop(hit.kind):
                    seen.update(text.split("\n"))
            value = hit.value
            key = value if value.isalnum() else _NOT_ALNUM.sub("", value)
            if key in seen:
                continue
            seen.add(key)
            self._sample(hit.kind, value)
            found = True
        if found and label and label not in self.fields:
            self.fields.append(label)

    def _sample(self, kind: str, value: str) -> None:
        if kind not in self.sampled:
            self.sampled.add(kind)
            self.first.append((kind, value))
        elif len(self.extras) < MAX_SAMPLES:
            self.extras.append((kind, value))

    def column(self, unit_text: str, label: str, kind: str, values: str,
               head: list[Hit]) -> None:
        """A bulk-validated column: ``values`` one per line, plain digits."""
        self.hits(unit_text, label, head)  # samples, cue windows, e-mails, masks
        self.values.setdefault(kind, set())
        self.columns.setdefault(kind, []).append(values)
        if values and label not in self.fields:
            self.fields.append(label)

    def counts(self) -> dict[str, int]:
        """Distinct values per kind, by name."""
        return {kind: distinct_count(self.columns.get(kind, ()), seen) if kind in self.columns
                else len(seen) for kind, seen in sorted(self.values.items())}


def analyse(url: str, source: str, extracted: Extracted, scanner: Scanner) -> LocationScan:
    tally = _Tally()
    for unit in extracted.units:
        column = scanner.bulk_column(unit.text, unit.label) if unit.label else None
        if column is not None:
            kind, values, head = column
            tally.column(unit.text, unit.label, kind, values, head)
        else:
            tally.hits(unit.text, unit.label, scanner.scan(unit.text, unit.label))
    counts = tally.counts()
    labels = [u.label for u in extracted.units if u.label]
    cues = _cues(labels, tally.near, counts) if counts or tally.partial else ()
    return LocationScan(
        url=url, source=source, format=extracted.format, counts=counts,
        samples=tuple((tally.first + tally.extras)[:MAX_SAMPLES]),
        fields=tuple(tally.fields[:10]), cues=cues,
        partial=tuple(list(tally.partial)[:MAX_SAMPLES]), partial_count=len(tally.partial),
        masked=tally.masked, metadata=dict(extracted.metadata), error=extracted.error,
        truncated=extracted.truncated,
    )


def _cues(labels: list[str], near: list[str], counts: Mapping[str, int]) -> tuple[str, ...]:
    """Specific-data categories (UU PDP Pasal 4(2)) named by a column or near a value."""
    found: set[str] = set()
    if counts.get("nisn"):
        found.add("children")
    if counts.get("card") or counts.get("account"):
        found.add("financial")
    text = "\n".join(near)
    for category, words in lexicon().cues.items():
        if category not in found and (
                any(words.matches_label(label) for label in labels) or words.in_text(text)):
            found.add(category)
    return tuple(sorted(found))
