"""The result of a scheduled run says what changed since the previous stored run
(on SQLite and on PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

from egov_audit.history import HistoryStore
from egov_audit.history.changes import since_previous
from egov_audit.renderers import load_renderers
from egov_audit.result_io import dumps, load_result

from .helpers import CSP, ENV, HSTS, three_weeks


def test_the_first_run_has_nothing_to_compare_with(history_location: str) -> None:
    with HistoryStore.open(history_location) as store:
        first = three_weeks()[0]
        assert since_previous(first, store) is first


def test_new_regressed_fixed_and_still_open_are_recorded_and_rendered(
        history_location: str, tmp_path: Path) -> None:
    # Given weeks 1 and 2 stored
    weeks = three_weeks()
    with HistoryStore.open(history_location) as store:
        for report in weeks[:2]:
            store.record(report)
        # When week 3 is compared before it is stored
        third = since_previous(weeks[2], store)
    section = third.extensions["history"]
    # Then HSTS is back, the .env file is new, CSP is still open
    assert section["previous_run"] == weeks[1].run.id
    assert (section["new"], section["regressed"], section["still_open"]) == \
        ([ENV.id], [HSTS.id], [CSP.id])
    assert section["fixed"] == [] and section["not_rechecked"] == []
    # And the result with the section is valid contract 1.1
    path = tmp_path / "result.json"
    path.write_text(dumps(third))
    assert load_result(path).extensions["history"] == section
    # And the formats show it
    catalogue = load_renderers()
    html = catalogue.get("html").render(third, lang="en").decode()
    assert "Since the previous run" in html and "Back since the previous run" in html
    assert "Muncul kembali sejak audit sebelumnya" in \
        catalogue.get("html").render(third, lang="id").decode()
    results = json.loads(catalogue.get("sarif").render(third))["runs"][0]["results"]
    states = {r["partialFingerprints"]["egovAuditFinding/v1"]: r["baselineState"]
              for r in results}
    assert states == {ENV.id: "new", HSTS.id: "new", CSP.id: "unchanged"}


def test_fixed_findings_are_kept_with_their_title_and_location(history_location: str,
                                                                ) -> None:
    weeks = three_weeks()
    with HistoryStore.open(history_location) as store:
        store.record(weeks[0])
        second = since_previous(weeks[1], store)
    fixed = second.extensions["history"]["fixed"]
    assert [(f["id"], f["check"], f["location"]) for f in fixed] == [
        (HSTS.id, HSTS.check, HSTS.location)]
    markdown = load_renderers().get("markdown").render(second).decode()
    assert "Fixed since the previous run: 1" in markdown
    assert HSTS.title.replace("_", "\\_") in markdown  # Markdown-escaped
