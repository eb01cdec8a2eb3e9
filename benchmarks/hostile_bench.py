"""Hostile-zoo benchmark: every misbehaving server in one scan, wall time and peak memory.

Usage:  python benchmarks/hostile_bench.py [--target-deadline 120] [--request-deadline 30]
                                           [--only NAME ...] [--write-doc]

Starts the zoo of tests/hostile (one loopback address per behaviour) in this
process, runs the real CLI (`egov-audit scan`) over all of it as a child
process with the default politeness and deadlines, every family but network
(nmap would port-scan the targets' hosts, where off-scope listeners live) and
one worker per target, and samples /proc every 0.1 s for the resident memory
of the scan's whole process tree (the CLI and every child it starts: sslyze,
document parsers). A target's time is when the CLI reported it finished
(its progress line), counted from the scan's start: with one worker per
target every target starts at once. Only loopback is contacted.

Goal (issue 12): every target within its deadline, peak RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks" / "hostile.md"
GRACE = 10.0  # seconds past the target deadline still counted "within" (abandoning, writing)
RSS_GOAL = 500 * 1024 * 1024
_PROGRESS = re.compile(r"^\[\d+/\d+\] (\S+?): (\w+)")


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _proc_bytes(path: str, field: str) -> int:
    """A ``Field:  N kB`` line of a /proc file, in bytes (0 once the process is gone)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _rss(pid: int) -> int:
    return _proc_bytes(f"/proc/{pid}/status", "VmRSS:")


def _pss(pid: int) -> int:
    """Proportional set size: shared pages (a forked parser's copy-on-write
    image of its parent) are divided among the processes sharing them."""
    return _proc_bytes(f"/proc/{pid}/smaps_rollup", "Pss:")


