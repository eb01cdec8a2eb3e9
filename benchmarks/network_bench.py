"""Network family benchmark: egov-audit's nmap scan against nmap run by hand.

Usage:  python benchmarks/network_bench.py [--hosts 8] [--rounds 3]

A child process starts, on each of N loopback addresses (127.20.0.x), an
imitation Redis, MySQL, FTP and Telnet on fixed high ports. Each round then
scans the same hosts and ports twice, in alternating order:

* egov-audit, in process: ``run_audit`` with ``--checks network`` and the
  ports in ``[settings.network] ports`` (the probe's python-nmap run, XML
  parsing, checks, findings, redaction), the request built beforehand;
* egov-audit, the CLI: ``python -m egov_audit scan`` end to end, so also the
  interpreter start, plugin catalogue loading and report writing;
* nmap: the command line egov-audit builds (same options, hosts and ports),
  with XML on stdout as python-nmap reads it;
* and, for reference, the CLI with nmap switched off (``nmap_path`` pointing
  nowhere): the CLI's fixed cost, which does not depend on the scan.

The overhead is egov-audit's median wall time over nmap's, minus one. Only
loopback is contacted; the fleet stops when the benchmark ends.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PORTS = {"redis": 16379, "mysql": 13306, "ftp": 12121, "telnet": 12323}


def fleet(n: int) -> None:
    """Child mode: start the services, print the hosts, serve until stdin closes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from egov_audit.demo import tcp

    dialogues = {"redis": tcp.redis(), "mysql": tcp.mysql(), "ftp": tcp.ftp(anonymous=True),
                 "telnet": tcp.telnet()}
    hosts = [f"127.20.0.{i + 1}" for i in range(n)]
    services = [tcp.TcpService(dialogues[name], host=host, port=port).start()
                for host in hosts for name, port in PORTS.items()]
    print(json.dumps(hosts), flush=True)
    sys.stdin.read()
    for s in services:
        s.stop()


def timed(argv: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True,
                         env={**os.environ, "EGOV_AUDIT_SALT": "benchmark-salt-000000"})
    return time.perf_counter() - started, out.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fleet", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fleet:
        fleet(args.fleet)
        return
    if shutil.which("nmap") is None:
        sys.exit("nmap is not installed (apt-get install nmap)")
    from egov_audit.probes.ports import nmap_arguments

    ports = sorted(PORTS.values())
    proc = subprocess.Popen([sys.executable, __file__, "--fleet", str(args.hosts)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    hosts = json.loads(proc.stdout.readline())
    nmap_cmd = ["nmap", "-oX", "-", *hosts, "-p", ",".join(map(str, ports)),
                *nmap_arguments({}).split()]
    os.environ.setdefault("EGOV_AUDIT_SALT", "benchmark-salt-000000")
    from egov_audit.audit import build_request
    from egov_audit.runner import run_audit

    request = build_request(hosts, overrides={
        "checks": ("network",), "fail_on": None,
        "settings": {"network": {"ports": ports}},
    })
    times: dict[str, list[float]] = {"in-process": [], "cli": [], "nmap": [],
                                     "cli_without_scan": []}
    findings = open_ports = 0
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "bench.toml"
        config.write_text(f"[settings.network]\nports = {ports}\n")
        no_scan = Path(tmp) / "no-scan.toml"
        no_scan.write_text(f"[settings.network]\nports = {ports}\nnmap_path = \"/nonexistent\"\n")
        def cli(cfg: Path) -> list[str]:
            return [sys.executable, "-m", "egov_audit", "scan", *hosts, "-c", str(cfg),
                    "--checks", "network", "-q", "--fail-on", "none",
                    "-o", str(Path(tmp) / "out")]

        for round_ in range(args.rounds):
            order = ["in-process", "cli", "nmap", "cli_without_scan"]
            for tool in order[round_ % 4:] + order[: round_ % 4]:
                if tool == "in-process":
                    started = time.perf_counter()
                    report = run_audit(request)
                    times[tool].append(time.perf_counter() - started)
                    findings = sum(1 for f in report.findings if f.check in
                                   ("network.database_exposed", "network.cleartext_admin"))
                    continue
                argv = {"cli": cli(config), "nmap": nmap_cmd, "cli_without_scan": cli(no_scan)}
                elapsed, stdout = timed(argv[tool])
                times[tool].append(elapsed)
                if tool == "nmap":
                    open_ports = stdout.count('state="open"')
    proc.stdin.close()
    proc.wait()
    median = {tool: statistics.median(t) for tool, t in times.items()}
    print(json.dumps({
        "hosts": args.hosts,
        "ports_per_host": len(ports),
        "rounds": args.rounds,
        "nmap_open_ports": open_ports,
        "egov_service_findings": findings,
        **{f"{tool}_s": [round(x, 2) for x in t] for tool, t in times.items()},
        **{f"median_{tool}_s": round(m, 2) for tool, m in median.items()},
        "overhead_in_process_pct": round((median["in-process"] / median["nmap"] - 1) * 100, 1),
        "overhead_cli_pct": round((median["cli"] / median["nmap"] - 1) * 100, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
