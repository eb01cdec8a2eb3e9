"""Dashboard benchmark: overview render time over a large history store.

Usage:  python benchmarks/dashboard_bench.py [--runs 100] [--services 25] [--findings 200]
                                             [--repeat 7] [--store PATH]

Seeds a SQLite history store (through its migrations, rows written with the
store's own table objects) with RUNS weekly runs of SERVICES services in five
owning units, FINDINGS findings per service per run (stable ids, a few fixed
and a few new each week, the two grade findings among them) and 60 check
results per service per run. Then renders pages through the real Flask app
(WSGI, no socket) and prints the best and median time of each; goal for the
overview: under 300 ms. No network at all.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SEVERITIES = ("critical", "high", "medium", "low", "info")
WEIGHTS = (1, 4, 10, 10, 5)
CHECKS = [f"family{i % 12}.check_{i}" for i in range(60)]
MINIMAL_DOC = {"placeholder": True}


def seed(location: str, runs: int, services: int, findings: int) -> float:
    import sqlalchemy as sa

    from egov_audit.history import HistoryStore
    from egov_audit.history.connect import WRITE
    from egov_audit.history.schema import DOCUMENTS, FINDINGS, RESULTS, RUNS, TARGETS

    rng = random.Random(19)
    started = time.perf_counter()
    store = HistoryStore.open(location)
    checks = ["headers.grade", "tls.grade", *CHECKS]
    with store.engine.connect().execution_options(**WRITE) as conn, conn.begin():
        for r in range(runs):
            run_id = f"{r:08d}-0000-4000-8000-{r:012d}"
            day = f"2025-{1 + r // 28 % 12:02d}-{1 + r % 28:02d}T01:00:00Z"
            conn.execute(RUNS.insert().values(
                run_id=run_id, started_at=day, finished_at=day, duration_s=600.0,
                stored_at=day, status="complete", options_sha256="0" * 64,
                tool_version="0.1", schema_version="1.1", target_count=services,
                finding_count=services * findings))
            target_rows, result_rows, finding_rows = [], [], []
            for s in range(services):
                spec = f"https://layanan{s}.kota.example.go.id/"
                target_rows.append({"run_id": run_id, "spec": spec,
                                    "host": spec.split("/")[2], "service": f"Layanan {s}",
                                    "opd": f"Dinas {s % 5}", "status": "ok", "error": None})
                result_rows += [{"run_id": run_id, "check_id": c, "target": spec,
                                 "status": "fail" if i % 3 == 0 else "pass", "reason": None}
                                for i, c in enumerate(checks)]
                # Ids stable across weeks; every week shifts the window by 3.
                for k in range(findings):
                    n = k + r * 3
                    if k < 2:
                        check, sev = checks[k], "info"
                        evidence = f"grade {'ABCF'[(r + s) % 4]} (score {50 + s})"
                    else:
                        check = CHECKS[n % len(CHECKS)]
                        sev = rng.choices(SEVERITIES, WEIGHTS)[0]
                        evidence = f"observed value {n} at the page (redacted) " + "x" * 40
                    finding_rows.append({
                        "run_id": run_id, "finding_id": f"{s:04d}{n if k >= 2 else k:016x}",
                        "check_id": check, "target": spec, "severity": sev,
                        "title": f"title of {check}", "location": f"{spec}path/{n}",
                        "evidence": evidence})
            conn.execute(TARGETS.insert(), target_rows)
            conn.execute(RESULTS.insert(), result_rows)
            conn.execute(FINDINGS.insert(), finding_rows)
            conn.execute(DOCUMENTS.insert().values(run_id=run_id,
                                                   result_json=json.dumps(MINIMAL_DOC)))
        count = conn.execute(sa.select(sa.func.count()).select_from(FINDINGS)).scalar()
    store.close()
    print(f"seeded {runs} runs × {services} services × {findings} findings "
          f"({count:,} finding rows) in {time.perf_counter() - started:.1f} s")
    return time.perf_counter() - started


def timed(client: object, path: str, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(path, environ_base={"REMOTE_ADDR": "127.0.0.1"})  # type: ignore[attr-defined]
        samples.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return min(samples), statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--services", type=int, default=25)
    parser.add_argument("--findings", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--store", help="keep the seeded store at this path")
    args = parser.parse_args()

    from egov_audit.dashboard import Settings, create_app

    with tempfile.TemporaryDirectory() as tmp:
        location = args.store or str(Path(tmp) / "history.sqlite")
        if not Path(location).exists():
            seed(location, args.runs, args.services, args.findings)
        app = create_app(Settings(history=location))
        client = app.test_client()
        client.get("/", environ_base={"REMOTE_ADDR": "127.0.0.1"})  # warm: packs, templates
        print(f"{'page':38} {'best ms':>8} {'median ms':>10}")
        for path in ("/", "/unit?opd=Dinas+1", "/service?opd=Dinas+1&name=Layanan+1",
                     "/runs", "/compliance"):
            best, median = timed(client, path, args.repeat)
            print(f"{path:38} {best:8.1f} {median:10.1f}")
        app.extensions["egov_store"].close()


if __name__ == "__main__":
    main()
