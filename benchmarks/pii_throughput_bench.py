"""Personal-data throughput on one pinned core: typical pages and identifier-dense tables.

    env -u PYTHONDONTWRITEBYTECODE python3 benchmarks/pii_throughput_bench.py \
        [--repeats 7] [--cpu N] [--profile SET] [--no-corpus] [--no-layouts] [--json [PATH]]

The probe's own path: ``extract(body, fmt)`` cuts a body into labelled units,
``Scanner().scan(unit.text, unit.label)`` finds identifiers. Each set is timed
four ways (CPU time of this process, pinned with ``os.sched_setaffinity`` to one
core, so other jobs on a shared machine cost wall time but not the figure):
extraction alone, scanning alone (``Scanner.scan`` per unit, extracted beforehand),
both in one pass (a ``Hit`` per identifier, as the field benchmark reads them), and
what the content probe runs: extract, then ``analyse`` (which hands a column whose
header declares its kind to ``Scanner.bulk_column``: no object per value). Every
measurement is
repeated; best and median are printed with the load average, because a busy
2-core machine moves even CPU time (caches, frequency).

In the same run the field corpus (benchmarks/pii_field_corpus.py, 972 documents)
is scored per type, and two digests of everything found are printed: *hits*
(every document's hits as (kind, value), sorted) and *units* (each unit's label
and hits with positions, in order). A speed-up that changes a result changes
a digest, so compare them with the run before the change.

A second table times the probe's path on the dense tables rewritten as real listings
write them (benchmarks/pii_dense_layouts.py: quoted CSV, DataTables sections, nested
JSON objects…) and says whether each finds as many identifiers of each kind as the
plain form it rewrites.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import json
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pii_dense_layouts import dense_layouts
from pii_field_bench import score, sum_tally
from pii_field_corpus import DEFAULT_SEED, PER_LAYOUT, WORK, dense_tables, generate, make
from pii_field_doc import Doc

from egov_audit.pii import accelerators
from egov_audit.pii.analyse import analyse
from egov_audit.pii.detect import Scanner
from egov_audit.pii.extract import extract
from egov_audit.pii.tables import Extracted

GOAL_MB_S = 50.0


def workloads(seed: int) -> dict[str, list[Doc]]:
    """(a) typical pages with menus and inline CSS/JS (60 pages, ~3 MB, no identifiers);
    (b) identifier-dense CSV, HTML and JSON tables (~1 MB each, ~40-50k ids/MB)."""
    sets = {"typical pages": [make(seed, "typical_page", 1000 + n) for n in range(60)]}
    for fmt, doc in dense_tables(seed).items():
        sets[f"dense {fmt}"] = [doc]
    return sets


def _extract_all(bodies: list[tuple[bytes, str]]) -> list[Extracted]:
    return [extract(body, fmt) for body, fmt in bodies]


def _scan_all(extracted: list[Extracted], scanner: Scanner) -> int:
    n = 0
    for ex in extracted:
        for unit in ex.units:
            n += len(scanner.scan(unit.text, unit.label))
    return n


def _both(bodies: list[tuple[bytes, str]], scanner: Scanner) -> int:
    n = 0
    for body, fmt in bodies:
        for unit in extract(body, fmt).units:
            n += len(scanner.scan(unit.text, unit.label))
    return n


def _probe(bodies: list[tuple[bytes, str]], scanner: Scanner) -> int:
    """What the content probe does with a body: extract, then analyse (a column whose
    header declares its kind goes to Scanner.bulk_column, the rest to Scanner.scan)."""
    return sum(analyse("", "page", extract(body, fmt), scanner).total for body, fmt in bodies)


def _times(work: Callable[[], object], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        started = time.process_time()
        work()
        out.append(max(time.process_time() - started, 1e-9))
    return out


def measure(sets: dict[str, list[Doc]], repeats: int) -> dict[str, dict[str, object]]:
    scanner = Scanner()
    out: dict[str, dict[str, object]] = {}
    for name, docs in sets.items():
        bodies = [(d.body(), d.fmt) for d in docs]
        mb = sum(len(b) for b, _ in bodies) / 1e6
        ids = sum(len(d.truth) for d in docs)
        _both(bodies, scanner)  # warm caches (lexicon, compiled patterns)
        extracted = _extract_all(bodies)
        row: dict[str, object] = {"mb": round(mb, 2), "identifiers_per_mb": round(ids / mb)}
        runs: tuple[tuple[str, Callable[[], object]], ...] = (
            ("extract", partial(_extract_all, bodies)),
            ("scan", partial(_scan_all, extracted, scanner)),
            ("total", partial(_both, bodies, scanner)),
            ("probe", partial(_probe, bodies, scanner)),
        )
        for what, work in runs:
            speeds = [mb / t for t in _times(work, repeats)]
            row[what] = {"best": round(max(speeds), 1),
                         "median": round(statistics.median(speeds), 1)}
        out[name] = row
    return out


def found(body: bytes, fmt: str, scanner: Scanner) -> dict[str, int]:
    """Distinct identifiers per kind the probe's path finds in one body."""
    return dict(sorted(analyse("", "page", extract(body, fmt), scanner).counts.items()))


def measure_layouts(layouts: dict[str, tuple[str, str, bytes]], repeats: int
                    ) -> dict[str, dict[str, object]]:
    """The probe's path on each layout of the dense tables, and whether it finds as many
    identifiers of each kind as in the plain form the layout rewrites."""
    scanner = Scanner()
    plain = {name: found(doc.body(), doc.fmt, scanner)
             for name, doc in ((f"dense {fmt}", doc) for fmt, doc in dense_tables().items())}
    out: dict[str, dict[str, object]] = {}
    for name, (of, fmt, body) in layouts.items():
        counts = found(body, fmt, scanner)
        mb = len(body) / 1e6
        speeds = [mb / t for t in _times(partial(_probe, [(body, fmt)], scanner), repeats)]
        out[name] = {"mb": round(mb, 2), "probe": {"best": round(max(speeds), 1),
                                                   "median": round(statistics.median(speeds), 1)},
                     "found": counts, "same_as_plain": counts == plain[of]}
    return out


