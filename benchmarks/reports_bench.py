"""Report rendering benchmark: time and output size per format for large results.

Usage:  python benchmarks/reports_bench.py [--targets 200] [--per-target 10] [--lang id]

Builds a synthetic RunReport in memory (no network at all): N targets in 20
units, each with K findings drawn from the installed check catalogue, plus
risk, plan and compliance extensions of the shapes the later stages write.
Every installed renderer renders it once; wall time and bytes are printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build(targets: int, per_target: int) -> Any:
    from egov_audit.model import (
        CheckResult,
        Evidence,
        Finding,
        RunInfo,
        RunReport,
        Service,
        Status,
        Target,
        TargetOutcome,
        TargetStatus,
    )
    from egov_audit.registry import load_catalogue

    metas = [r.check.meta for _, r in sorted(load_catalogue().checks.items())]
    outcomes, risk, rank = [], {}, 0
    for t in range(targets):
        host = f"layanan{t}.example.go.id"
        target = Target(f"https://{host}/", host, f"http://{host}/", f"https://{host}/",
                        Service(name=f"Layanan {t}", opd=f"Dinas {t % 20}"))
        findings, results = [], []
        for k in range(per_target):
            m = metas[(t * per_target + k) % len(metas)]
            fid = f"{t:08x}{k:012x}"
            rank += 1
            risk[fid] = {"score": 100.0 - rank / (targets * per_target) * 100, "rank": rank,
                         "factors": {}, "why": "Synthetic."}
            findings.append(Finding(fid, m.id, m.title, m.severity, m.confidence, m.cwe,
                                    target.spec, f"https://{host}/path/{k}?q=1",
                                    Evidence(f"GET https://{host}/path/{k} → 200: "
                                             "NIK 3171****01 " + "x" * 200),
                                    m.description, m.remediation, m.references))
            results.append(CheckResult(m.id, target.spec, Status.FAIL, None, 1.0))
        outcomes.append(TargetOutcome(target, TargetStatus.OK, None, (), tuple(results),
                                      tuple(findings)))
    plan = {"items": [{"id": f"a{i}", "action": metas[i].title, "check_ids": [metas[i].id],
                       "finding_ids": [], "hosts": [], "risk_removed": 10.0, "effort": "low",
                       "due": None, "severity": "high", "snippets": {}, "containment": False}
                      for i in range(min(40, len(metas)))], "notes": []}
    return RunReport("1.0", {"name": "egov-audit", "version": "bench"},
                     RunInfo("bench", "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", 60.0, {}),
                     tuple(outcomes), {"sha256": "0" * 64, "checks": []},
                     {"risk": risk, "plan": plan})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=200)
    parser.add_argument("--per-target", type=int, default=10)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    from egov_audit.reports import available

    report = build(args.targets, args.per_target)
    print(f"{args.targets} targets, {len(report.findings)} findings, lang={args.lang}")
    for name, cls in sorted(available().items()):
        start = time.perf_counter()
        data = cls().render(report, lang=args.lang)
        elapsed = time.perf_counter() - start
        print(f"  {name:11} {elapsed:7.2f} s  {len(data) / 1e6:7.2f} MB")


if __name__ == "__main__":
    main()
