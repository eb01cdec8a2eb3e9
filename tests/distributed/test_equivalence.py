"""A distributed run writes the same result as a local run of the same targets.

Given small loopback sites (plain HTTP and HTTPS, each on its own 127.x
address so no two targets share a host's request budget), when they are
audited once by the local executor and once by two Celery workers, then
every target has the same status, every check the same status, and the
findings the same ids.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from egov_audit.audit import build_request
from egov_audit.demo.server import html
from egov_audit.distributed.settings import ExecutorSettings
from egov_audit.model import RunReport, Target
from egov_audit.runner import run_audit
from tests.conftest import FAST, ServeFn, pair

from .conftest import Workers

CHECKS = ("*",)

PAGE = html("<html><head><title>Dinas</title></head><body>"
            "<a href='/layanan'>Layanan</a> Hubungi 0812-3456-7890</body></html>",
            headers=[("Set-Cookie", "sid=abc; Path=/")])


def sites(serve: ServeFn, count: int) -> list[Target]:
    targets = []
    for n in range(count):
        host = f"127.0.0.{10 + n}"
        plain = serve({"/": PAGE, "/.env": html("DB_PASSWORD=hunter2secret")}, host=host)
        secure = serve({"/": PAGE}, tls=True, host=host) if n % 2 == 0 else None
        targets.append(pair(plain, secure))
    return targets


def audit(targets: list[Target], ca_file: Path, tmp_path: Path,
          executor: ExecutorSettings | None = None, **options: Any) -> RunReport:
    overrides = {**FAST, "ca_bundle": str(ca_file), "checks": CHECKS,
                 "target_deadline": 60.0, **options}
    request = build_request([], targets=targets, overrides=overrides)
    request.executor = executor
    return run_audit(request, workdir=tmp_path)


def summary(report: RunReport) -> dict[str, Any]:
    return {
        "targets": {o.target.spec: o.status.value for o in report.outcomes},
        "results": sorted((r.target, r.check, r.status.value) for r in report.results),
        "findings": sorted(f.id for f in report.findings),
    }


def test_local_and_distributed_runs_give_the_same_result(
        serve: ServeFn, ca_file: Path, tmp_path: Path, workers: Workers) -> None:
    targets = sites(serve, 4)
    local = audit(targets, ca_file, tmp_path)
    workers.start()
    workers.start()
    remote = audit(targets, ca_file, tmp_path,
                   ExecutorSettings(kind="celery", broker=workers.broker))

    assert summary(remote) == summary(local)
    assert local.findings, "the sites must give findings for the comparison to mean much"
    assert [o.target.spec for o in remote.outcomes] == [t.spec for t in targets]
    assert sum(r["sent"] for r in remote.run.requests.values()) > 0
    # Both workers took part: each one's log shows targets it audited.
    for worker in workers.started:
        assert re.search(rb"audit_target\[[0-9a-f-]+\] received", worker.log.read_bytes())
