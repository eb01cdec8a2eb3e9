"""Distributed benchmark: the local executor against 1, 2 and 4 Celery worker processes.

    python benchmarks/distributed_bench.py [--endpoints 100] [--workers 1 2 4]
        [--concurrency 16] [--no-local] [--checks '*']

Starts, all on loopback: a fleet of small sites served by one nginx
(:mod:`bench_sites`: each on its own 127.21.x.y address, a home page linking
two pages and one CSV document, TLS on every second one), a redis-server on a
free port without persistence, and for each configuration N worker processes
(``egov-audit worker``, a thread pool of ``--concurrency`` targets). The audit
runs in a child process (the library's ``run_audit``, as ``scan`` calls it) with
``workers = --concurrency`` targets at once, so every process's figures are
its own.

Per configuration it prints wall time, endpoints per minute, peak RSS and CPU
seconds of each process (children included: sslyze's and nmap's), nginx's
CPU, the load average, and where the targets' time went: the sum of the
targets' probe times, of which waiting for a request turn (``rate``) and for a
connection slot (``connections``, the TLS scan's hold included) are counted
in the limiter (:mod:`bench_waits`). Everything stops at the end.
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
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SALT = "benchmark-salt-distributed-0001"


def audit(spec: dict[str, Any]) -> None:
    """Child mode: one audit, the report's summary as JSON on stdout."""
    sys.path[:0] = [str(ROOT), str(HERE)]
    import resource

    import bench_waits

    import egov_audit.runner as runner_module
    from egov_audit.audit import build_request
    from egov_audit.distributed.settings import ExecutorSettings
    from egov_audit.runner import run_audit

    waits = Path(spec["waits"])
    bench_waits.install(waits)
    prepare_s: list[float] = []
    prepare = runner_module._prepare_batches

    def timed_prepare(*args: Any) -> None:  # the batch probes (nmap) before any target
        begun = time.perf_counter()
        prepare(*args)
        prepare_s.append(time.perf_counter() - begun)

    runner_module._prepare_batches = timed_prepare
    request = build_request(spec["targets"], overrides={
        "checks": tuple(spec["checks"]), "ca_bundle": spec["ca"],
        "workers": spec["concurrency"]})
    if spec["broker"]:
        request.executor = ExecutorSettings(kind="celery", broker=spec["broker"])
    started = time.perf_counter()
    report = run_audit(request)
    wall = time.perf_counter() - started
    bench_waits.flush(waits)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    probe_s: dict[str, float] = {}
    for outcome in report.outcomes:
        for record in outcome.probes:
            probe_s[record.probe] = probe_s.get(record.probe, 0.0) + record.duration_ms / 1000
    print(json.dumps({
        "wall_s": wall,
        "statuses": sorted(o.status.value for o in report.outcomes),
        "errors": sorted({o.error for o in report.outcomes if o.error})[:5],
        "findings": len(report.findings),
        "finding_ids": sorted(f.id for f in report.findings),
        "probe_s": probe_s,
        "prepare_s": sum(prepare_s),
        "runner_cpu_s": usage.ru_utime + usage.ru_stime,
        "runner_children_cpu_s": children.ru_utime + children.ru_stime,
    }), flush=True)


def worker(broker: str, name: str, concurrency: int, waits: str) -> None:
    """Child mode: ``egov-audit worker`` with the wait counters installed."""
    sys.path[:0] = [str(ROOT), str(HERE)]
    import bench_waits

    from egov_audit.cli.worker_cmd import worker as worker_cmd

    if os.environ.get("BENCH_TLS_ONE_OFF"):  # the "before": a sslyze child per endpoint
        from egov_audit.probes import tls

        def one_off(ep: Any, options: Any, *, until: float) -> Any:
            return tls.scan_endpoints([ep], options, until=until)[ep]

        tls.scan_alone = one_off
    bench_waits.install(Path(waits))
    worker_cmd(["--broker", broker, "--loglevel", "INFO", "-n", name,
                "-c", str(concurrency)], prog_name="egov-audit worker")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        # Every thread's children: the TLS and nmap processes are started by
        # worker threads, and each thread lists only the children it started.
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                with contextlib.suppress(OSError):
                    todo.extend(int(p) for p in (task / "children").read_text().split())
    return pids


