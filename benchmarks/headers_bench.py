"""Header families benchmark: parser speed, and cost per target of a full run.

Usage:  python benchmarks/headers_bench.py [--targets 20] [--rounds 3]

1. CSP parser: policies parsed and judged per second (a mix of real-world
   shapes, from 40-byte to 4 KB policies).
2. Markup: time to parse a 1 MB HTML page (the SRI, mixed-content, meta CSP
   and generator checks share one parse).
3. End to end: N hardened-but-imperfect services on their own loopback
   addresses (127.30.0.x), audited with the headers, cookies, cors,
   disclosure and hygiene families in-process; reports wall time per target
   and the requests each target received (counted by the servers).

Only loopback is contacted; every server stops when the benchmark ends.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("EGOV_AUDIT_SALT", "benchmark-salt-0123456789")

POLICIES = [
    "default-src 'self'",
    "default-src 'none'; script-src 'self' 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval' https: data:; style-src * 'unsafe-inline'",
    "  DEFAULT-SRC 'self';;; script-src 'self' " + " ".join(
        f"https://cdn{i}.example.go.id" for i in range(120)) + "; img-src * data: blob:",
]


def bench_csp(seconds: float = 1.0) -> float:
    from egov_audit.checks._web import csp as _csp

    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for raw in POLICIES:
            for p in _csp.parse_header([raw]):
                _csp.allows_inline_script(p)
                _csp.insecure_script_sources(p)
                _csp.object_src_none(p)
            n += 1
    return n / (time.perf_counter() - start)


def bench_markup() -> float:
    from egov_audit.checks._web.markup import _parse

    row = ('<div class="berita"><img src="/img/{i}.jpg"><a href="/berita/{i}">Berita {i}</a>'
           '<script src="https://cdn.example.invalid/{i}.js"></script></div>\n')
    page = "<html><head><title>x</title></head><body>" + "".join(
        row.format(i=i) for i in range(6000)) + "</body></html>"
    page = page[: 1_000_000]
    start = time.perf_counter()
    _parse(page, "https://example.go.id/")
    return time.perf_counter() - start


def bench_run(targets: int, rounds: int) -> tuple[float, float]:
    from egov_audit.audit import build_request
    from egov_audit.demo.server import LocalServer, html
    from egov_audit.model import Target
    from egov_audit.runner import run_audit

    page = html("<html><head><title>Layanan</title><script src='/a.js'></script></head>"
                "<body>" + "isi " * 500 + "</body></html>",
                headers=[("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                         ("Set-Cookie", "PHPSESSID=x; HttpOnly; Path=/")])
    servers = [LocalServer({"/": page}, host=f"127.30.0.{i + 1}").start()
               for i in range(targets)]
    try:
        objs = [Target(spec=s.url("/"), host=s.host, http_url=s.url("/"), https_url=None)
                for s in servers]
        times = []
        for _ in range(rounds):
            for s in servers:
                s.requests.clear()
            request = build_request([], targets=objs, overrides={
                "checks": ("headers", "cookies", "cors", "disclosure", "hygiene"),
                "rate": 50.0, "connections": 4, "workers": 16})
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                run_audit(request, workdir=Path(tmp))
                times.append(time.perf_counter() - start)
        per_target = statistics.median(times) / targets
        reqs = statistics.mean(len(s.requests) for s in servers)
        return per_target, reqs
    finally:
        for s in servers:
            s.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print(f"CSP policies parsed+judged per second: {bench_csp():,.0f}")
    print(f"1 MB page markup parse: {bench_markup() * 1000:.0f} ms")
    per_target, reqs = bench_run(args.targets, args.rounds)
    print(f"{args.targets} targets, 5 families: {per_target * 1000:.0f} ms per target "
          f"(median of {args.rounds}), {reqs:.1f} requests per target")


if __name__ == "__main__":
    main()