def _name(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [a.decode(errors="replace") for a in argv if a]
    module = next((w for w in words if w.startswith("egov_audit.")), None)
    return module or (Path(words[0]).name if words else "?")


class TreeSampler(threading.Thread):
    """Peaks of the summed RSS and PSS of a process and its descendants, every 0.1 s.

    Summed RSS counts a page shared by a forked child and its parent twice;
    PSS divides it among them, so it is what the tree really occupies. Both are
    reported, with the processes at the RSS peak.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.peak_pss = 0
        self.at_peak: list[tuple[str, int]] = []
        self.most_processes = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            pids = _tree(self.pid)
            sizes = [(pid, _rss(pid)) for pid in pids]
            total = sum(size for _, size in sizes)
            if total > self.peak:
                self.peak = total
                self.at_peak = [(_name(pid), size) for pid, size in sizes]
            self.peak_pss = max(self.peak_pss, sum(_pss(pid) for pid in pids))
            self.most_processes = max(self.most_processes, len(pids))
            self.done.wait(0.1)


@dataclass
class Row:
    name: str
    url: str
    status: str
    seconds: float | None
    reason: str


@dataclass
class Measured:
    rows: list[Row]
    wall: float
    peak: int  # bytes, summed over the process tree
    exit: int
    processes: int  # most processes in the tree at once
    offscope: int  # connections to off-scope listeners
    result: bool  # result.json was written
    peak_pss: int = 0  # bytes, summed over the process tree, shared pages divided
    at_peak: tuple[tuple[str, int], ...] = ()  # (process, RSS) at the RSS peak


def run_zoo_scan(args: argparse.Namespace) -> Measured:
    sys.path.insert(0, str(ROOT))
    from egov_audit.demo.pki import CertificateAuthority
    from tests.hostile.zoo import Zoo

    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp:
        work = Path(tmp)
        ca = CertificateAuthority.create("egov-audit Hostile Bench CA")
        ca_file = ca.write_cert(work / "ca.pem")
        with Zoo(ca, work, args.only or None) as zoo:
            names = {url: name for name, url in zoo.urls.items()}
            (work / "targets.txt").write_text("\n".join(zoo.urls.values()) + "\n")
            (work / "audit.toml").write_text(
                f"[scan]\nrequest_deadline = {args.request_deadline}\n"
                f"target_deadline = {args.target_deadline}\n")
            command = ["egov-audit", "scan", f"@{work / 'targets.txt'}", "-c",
                       str(work / "audit.toml"), "--skip", "network", "--ca-bundle",
                       str(ca_file), "--workers", str(len(zoo.urls)), "--deadline",
                       str(args.run_deadline), "--fail-on", "none", "-o", str(work / "out")]
            env = {**os.environ, "EGOV_AUDIT_SALT": "hostile-bench-salt-0000",
                   "PYTHONUNBUFFERED": "1", "COLUMNS": "400", "NO_COLOR": "1"}
            started = time.monotonic()
            scan = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
            sampler = TreeSampler(scan.pid)
            sampler.start()
            finished: dict[str, float] = {}
            assert scan.stdout is not None
            for line in scan.stdout:  # progress lines arrive as targets finish
                match = _PROGRESS.match(line.strip())
                if match and match.group(1) in names:
                    finished[match.group(1)] = time.monotonic() - started
            exit_code = scan.wait()
            wall = time.monotonic() - started
            sampler.done.set()
            sampler.join()
            offscope = zoo.offscope_connections()
        result_path = work / "out" / "result.json"
        result = json.loads(result_path.read_text()) if result_path.exists() else {}
    rows = []
    outcomes = {t["target"]: t for t in result.get("targets", [])}
    for url, name in names.items():
        outcome = outcomes.get(url, {})
        rows.append(Row(name, url, outcome.get("status", "missing"), finished.get(url),
                        " ".join((outcome.get("error") or "").split())))
    return Measured(rows, wall, sampler.peak, exit_code, sampler.most_processes,
                    sum(offscope.values()), bool(result), sampler.peak_pss,
                    tuple(sampler.at_peak))


def _within(row: Row, deadline: float) -> bool:
    return row.seconds is not None and row.seconds <= deadline + GRACE


def _at(seconds: float | None) -> str:
    return "never" if seconds is None else f"{seconds:.1f} s"


def render(data: Measured, args: argparse.Namespace) -> str:
    rows, wall, peak = data.rows, data.wall, data.peak
    times = [r.seconds for r in rows if r.seconds is not None]
    within = sum(_within(r, args.target_deadline) for r in rows)
    statuses = {s: sum(r.status == s for r in rows) for s in ("ok", "partial", "error",
                                                               "missing")}
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "HEAD", "--",
                            "egov_audit", "checks", "reports", "policies"]).returncode
    measured = f"commit `{commit}`" + (
        " plus uncommitted engine changes in the work tree" if dirty else "")
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {measured} "
        f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}).",
        "",
        f"`python benchmarks/hostile_bench.py --target-deadline {args.target_deadline:g} "
        f"--request-deadline {args.request_deadline:g} --write-doc`",
        "",
        "| measure | value | goal |",
        "|---|---:|---|",
        f"| targets | {len(rows)} | |",
        f"| wall time of the scan | {wall:.1f} s | target deadline {args.target_deadline:g} s "
        f"+ grace {GRACE:g} s |",
        f"| peak RSS, whole process tree | {peak / 2**20:.0f} MB "
        f"(up to {data.processes} processes) | < 500 MB |",
        f"| peak PSS, whole process tree (shared pages counted once) | "
        f"{data.peak_pss / 2**20:.0f} MB | |",
        "| processes at the RSS peak | " + ", ".join(
            f"{name} {size / 2**20:.0f} MB" for name, size in data.at_peak) + " | |",
        f"| targets within their deadline (+{GRACE:g} s) from the scan's start | {within} / "
        f"{len(rows)} | all |",
        f"| first / last target reported finished | {_at(min(times, default=None))} / "
        f"{_at(max(times, default=None))} | |",
        f"| process exit after the last target | "
        f"{_at(wall - max(times)) if times else 'n/a'} | prompt |",
        f"| statuses ok / partial / error / missing | {statuses['ok']} / {statuses['partial']}"
        f" / {statuses['error']} / {statuses['missing']} | a status for each |",
        f"| connections to off-scope listeners | {data.offscope} | 0 |",
        f"| result.json written | {'yes' if data.result else 'no'} | yes |",
        f"| exit code | {data.exit} | 3 (incomplete) is expected |",
        "",
        "| behaviour | status | finished at | reason |",
        "|---|---|---:|---|",
    ]
    for r in rows:
        seconds = f"{r.seconds:.1f} s" if r.seconds is not None else "never"
        mark = "" if _within(r, args.target_deadline) else " **late**"
        reason = r.reason[:140].replace("|", "\\|") + ("…" if len(r.reason) > 140 else "")
        lines.append(f"| {r.name} | {r.status} | {seconds}{mark} | {reason} |")
    return "\n".join(lines) + "\n"


HEADER = """# Benchmark: the hostile zoo in one scan (issue 12)

Every misbehaving server of `tests/hostile/zoo.py` (one loopback address each:
drips, 1xx floods, chunked and length lies, compression bombs, huge headers,
redirect loops and 1,000-hop chains, off-scope tricks aimed at counting
listeners, TLS stalls, TCP blackholes, hostile pages, crawl traps and
documents) scanned at once by the real CLI in its own process, with the default
politeness (4 connections, 10 requests/s per host), every family but network,
and one worker per target. Peak RSS is the sum over the scan's whole process
tree (the CLI and every child: sslyze, document parsers), sampled every 0.1 s
from /proc. A target's time is when the CLI printed it finished, counted from
the scan's start.

"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-deadline", type=float, default=120.0)
    parser.add_argument("--request-deadline", type=float, default=30.0)
    parser.add_argument("--run-deadline", type=float, default=900.0)
    parser.add_argument("--only", nargs="*", help="behaviour names (default: all)")
    parser.add_argument("--write-doc", action="store_true", help=f"write {DOC.relative_to(ROOT)}")
    args = parser.parse_args()
    data = run_zoo_scan(args)
    table = render(data, args)
    print(table)
    if args.write_doc:
        DOC.write_text(HEADER + table)
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
