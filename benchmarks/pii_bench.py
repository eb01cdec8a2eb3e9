"""Personal-data detector benchmark: precision, recall, F1 and throughput, vs Presidio.

    python benchmarks/pii_bench.py [--docs 400] [--presidio-python PATH]

1. Generates the labelled corpus (benchmarks/pii_corpus.py) in benchmarks/.work/.
2. egov-audit: every document through the real pipeline (format extraction ->
   labelled units -> detector), scored against the labels per (document, kind,
   value); throughput of the detector alone on raw HTML and CSV text, and of
   extraction + detection, single core.
3. Presidio (if a Python with presidio-analyzer is given or found in
   benchmarks/.work/presidio-venv): benchmarks/pii_presidio_runner.py, pattern
   recognisers as a user would configure them, no language model download.

Only local files are read; nothing touches the network.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pii_corpus import Doc, generate

from egov_audit.pii.detect import Scanner
from egov_audit.pii.extract import extract

WORK = Path(__file__).resolve().parent / ".work"
KINDS = ("nik", "kk", "npwp", "nip", "phone", "email", "card")
FORMAT = {"csv": "csv", "html": "html", "json": "json", "text": "text", "page": "html"}
KIND_NAMES = {"csv": "CSV recipient lists (dense)", "html": "HTML pages with tables",
              "json": "JSON resident APIs (dense)", "text": "decrees (plain text, NIP)",
              "page": "typical HTML pages (no personal data)"}


def norm(kind: str, value: str) -> str:
    if kind == "email":
        return value.lower()
    digits = "".join(ch for ch in value if ch.isdigit())
    if kind == "phone" and digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def ours(doc: Doc, scanner: Scanner) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for unit in extract(doc.text.encode(), FORMAT[doc.kind]).units:
        for hit in scanner.scan(unit.text, unit.label):
            if hit.kind in KINDS:
                found.add((hit.kind, norm(hit.kind, hit.value)))
    return found


def score(docs: list[Doc], predicted: dict[str, set[tuple[str, str]]]) -> dict[str, object]:
    tp = fp = fn = 0
    per_kind: Counter[str] = Counter()
    errors: list[str] = []
    for doc in docs:
        truth = {(k, norm(k, v)) for k, v in doc.labels}
        pred = predicted.get(doc.name, set())
        tp += len(truth & pred)
        fp += len(pred - truth)
        fn += len(truth - pred)
        for k, v in pred - truth:
            per_kind[f"fp:{k}"] += 1
            if len(errors) < 5:
                errors.append(f"FP {doc.name} {k} {v[:4]}…")
        for k, v in truth - pred:
            per_kind[f"fn:{k}"] += 1
            if len(errors) < 10:
                errors.append(f"FN {doc.name} {k} {v[:4]}…")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "errors_by_kind": dict(per_kind),
            "examples": errors}


def throughput(texts: list[str], fn: object, repeat: int = 3) -> float:
    """MB/s of ``fn(text)`` over ``texts`` (best of ``repeat``), one core."""
    size = sum(len(t.encode()) for t in texts)
    best = float("inf")
    for t in texts[:3]:
        fn(t)  # type: ignore[operator]  # warm caches and compiled patterns
    for _ in range(repeat):
        start = time.process_time()
        for t in texts:
            fn(t)  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return size / best / 1e6


def _pipeline(fmt: str, scanner: Scanner) -> object:
    from egov_audit.pii.analyse import analyse

    return lambda text: analyse("u", "document", extract(text.encode(), fmt), scanner)


def presidio_python(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    candidate = WORK / "presidio-venv" / "bin" / "python"
    return str(candidate) if candidate.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description="pii detector benchmark")
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--presidio-python", default=None)
    args = parser.parse_args()
    docs = generate(args.docs)
    corpus_dir = WORK / "corpus"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (corpus_dir / doc.name).write_text(doc.text, encoding="utf-8")
    total_mb = sum(len(d.text.encode()) for d in docs) / 1e6
    scanner = Scanner()
    result: dict[str, object] = {
        "corpus": {"documents": len(docs), "mb": round(total_mb, 2),
                   "labels": sum(len(d.labels) for d in docs),
                   "by_kind": dict(Counter(k for d in docs for k, _ in d.labels))},
    }
    predicted = {d.name: ours(d, scanner) for d in docs}
    by_kind = {k: [d for d in docs if d.kind == k] for k in FORMAT}
    result["egov_audit"] = {
        **score(docs, predicted),
        # extraction (CSV/JSON/HTML tables -> labelled units) + detection + tally, as
        # the pii.content probe runs it; CPU time of this process, best of three
        "pipeline_mb_s": {k: round(throughput([d.text for d in ds],
                                               _pipeline(FORMAT[k], scanner)), 1)
                          for k, ds in by_kind.items()},
        "pipeline_overall_mb_s": 0.0,  # filled below
        # the detector alone on the raw text (no labels: context from the text only)
        "detector_mb_s": {k: round(throughput([d.text for d in ds], scanner.scan), 1)
                          for k, ds in by_kind.items()},
    }
    sizes = {k: sum(len(d.text.encode()) for d in ds) / 1e6 for k, ds in by_kind.items()}
    mine = result["egov_audit"]["pipeline_mb_s"]  # type: ignore[index]
    result["egov_audit"]["pipeline_overall_mb_s"] = round(  # type: ignore[index]
        sum(sizes.values()) / sum(sizes[k] / mine[k] for k in sizes), 1)
    py = presidio_python(args.presidio_python)
    if py is None:
        result["presidio"] = {"skipped": "no Python with presidio-analyzer: create "
                              "benchmarks/.work/presidio-venv (see docs/benchmarks/pii.md)"}
    else:
        runner = Path(__file__).resolve().parent / "pii_presidio_runner.py"
        out = subprocess.run([py, str(runner), str(corpus_dir)], capture_output=True, text=True,
                             check=False, timeout=3600)
        if out.returncode != 0:
            result["presidio"] = {"error": out.stderr[-2000:]}
        else:
            data = json.loads(out.stdout)
            pred = {name: {(k, norm(k, v)) for k, v in hits}
                    for name, hits in data["predictions"].items()}
            result["presidio"] = {**score(docs, pred), "mb_s": data["mb_s"],
                                  "mb_s_by_kind": data["mb_s_by_kind"],
                                  "version": data["version"]}
            result["speedup_vs_presidio"] = {
                "overall": round(result["egov_audit"]["pipeline_overall_mb_s"]  # type: ignore[index]
                                 / data["mb_s"], 1),
                **{k: round(mine[k] / v, 1) for k, v in data["mb_s_by_kind"].items() if v}}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
