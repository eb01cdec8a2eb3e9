"""Prioritisation of a result produced by the real engine against loopback servers."""

from __future__ import annotations

from egov_audit.demo.server import html
from egov_audit.prioritise import prioritise
from egov_audit.result_io import dumps, load_result

from ..conftest import AuditFn, ServeFn, pair


def test_real_scan_is_ranked_and_planned(serve: ServeFn, audit: AuditFn, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Given a vital service serving its form over plain HTTP, and HTTPS without HSTS
    page = html('<form action="/login"><input name="nik"></form>')
    https = serve({"/": page}, tls=True)
    http = serve({"/": page})
    target = pair(http, https, criticality="vital", data_classification="personal")
    # When the real engine audits it and the result is prioritised, stored and read back
    report = prioritise(audit([target], checks=["https"]), {"high": 5})
    path = tmp_path / "result.json"
    path.write_text(dumps(report), encoding="utf-8")
    stored = load_result(path)
    # Then every finding has a rank, the plan covers every finding once outside containment,
    plan, risk = stored.extensions["plan"], stored.extensions["risk"]
    assert set(risk) == {f.id for f in report.findings}
    covered = [fid for i in plan["items"] if not i["containment"] for fid in i["finding_ids"]]
    assert sorted(covered) == sorted(f.id for f in report.findings)
    # and the plain-HTTP redirect (high, 5-day SLA) comes first
    first = plan["items"][0]
    assert first["id"] == "https.redirect"
    assert first["severity"] == "high"
    assert first["hosts"] == [https.host + ":" + str(https.port)]
    assert "https.hsts" in [i["id"] for i in plan["items"]]
