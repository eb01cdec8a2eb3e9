"""Distributed benchmark: the local executor against 1, 2 and 4 Celery worker processes.

    python benchmarks/distributed_bench.py [--endpoints 24] [--workers 1 2 4] [--checks '*']

Starts, all on loopback: a fleet of small sites (each on its own 127.20.x.y
address; a home page linking two pages and one CSV document; TLS from a
throw-away CA on every second one), a redis-server on a free port without
persistence, and for each configuration N worker processes
(``python -m egov_audit.distributed``: a thread pool of 16, as the
local executor runs 16 targets at once). The audit itself runs in a
child process (the library's ``run_audit``, as ``scan`` calls it), so every
process's peak memory is its own. Per configuration it prints wall time,
endpoints per minute, peak RSS of the runner and of each worker (pool
process included), and CPU seconds of each, which says where the time goes:
CPU-bound work shows as CPU close to wall time, waiting (politeness pauses,
network, sslyze's handshakes) as the rest. Everything stops at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SALT = "benchmark-salt-distributed-0001"


def fleet(n: int, workdir: Path) -> None:
    """Child mode: start n sites, print their targets as JSON, serve until stdin closes."""
    sys.path.insert(0, str(ROOT))
    from egov_audit.demo.pki import CertificateAuthority
    from egov_audit.demo.server import LocalServer, Response, html, tls_context

    ca = CertificateAuthority.create("egov-audit Benchmark Root CA")
    ca.write_cert(workdir / "ca.pem")
    home = html("<html><head><title>Dinas</title></head><body><a href='/layanan'>Layanan</a>"
                "<a href='/kontak'>Kontak</a><a href='/data/rekap.csv'>Rekap</a>"
                + "isi " * 200 + "</body></html>")
    page = html("<html><body><a href='/'>Beranda</a>" + "teks " * 300 + "</body></html>")
    csv = Response(200, [("Content-Type", "text/csv")],
                   ("kecamatan,jumlah\n" + "".join(f"Desa {i},{i * 7}\n" for i in range(200)))
                   .encode())
    routes = {"/": home, "/layanan": page, "/kontak": page, "/data/rekap.csv": csv}
    servers, targets = [], []
    for i in range(n):
        host = f"127.20.{i // 250}.{i % 250 + 1}"
        context = None
        if i % 2 == 0:
            cert, key = ca.issue([host]).write(workdir / "certs", f"s{i}")
            context = tls_context(str(cert), str(key))
        server = LocalServer(routes, tls=context, host=host).start()
        servers.append(server)
        targets.append(server.url("/"))
    print(json.dumps(targets), flush=True)
    sys.stdin.read()
    for server in servers:
        server.stop()


def audit(spec: dict[str, Any]) -> None:
    """Child mode: one audit, the report's summary as JSON on stdout."""
    sys.path.insert(0, str(ROOT))
    import resource

    from egov_audit.audit import build_request
    from egov_audit.distributed.settings import ExecutorSettings
    from egov_audit.runner import run_audit

    request = build_request(spec["targets"], overrides={
        "checks": tuple(spec["checks"]), "ca_bundle": spec["ca"], "workers": 16})
    if spec["broker"]:
        request.executor = ExecutorSettings(kind="celery", broker=spec["broker"])
    started = time.perf_counter()
    report = run_audit(request)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "wall_s": wall,
        "statuses": sorted(o.status.value for o in report.outcomes),
        "findings": len(report.findings),
        "runner_rss_mb": usage.ru_maxrss / 1024,
        "runner_cpu_s": usage.ru_utime + usage.ru_stime,
        "runner_children_cpu_s": children.ru_utime + children.ru_stime,
        "runner_children_rss_mb": children.ru_maxrss / 1024,
    }), flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        path = Path(f"/proc/{current}/task/{current}/children")
        with contextlib.suppress(OSError):
            todo.extend(int(p) for p in path.read_text().split())
    return pids


