"""Every data rule carries examples, and every example judges as it says."""

from __future__ import annotations

import pytest
from egov_audit.checks._pathrules.match import judge
from egov_audit.checks.exposure import RULES as EXPOSURE_RULES
from egov_audit.checks.integrity import RULES as INTEGRITY_RULES

from egov_audit.probes.http import HttpResponse
from egov_audit.registry import load_catalogue

from ..portal import HOME

RULES = (*EXPOSURE_RULES, *INTEGRITY_RULES)


def response(path: str, body: bytes, headers: tuple[tuple[str, str], ...] = (),
             status: int = 200) -> HttpResponse:
    url = "http://127.0.0.1:8080" + path
    return HttpResponse("GET", url, url, status, headers=headers, body=body)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples_judge_as_declared(rule) -> None:  # type: ignore[no-untyped-def]
    # Given a rule with its own positive and negative examples
    assert any(e.expect for e in rule.examples), "a rule needs a positive example"
    assert any(not e.expect for e in rule.examples), "a rule needs a negative example"
    for example in rule.examples:
        # When each example response is judged
        hit = judge(rule.matcher, response(example.path, example.body, example.headers,
                                           example.status))
        # Then the verdict is the declared one
        assert (hit is not None) is example.expect, (rule.id, example.path, example.body[:60])


GENERIC_NEGATIVES = {
    "html home page": (HOME.encode(), (("Content-Type", "text/html; charset=utf-8"),)),
    "empty body": (b"", (("Content-Type", "text/plain"),)),
    "json 404": (b'{"status":404,"message":"Not Found"}', (("Content-Type", "application/json"),)),
    "plain ok": (b"OK", (("Content-Type", "text/plain"),)),
    "nginx 404": (b"<html><head><title>404 Not Found</title></head><body><center><h1>404 Not "
                  b"Found</h1></center><hr><center>nginx</center></body></html>",
                  (("Content-Type", "text/html"),)),
}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
@pytest.mark.parametrize("name", sorted(GENERIC_NEGATIVES))
def test_no_rule_matches_generic_catch_all_answers(rule, name: str) -> None:  # type: ignore[no-untyped-def]
    # Given what catch-all hosts answer for any path
    body, headers = GENERIC_NEGATIVES[name]
    # Then no rule takes it for evidence, whatever path it came from
    for path in rule.paths[:3]:
        assert judge(rule.matcher, response(path.replace("{host}", "h").replace("{name}", "h"),
                                            body, headers)) is None


def test_rule_names_are_check_names_and_all_are_registered() -> None:
    catalogue = load_catalogue()
    for rule in RULES:
        registered = catalogue.checks[rule.id].check
        assert registered.meta.remediation and registered.meta.references and registered.meta.cwe
        assert registered.meta.description == rule.description
        assert "path-rule" in registered.meta.tags


# Refused rule files (no content evidence, unknown keys...): tests/checks/_pathrules.