def digests(docs: list[Doc]) -> tuple[str, str, str, int]:
    """(hits digest, units digest, locations digest, number of hits) over ``docs`` on
    the probe's path. *locations* is what ``analyse`` sums up per document (counts,
    samples, fields, cues, masked and partial values): what the checks are given."""
    scanner = Scanner()
    hits_h, units_h, locations_h = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
    count = 0
    for doc in docs:
        found: list[tuple[str, str]] = []
        extracted = extract(doc.body(), doc.fmt)
        for unit in extracted.units:
            hits = scanner.scan(unit.text, unit.label)
            units_h.update(repr((doc.name, unit.label, [(h.kind, h.value, h.start, h.end)
                                                         for h in hits])).encode())
            found.extend((h.kind, h.value) for h in hits)
        count += len(found)
        hits_h.update(repr((doc.name, sorted(found))).encode())
        scan = analyse(doc.name, "page", extracted, scanner)
        locations_h.update(repr((doc.name, sorted(scan.counts.items()), scan.samples,
                                 scan.fields, scan.cues, scan.partial, scan.partial_count,
                                 scan.masked)).encode())
    return (hits_h.hexdigest()[:16], units_h.hexdigest()[:16], locations_h.hexdigest()[:16],
            count)


def profile(docs: list[Doc], probe: bool, top: int = 25) -> None:
    scanner = Scanner()
    bodies = [(d.body(), d.fmt) for d in docs]
    _both(bodies, scanner)  # warm: lexicon, compiled patterns
    prof = cProfile.Profile()
    prof.runcall(_probe if probe else _both, bodies, scanner)
    pstats.Stats(prof).sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--cpu", type=int, default=None, help="core to pin to (default: the last)")
    ap.add_argument("--only", action="append", help="only these sets (name substring)")
    ap.add_argument("--profile", metavar="SET", help="cProfile the total path of one set")
    ap.add_argument("--probe", action="store_true", help="profile extract + analyse")
    ap.add_argument("--gc-off", action="store_true",
                    help="the garbage collector paused (an alternative, not the figure)")
    ap.add_argument("--no-corpus", action="store_true", help="skip the field corpus and digests")
    ap.add_argument("--no-layouts", action="store_true",
                    help="skip the dense tables rewritten as listings write them")
    ap.add_argument("--json", nargs="?", const=WORK.parent / "pii_throughput.json", type=Path)
    args = ap.parse_args(argv)
    cpu = args.cpu if args.cpu is not None else max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    sets = workloads(args.seed)
    if args.only:
        sets = {k: v for k, v in sets.items() if any(o in k for o in args.only)}
    if args.profile:
        profile(next(v for k, v in sets.items() if args.profile in k), args.probe)
        return 0
    if args.gc_off:
        gc.disable()
    load = os.getloadavg()
    collector = "off" if args.gc_off else "on"
    print(f"pinned to core {cpu}; python {sys.version.split()[0]}; gc {collector}; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("C accelerators: " + ", ".join(f"{k} {v}" for k, v in accelerators.status().items()))
    speed = measure(sets, args.repeats)
    print("\n| set | MB | ids/MB | extract best / median | scan best / median "
          "| extract + scan best / median | extract + analyse (probe) best / median |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, row in speed.items():
        cells = [f"{row[w]['best']:.1f} / {row[w]['median']:.1f}"  # type: ignore[index]
                 for w in ("extract", "scan", "total", "probe")]
        print(f"| {name} | {row['mb']} | {row['identifiers_per_mb']:,} | "
              + " | ".join(cells) + " |")
    result: dict[str, object] = {"load": load, "cpu": cpu, "throughput": speed}
    layouts = dense_layouts(args.seed)
    if args.only:
        layouts = {k: v for k, v in layouts.items() if any(o in k for o in args.only)}
    if layouts and not args.no_layouts:
        by_layout = measure_layouts(layouts, args.repeats)
        print("\n| the dense tables as listings write them | MB | extract + analyse (probe) "
              "best / median | identifiers found per kind |")
        print("|---|---:|---:|---|")
        for name, row in by_layout.items():
            probe = row["probe"]
            same = "as in the plain form" if row["same_as_plain"] else f"DIFFER: {row['found']}"
            print(f"| {name} | {row['mb']} | {probe['best']:.1f} / "  # type: ignore[index]
                  f"{probe['median']:.1f} | {same} |")  # type: ignore[index]
        result["layouts"] = by_layout
    if not args.no_corpus:
        docs = generate(args.seed, PER_LAYOUT)
        res = score(docs, Scanner())
        total = sum_tally(res).scores()
        per_type = {k: t.scores()["f1"] for k, t in sorted(res.by_kind.items())}
        print(f"\nfield corpus: {len(docs)} docs, strict F1 {total['f1']:.4f} "
              f"(P {total['precision']:.4f} R {total['recall']:.4f})")
        print("F1 per type: " + ", ".join(f"{k} {v:.4f}" for k, v in per_type.items()))
        all_docs = docs + [d for v in workloads(args.seed).values() for d in v]
        hits_d, units_d, locations_d, count = digests(all_docs)
        print(f"digests (field corpus + workloads): hits {hits_d}, units {units_d}, "
              f"locations {locations_d}, {count} hits")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        result.update(f1=total, f1_per_type=per_type,
                      digests=[hits_d, units_d, locations_d, count])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
