"""Prioritisation, signing and verification cost on large constructed results.

No network at all: reports are built in memory from the model (the shape a
500-target scan produces), then prioritised, written, signed and verified.

    python benchmarks/prioritise_bench.py --sizes 100 500 2000 --per-target 20
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from egov_audit.model import Confidence, Severity
from egov_audit.prioritise import prioritise
from egov_audit.result_io import dumps
from egov_audit.signing import sign_outputs, verify_outputs
from egov_audit.signing.keys import generate_keypair
from tests.prioritise.factories import finding, outcome, report

CHECKS = ("https.hsts_missing", "https.plain_http_served", "headers.csp_missing",
          "headers.nosniff_missing", "tls.legacy_tls_accepted", "cookies.secure_missing",
          "disclosure.server_version", "hygiene.security_txt_missing", "pii.nik_exposed",
          "network.database_exposed", "tls.cert_expiring", "cors.null_origin")
SEVERITIES = tuple(Severity)
CLASSES = ("public", "internal", "personal", "specific")
CRITS = ("low", "medium", "high", "vital")


def build(targets: int, per_target: int):  # type: ignore[no-untyped-def]
    outcomes = []
    for t in range(targets):
        spec = f"https://svc{t}.example.go.id/"
        items = []
        for n in range(per_target):
            check = CHECKS[(t + n) % len(CHECKS)]
            h = int(hashlib.sha256(f"{t}/{n}".encode()).hexdigest()[:6], 16)
            items.append(finding(check, spec, location=f"{spec}p{n}",
                                 severity=SEVERITIES[h % 5],
                                 confidence=tuple(Confidence)[h % 3],
                                 details={"total": h % 5000} if check.startswith("pii") else {},
                                 evidence="Server: nginx/1.18.0" if h % 4 == 0 else "seen"))
        outcomes.append(outcome(spec, items, criticality=CRITS[t % 4],
                                data_classification=CLASSES[t % 4],
                                exposure="internet" if t % 3 else "internal"))
    return report(outcomes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--per-target", type=int, default=20)
    args = parser.parse_args()
    print("| targets | findings | prioritise | plan items | result size | sign | verify |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        private, public = generate_keypair(Path(tmp) / "k")
        for size in args.sizes:
            rep = build(size, args.per_target)
            t0 = time.perf_counter()
            done = prioritise(rep)
            t1 = time.perf_counter()
            out = Path(tmp) / f"run{size}"
            out.mkdir()
            result = out / "result.json"
            result.write_text(dumps(done), encoding="utf-8")
            extra = out / "report.html"
            extra.write_bytes(result.read_bytes() * 2)  # a stand-in rendered file
            t2 = time.perf_counter()
            sign_outputs(result, [extra], private)
            t3 = time.perf_counter()
            outcome_ = verify_outputs(result, public)
            t4 = time.perf_counter()
            assert outcome_.intact, outcome_.problems
            print(f"| {size} | {len(rep.findings)} | {t1 - t0:.2f} s | "
                  f"{len(done.extensions['plan']['items'])} | "
                  f"{result.stat().st_size / 1e6:.1f} MB | {t3 - t2:.2f} s | {t4 - t3:.2f} s |")


if __name__ == "__main__":
    main()