def peak_and_cpu(pid: int) -> tuple[float, float]:
    """Peak RSS (MB, the largest process of the tree) and CPU seconds of a worker's tree."""
    peak, cpu = 0.0, 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for p in process_tree(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
            stat = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
        # utime, stime, cutime, cstime (children: sslyze's and nmap's processes)
        cpu += sum(int(v) for v in stat[11:15]) / ticks
    return peak, cpu


def run_config(name: str, targets: list[str], checks: list[str], ca: str,
               broker: str | None, workers: int, tmp: Path) -> dict[str, Any]:
    env = {**os.environ, "EGOV_AUDIT_SALT": SALT, "PYTHONPATH": str(ROOT)}
    started: list[subprocess.Popen[bytes]] = []
    try:
        for n in range(workers):
            assert broker is not None
            log = (tmp / f"{name}-w{n}.log").open("wb")
            started.append(subprocess.Popen(
                [sys.executable, "-m", "egov_audit.distributed", "--broker", broker,
                 "--loglevel", "INFO", "-n", f"{name}-{n}@%h"],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        for n in range(workers):
            path = tmp / f"{name}-w{n}.log"
            end = time.monotonic() + 120
            while b" ready." not in path.read_bytes():
                if time.monotonic() > end:
                    raise RuntimeError(f"worker {n} did not start: {path.read_text()[-2000:]}")
                time.sleep(0.2)
        spec = {"targets": targets, "checks": checks, "ca": ca, "broker": broker}
        out = subprocess.run([sys.executable, __file__, "--audit", json.dumps(spec)],
                             env=env, capture_output=True, text=True, timeout=3600, check=True)
        result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
        result["workers"] = [peak_and_cpu(p.pid) for p in started]
        return result
    finally:
        for p in started:
            with_group(p.pid, signal.SIGTERM)
        for p in started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(20)
            with_group(p.pid, signal.SIGKILL)


def with_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoints", type=int, default=24)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--checks", nargs="+", default=["*"])
    parser.add_argument("--no-local", action="store_true")
    parser.add_argument("--fleet", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--fleet-dir", help=argparse.SUPPRESS)
    parser.add_argument("--audit", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fleet:
        fleet(args.fleet, Path(args.fleet_dir))
        return
    if args.audit:
        audit(json.loads(args.audit))
        return
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        sys.exit("redis-server is needed (Debian: apt-get install redis-server)")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        sites = subprocess.Popen([sys.executable, __file__, "--fleet", str(args.endpoints),
                                  "--fleet-dir", str(tmp)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        port = free_port()
        redis = subprocess.Popen([redis_server, "--port", str(port), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "no", "--dir", str(tmp)],
                                 stdout=subprocess.DEVNULL)
        try:
            assert sites.stdout is not None
            targets = json.loads(sites.stdout.readline())
            ca = str(tmp / "ca.pem")
            rows = []
            configs: list[tuple[str, int]] = ([] if args.no_local else [("local", 0)])
            configs += [(f"{n}w", n) for n in args.workers]
            for label, workers in configs:
                broker = f"redis://127.0.0.1:{port}/{len(rows)}" if workers else None
                result = run_config(label, targets, args.checks, ca, broker, workers, tmp)
                rows.append((label, result))
                report(label, len(targets), result)
        finally:
            if sites.stdin:
                sites.stdin.close()
            sites.wait(30)
            redis.terminate()
            redis.wait(30)
    print(json.dumps({label: r for label, r in rows}, indent=1))


def report(label: str, n: int, r: dict[str, Any]) -> None:
    per_min = n / r["wall_s"] * 60
    workers = r["workers"]
    peaks = ", ".join(f"{p:.0f}" for p, _ in workers) or "-"
    cpus = ", ".join(f"{c:.1f}" for _, c in workers) or "-"
    ok = r["statuses"].count("ok")
    print(f"{label:>6}: {r['wall_s']:7.1f} s  {per_min:6.1f} endpoints/min  ok {ok}/{n}  "
          f"findings {r['findings']}  runner {r['runner_rss_mb']:.0f} MB "
          f"{r['runner_cpu_s'] + r['runner_children_cpu_s']:.1f} CPU s  "
          f"workers MB [{peaks}] CPU s [{cpus}]", flush=True)


if __name__ == "__main__":
    main()