def tree_usage(pid: int) -> tuple[float, float]:
    """(largest VmHWM in MB of the live tree, CPU seconds of the tree incl. reaped children)."""
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
        cpu += sum(int(v) for v in stat[11:15]) / ticks  # utime stime cutime cstime
    return peak, cpu


class PeakSampler:
    """Samples the peak RSS of each process of some trees twice a second.

    The root processes' own peaks come from VmHWM at the end; short-lived
    children (the sslyze and nmap processes) are caught by sampling, and the
    largest such child per tree is reported."""

    def __init__(self) -> None:
        self.roots: dict[str, int] = {}
        self.child_peak: dict[str, float] = {}
        self.root_peak: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            for label, root in list(self.roots.items()):
                for p in process_tree(root):
                    with contextlib.suppress(OSError):
                        for line in Path(f"/proc/{p}/status").read_text().splitlines():
                            if line.startswith("VmHWM:"):
                                mb = int(line.split()[1]) / 1024
                                table = self.root_peak if p == root else self.child_peak
                                table[label] = max(table.get(label, 0.0), mb)


def run_config(name: str, fleet: Any, checks: list[str], broker: str | None,
               workers: int, concurrency: int, tmp: Path) -> dict[str, Any]:
    env = {**os.environ, "EGOV_AUDIT_SALT": SALT, "PYTHONPATH": str(ROOT)}
    started: list[subprocess.Popen[bytes]] = []
    sampler = PeakSampler()
    try:
        for n in range(workers):
            assert broker is not None
            log = (tmp / f"{name}-w{n}.log").open("wb")
            started.append(subprocess.Popen(
                [sys.executable, __file__, "--worker", broker, f"{name}-{n}@%h",
                 str(concurrency), str(tmp / f"{name}-w{n}.waits")],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
            sampler.roots[f"w{n}"] = started[-1].pid
        for n in range(workers):
            path = tmp / f"{name}-w{n}.log"
            end = time.monotonic() + 120
            while b" ready." not in path.read_bytes():
                if time.monotonic() > end:
                    raise RuntimeError(f"worker {n} did not start: {path.read_text()[-2000:]}")
                time.sleep(0.2)
        spec = {"targets": fleet.targets, "checks": checks, "ca": str(fleet.ca_file),
                "broker": broker, "concurrency": concurrency,
                "waits": str(tmp / f"{name}-runner.waits")}
        load_before = os.getloadavg()
        nginx_before = fleet.cpu_seconds()
        runner = subprocess.Popen([sys.executable, __file__, "--audit", json.dumps(spec)],
                                  env=env, stdout=subprocess.PIPE, text=True)
        sampler.roots["runner"] = runner.pid
        sampler.start()
        out, _ = runner.communicate(timeout=7200)
        sampler.stop()
        if runner.returncode:
            raise RuntimeError(f"the audit failed ({runner.returncode})")
        result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        result["load"] = [round(v, 2) for v in (*load_before, *os.getloadavg())]
        result["nginx_cpu_s"] = fleet.cpu_seconds() - nginx_before
        result["runner_rss_mb"] = sampler.root_peak.get("runner", 0.0)
        result["runner_child_rss_mb"] = sampler.child_peak.get("runner", 0.0)
        import bench_waits

        result["waits"] = [bench_waits.read(Path(spec["waits"]))]
        result["workers"] = []
        for n, p in enumerate(started):
            _, cpu = tree_usage(p.pid)
            result["workers"].append({"rss_mb": sampler.root_peak.get(f"w{n}", 0.0),
                                      "cpu_s": cpu,
                                      "child_rss_mb": sampler.child_peak.get(f"w{n}", 0.0)})
            result["waits"].append(bench_waits.read(tmp / f"{name}-w{n}.waits"))
        return result
    finally:
        sampler.stop()
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
    parser.add_argument("--endpoints", type=int, default=100)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 4])
    parser.add_argument("--concurrency", type=int, default=16,
                        help="targets at once per process (local: the workers option)")
    parser.add_argument("--checks", nargs="+", default=["*"])
    parser.add_argument("--no-local", action="store_true")
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--tls-one-off", action="store_true",
                        help="workers start a sslyze child per TLS endpoint (the old way)")
    parser.add_argument("--audit", help=argparse.SUPPRESS)
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.audit:
        audit(json.loads(args.audit))
        return
    if args.worker:
        broker, name, concurrency, waits = args.worker
        worker(broker, name, int(concurrency), waits)
        return
    sys.path.insert(0, str(HERE))
    import bench_sites

    if args.tls_one_off:
        os.environ["BENCH_TLS_ONE_OFF"] = "1"

    redis_server = shutil.which("redis-server")
    if redis_server is None:
        sys.exit("redis-server is needed (Debian: apt-get install redis-server)")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        fleet = bench_sites.start(args.endpoints, tmp)
        port = free_port()
        redis = subprocess.Popen([redis_server, "--port", str(port), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "no", "--dir", str(tmp)],
                                 stdout=subprocess.DEVNULL)
        rows: list[tuple[str, dict[str, Any]]] = []
        try:
            configs: list[tuple[str, int]] = ([] if args.no_local else [("local", 0)])
            configs += [(f"{n}w", n) for n in args.workers]
            for label, workers in configs:
                broker = f"redis://127.0.0.1:{port}/{len(rows)}" if workers else None
                result = run_config(label, fleet, args.checks, broker, workers,
                                    args.concurrency, tmp)
                rows.append((label, result))
                report(label, len(fleet.targets), result)
                if len(rows) > 1:
                    same = result["finding_ids"] == rows[0][1]["finding_ids"]
                    print(f"        same finding ids as {rows[0][0]}: {same}", flush=True)
        finally:
            fleet.stop()
            redis.terminate()
            redis.wait(30)
    if args.json:
        Path(args.json).write_text(json.dumps(dict(rows), indent=1))


