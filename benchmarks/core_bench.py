"""Engine benchmark: wall time, time per target and peak memory for N local targets.

Usage:  python benchmarks/core_bench.py [--sizes 10 100 500] [--checks https]

Each target is a real HTTP server on its own loopback address (127.10.x.y),
so the per-host politeness limits apply per target exactly as they would for
N different government hosts. The scanner runs as a separate process (the
real CLI), so its peak memory is measured alone. Only loopback is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def fleet(n: int) -> None:
    """Child mode: start n servers, print their URLs, serve until stdin closes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from egov_audit.demo.server import LocalServer, html

    page = html("<html><head><title>Layanan</title></head><body>" + "isi " * 200 + "</body>")
    servers = [
        LocalServer({"/": page}, host=f"127.10.{i // 250}.{i % 250 + 1}").start()
        for i in range(n)
    ]
    print(json.dumps([s.url("/") for s in servers]), flush=True)
    sys.stdin.read()
    for s in servers:
        s.stop()


def measure(n: int, checks: str, workers: int) -> dict[str, float]:
    proc = subprocess.Popen([sys.executable, __file__, "--fleet", str(n)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    urls = json.loads(proc.stdout.readline())
    with tempfile.TemporaryDirectory() as tmp:
        targets = Path(tmp) / "targets.txt"
        targets.write_text("\n".join(urls) + "\n")
        started = time.perf_counter()
        scan = subprocess.Popen(
            ["egov-audit", "scan", f"@{targets}", "--checks", checks, "-q",
             "--fail-on", "none", "--workers", str(workers), "-o", str(Path(tmp) / "out")],
            env={**os.environ, "EGOV_AUDIT_SALT": "benchmark-salt-000000"},
        )
        _, status, usage = os.wait4(scan.pid, 0)
        wall = time.perf_counter() - started
        result = json.loads((Path(tmp) / "out" / "result.json").read_text())
    proc.stdin.close()
    proc.wait()
    ok = sum(1 for t in result["targets"] if t["status"] == "ok")
    return {
        "targets": n,
        "ok_targets": ok,
        "wall_s": round(wall, 2),
        "ms_per_target": round(wall / n * 1000, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "exit": os.waitstatus_to_exitcode(status),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--checks", default="https")
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--fleet", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fleet:
        fleet(args.fleet)
        return
    print(f"{'targets':>8} {'ok':>5} {'wall s':>8} {'ms/target':>10} {'peak MB':>8}")
    for n in args.sizes:
        row = measure(n, args.checks, args.workers)
        print(f"{row['targets']:>8} {row['ok_targets']:>5} {row['wall_s']:>8} "
              f"{row['ms_per_target']:>10} {row['peak_rss_mb']:>8}", flush=True)


if __name__ == "__main__":
    main()