def report(label: str, n: int, r: dict[str, Any]) -> None:
    per_min = n / r["wall_s"] * 60
    ok = r["statuses"].count("ok")
    runner_cpu = r["runner_cpu_s"] + r["runner_children_cpu_s"]
    workers = r["workers"]
    cpu = runner_cpu + sum(w["cpu_s"] for w in workers)
    print(f"{label:>6}: {r['wall_s']:7.1f} s  {per_min:6.1f} endpoints/min  ok {ok}/{n}  "
          f"findings {r['findings']}  load {r['load']}", flush=True)
    print(f"        runner {r['runner_rss_mb']:.0f} MB (largest child "
          f"{r['runner_child_rss_mb']:.0f} MB) {runner_cpu:.1f} CPU s; workers "
          + (", ".join(f"{w['rss_mb']:.0f} MB (child {w['child_rss_mb']:.0f}) "
                       f"{w['cpu_s']:.1f} CPU s" for w in workers) or "-"), flush=True)
    target_s = sum(r["probe_s"].values())
    pace = sum(w["pace_s"] for w in r["waits"])
    slot = sum(w["slot_s"] for w in r["waits"])
    paces = sum(w["paces"] for w in r["waits"])
    print(f"        CPU {cpu:.1f} s ({cpu / n:.2f} per endpoint) + nginx {r['nginx_cpu_s']:.1f} s; "
          f"target-seconds in probes {target_s:.0f}: waiting for a request turn {pace:.0f}, "
          f"for a connection slot {slot:.0f} (thread-seconds); {paces} request turns = "
          f"{paces / n / 10:.1f} s per target at 10/s; prepare {r['prepare_s']:.1f} s",
          flush=True)
    print("        probe seconds: " + ", ".join(
        f"{k} {v:.0f}" for k, v in sorted(r["probe_s"].items(), key=lambda kv: -kv[1])),
        flush=True)
    if r["errors"]:
        print(f"        errors: {r['errors']}", flush=True)


if __name__ == "__main__":
    main()
