"""The remediation plan: grouping by fix, ordering, snippets, SLA dates and containment."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from egov_audit.errors import InputError
from egov_audit.model import Severity
from egov_audit.prioritise import prioritise
from egov_audit.prioritise.fixes import SERVERS, load_catalogue
from egov_audit.result_io import dumps, report_from_dict, validate

from .factories import finding, outcome, report


def site(i: int) -> str:
    """The i-th made-up host of a test estate (never contacted)."""
    host = f"h{i}"
    return f"https://{host}.example.go.id/"

def plan_of(rep, sla=None):  # type: ignore[no-untyped-def]
    return prioritise(rep, sla).extensions["plan"]


def item(plan, item_id):  # type: ignore[no-untyped-def]
    (found,) = [i for i in plan["items"] if i["id"] == item_id]
    return found


def hsts_estate(hosts: int = 9, findings: int = 14):  # type: ignore[no-untyped-def]
    """``findings`` HSTS findings spread over ``hosts`` hosts (two checks on some hosts)."""
    checks = ("https.hsts_missing", "https.hsts_short_max_age")
    per_host: dict[str, list] = {site(i): [] for i in range(hosts)}
    specs = list(per_host)
    for n in range(findings):
        spec = specs[n % hosts]
        per_host[spec].append(finding(checks[n // hosts], spec))
    return report([outcome(spec, items) for spec, items in per_host.items()])


def test_fourteen_findings_on_nine_hosts_become_one_action() -> None:
    # Given 14 HSTS findings (two different checks) on 9 hosts
    rep = hsts_estate()
    # When the plan is built
    plan = plan_of(rep)
    # Then one item covers all of them
    hsts = item(plan, "https.hsts")
    assert len(hsts["finding_ids"]) == 14
    assert len(hsts["hosts"]) == 9
    assert hsts["check_ids"] == ["https.hsts_missing", "https.hsts_short_max_age"]
    risk = prioritise(rep).extensions["risk"]
    # with their risk combined per host (5 hosts have two findings) and summed over hosts
    one, two = risk[hsts["finding_ids"][0]]["score"], risk[hsts["finding_ids"][-1]]["score"]
    combined = 100 * (1 - (1 - one / 100) * (1 - two / 100))
    assert hsts["risk_removed"] == pytest.approx(5 * combined + 4 * one, abs=0.1)
    assert hsts["risk_removed"] < sum(risk[i]["score"] for i in hsts["finding_ids"])
    assert hsts["effort"] == "low" and hsts["containment"] is False
    # and its findings are listed worst first
    ranks = [risk[i]["rank"] for i in hsts["finding_ids"]]
    assert ranks == sorted(ranks)


def test_items_are_ordered_by_risk_removed() -> None:
    # Given one high finding and three medium HSTS findings
    spec = "https://portal.example.go.id/"
    findings = [finding("https.unavailable", spec, severity=Severity.HIGH)] + [
        finding("https.hsts_missing", site(i)) for i in range(3)]
    rep = report([outcome(f.target, [f]) for f in findings])
    plan = plan_of(rep)
    # Then the three HSTS findings together outweigh the single high one
    assert [i["id"] for i in plan["items"]] == ["https.hsts", "https.enable"]
    removed = [i["risk_removed"] for i in plan["items"]]
    assert removed == sorted(removed, reverse=True)


def test_unmapped_check_gets_a_generic_item_with_its_own_remediation() -> None:
    f = finding("plugin.custom_thing", remediation="Turn the custom thing off.",
                title="Custom thing is on")
    plan = plan_of(report([outcome(f.target, [f])]))
    generic = item(plan, "check.plugin.custom_thing")
    assert "Custom thing is on" in generic["action"]
    assert generic["remediation"] == "Turn the custom thing off."
    assert generic["snippets"] == {}


def test_snippets_follow_the_fingerprinted_server() -> None:
    # Given an nginx host (its banner was recorded by a disclosure finding), an IIS host,
    # and a host nothing is known about, all missing HSTS
    nginx, iis, unknown = (f"https://{n}.example.go.id/" for n in ("a", "b", "c"))
    rep = report([
        outcome(nginx, [finding(target=nginx),
                        finding("disclosure.server_version", nginx,
                                details={"header": "Server", "value": "nginx/1.24.0"})]),
        outcome(iis, [finding(target=iis),
                      finding("disclosure.powered_by", iis,
                              evidence="Server: Microsoft-IIS/10.0; X-Powered-By: ASP.NET")]),
        outcome(unknown, [finding(target=unknown)]),
    ])
    # When each host is planned alone, and all together
    only_nginx = plan_of(report([rep.outcomes[0]]))
    nginx_and_iis = plan_of(report(rep.outcomes[:2]))
    # Then nginx alone gets nginx wording and only the nginx snippet
    hsts = item(only_nginx, "https.hsts")
    assert hsts["action"] == "Enable HSTS in the nginx server block"
    assert set(hsts["snippets"]) == {"nginx"}
    assert "add_header Strict-Transport-Security" in hsts["snippets"]["nginx"]
    assert item(only_nginx, "disclosure.banners")["snippets"].keys() == {"nginx"}
    # and mixed software keeps the generic wording with the snippets of both servers
    mixed = item(nginx_and_iis, "https.hsts")
    assert mixed["action"].startswith("Enable HSTS (Strict-Transport-Security)")
    assert set(mixed["snippets"]) == {"nginx", "iis"}
    # while an unknown host brings back every snippet
    alone_unknown = item(plan_of(report([rep.outcomes[2]])), "https.hsts")
    assert set(alone_unknown["snippets"]) == set(SERVERS)
    assert any("could not be told" in n for n in plan_of(report([rep.outcomes[2]]))["notes"])


def test_laravel_cookie_adds_the_php_snippet() -> None:
    spec = "https://izin.example.go.id/"
    rep = report([outcome(spec, [
        finding("cookies.session_without_secure", spec,
                evidence="Set-Cookie: laravel_session=[redacted]; path=/; Server: nginx"),
    ])])
    cookies = item(plan_of(rep), "cookies.flags")
    assert set(cookies["snippets"]) == {"nginx", "php"}
    assert "session.cookie_secure" in cookies["snippets"]["php"]


def test_due_dates_follow_the_default_sla_from_the_run_start() -> None:
    # Given a run that started late on 30 January (UTC), with a high and a low finding
    spec = "https://portal.example.go.id/"
    high = finding("https.unavailable", spec, severity=Severity.HIGH)
    low = finding("https.hsts_short_max_age", spec, severity=Severity.LOW)
    info = finding("plugin.note", spec, severity=Severity.INFO)
    plan = plan_of(report([outcome(spec, [high, low, info])]))
    # Then the dates count whole days from that date: high 14, low 90, info none
    assert item(plan, "https.enable")["due"] == "2026-02-13"
    assert item(plan, "https.hsts")["due"] == "2026-04-30"
    assert item(plan, "check.plugin.note")["due"] is None
    assert plan["sla"]["high"] == 14


def test_configured_sla_and_earliest_date_per_item() -> None:
    spec = "https://portal.example.go.id/"
    worse = finding("https.hsts_missing", spec, severity=Severity.HIGH)
    milder = finding("https.hsts_short_max_age", spec, severity=Severity.LOW)
    rep = report([outcome(spec, [worse, milder])], started_at="2026-03-01T08:00:00+07:00")
    plan = plan_of(rep, {"high": 7, "low": "none", "medium": 30})
    # The item is due when its most urgent finding is: 1 March 01:00 UTC + 7 days
    assert item(plan, "https.hsts")["due"] == "2026-03-08"
    assert item(plan, "https.hsts")["severity"] == "high"
    assert plan["sla"]["low"] is None


@pytest.mark.parametrize(("sla", "words"), [
    ({"hihg": 3}, "unknown key 'hihg'"),
    ({"high": -1}, "high = -1"),
    ({"high": 2.5}, "high = 2.5"),
    ({"critical": True}, "critical = True"),
    ({"medium": "soon"}, "medium = 'soon'"),
    ({"low": 100000}, "low = 100000"),
])
def test_invalid_sla_is_an_input_error_naming_the_key(sla: dict[str, object],
                                                      words: str) -> None:
    rep = hsts_estate(1, 1)
    with pytest.raises(InputError) as caught:
        prioritise(rep, sla)
    assert words in str(caught.value)
    assert "[sla]" in str(caught.value)


def test_exposed_personal_data_puts_containment_first_with_the_pdp_notice() -> None:
    # Given HSTS problems everywhere and one high PII finding on one host
    rep = hsts_estate(5, 10)
    pii_spec = rep.outcomes[0].target.spec
    leak = finding("pii.nik_exposed", pii_spec, severity=Severity.HIGH, cwe=(359,),
                   details={"counts": {"nik": 120}})
    first_outcome = replace(rep.outcomes[0], findings=(*rep.outcomes[0].findings, leak))
    outcomes = (first_outcome, *rep.outcomes[1:])
    plan = plan_of(report(outcomes), {"containment": 2})
    # Then the plan starts with containment of that data, due within the containment SLA
    first = plan["items"][0]
    assert first["containment"] is True
    assert first["id"] == "containment.personal_data"
    assert first["finding_ids"] == [leak.id]
    assert first["hosts"] == ["h0.example.go.id"]
    assert first["due"] == "2026-02-01"
    # and the notes carry the UU PDP Pasal 46 3×24-hour notification duty
    assert any("Pasal 46" in n and "3×24 hours" in n for n in plan["notes"])
    # and the fix for the PII itself is still a separate item
    assert item(plan, "pii.remove")["finding_ids"] == [leak.id]
    assert sum(i["containment"] for i in plan["items"]) == 1


@pytest.mark.parametrize(("check", "severity", "details", "cwe", "contained"), [
    ("pii.identifiers_exposed", Severity.LOW, {"total": 40}, (359,), False),
    ("pii.identifiers_exposed", Severity.HIGH, {"total": 40}, (359,), True),
    ("pii.bulk_exposure", Severity.CRITICAL, {}, (359, 200), True),
    ("pii.identifiers_exposed", Severity.HIGH, {"total": 0, "counts": {}}, (359,), False),
    ("pii.form_plain_http", Severity.HIGH, {}, (319, 311), False),
    ("exposure.sql_dump", Severity.HIGH, {"personal_data": True}, (538,), True),
    ("exposure.sql_dump", Severity.HIGH, {"tags": ["pii"]}, (538,), True),
    ("exposure.sql_dump", Severity.CRITICAL, {"counts": {"nik": 12}}, (538,), True),
    ("exposure.sql_dump", Severity.HIGH, {}, (538,), False),
])
def test_containment_only_for_high_personal_data_exposure(
    check: str, severity: Severity, details: dict[str, object], cwe: tuple[int, ...],
    contained: bool,
) -> None:
    f = finding(check, severity=severity, details=details, cwe=cwe)
    plan = plan_of(report([outcome(f.target, [f])]))
    assert plan["items"][0]["containment"] is contained
    assert any("Pasal 46" in n for n in plan["notes"]) is contained


def test_prioritised_result_validates_and_rerenders_identically() -> None:
    # Given a prioritised report with a custom SLA, written as the JSON result
    rep = prioritise(hsts_estate(3, 5), {"medium": 10})
    data = json.loads(dumps(rep))
    # Then it matches the result schema (risk and plan sections included)
    validate(data)
    # and prioritising the stored result again (as render does) changes nothing
    again = prioritise(report_from_dict(data))
    assert again.extensions["plan"] == rep.extensions["plan"]
    assert again.extensions["risk"] == rep.extensions["risk"]


def test_schema_rejects_a_malformed_plan() -> None:
    data = json.loads(dumps(prioritise(hsts_estate(1, 1))))
    data["extensions"]["plan"]["items"][0]["effort"] = "trivial"
    with pytest.raises(InputError, match="effort"):
        validate(data)


def test_every_catalogue_action_is_well_formed() -> None:
    catalogue = load_catalogue()
    ids = [a.id for a in catalogue.actions]
    assert len(ids) == len(set(ids))
    for action in catalogue.actions:
        assert action.summary, action.id
        assert action.checks, action.id
        assert set(action.snippets) <= set(SERVERS)
        assert all(s.strip() for s in action.snippets.values()), action.id


def test_every_installed_check_maps_to_a_specific_action() -> None:
    # The catalogue is tightened against `egov-audit checks list`: no installed check
    # should fall back to the generic item.
    from egov_audit.registry import load_catalogue as load_checks

    checks = load_checks().checks
    assert checks, "no checks installed"
    unmapped = sorted(c for c in checks if load_catalogue().for_check(c) is None)
    assert unmapped == []


@pytest.mark.parametrize(("check", "action"), [
    ("https.hsts_missing", "https.hsts"),
    ("headers.hsts_preload_ready", "https.hsts"),
    ("headers.csp_unsafe_inline", "headers.csp"),
    ("headers.clickjacking", "headers.csp"),
    ("headers.nosniff_missing", "headers.baseline"),
    ("tls.legacy_protocols", "tls.protocols"),
    ("tls.certificate_expired", "tls.certificate"),
    ("tls.weak_ciphers", "tls.ciphers"),
    ("pii.nik_exposed", "pii.remove"),
    ("pii.form_plain_http", "https.redirect"),
    ("pii.cacheable_response", "cache.no_store"),
    ("integrity.webshell", "integrity.incident"),
    ("exposure.phpinfo", "exposure.debug_endpoints"),
    ("exposure.spring_actuator_env", "exposure.debug_endpoints"),
    ("exposure.git_metadata", "exposure.remove"),
    ("network.eol_service_version", "software.upgrade"),
])
def test_exact_and_narrow_globs_win(check: str, action: str) -> None:
    found = load_catalogue().for_check(check)
    assert found is not None and found.id == action


def test_reference_urls_do_not_fingerprint_a_server() -> None:
    # Given a finding whose details cite Apache's documentation, on a host that runs nginx
    spec = "https://a.example.go.id/"
    rep = report([outcome(spec, [
        finding(target=spec, details={"source": "https://httpd.apache.example.org/security/"},
                evidence="Server: nginx"),
    ])])
    # Then only nginx is recognised
    assert item(plan_of(rep), "https.hsts")["servers"] == ["nginx"]


def test_one_unrecognised_host_brings_back_every_snippet() -> None:
    # Given HSTS missing on an nginx host and on a host whose software is unknown
    known, unknown = "https://a.example.go.id/", "https://b.example.go.id/"
    rep = report([
        outcome(known, [finding(target=known, evidence="Server: nginx/1.24.0")]),
        outcome(unknown, [finding(target=unknown)]),
    ])
    hsts = item(plan_of(rep), "https.hsts")
    # Then the item keeps the generic wording and the snippets for every server
    assert hsts["servers"] == ["nginx"]
    assert hsts["action"].startswith("Enable HSTS (Strict-Transport-Security)")
    assert set(hsts["snippets"]) == set(SERVERS)


def test_sla_section_from_a_configuration_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Given an audit configuration with an [sla] section, loaded as the CLI loads it
    from egov_audit.config import load_config

    path = tmp_path / "audit.toml"
    path.write_text('[sla]\nhigh = 7\ninfo = "none"\ncontainment = 0\n', encoding="utf-8")
    sla = load_config(path).sections["sla"]
    spec = "https://portal.example.go.id/"
    rep = report([outcome(spec, [finding("https.unavailable", spec, severity=Severity.HIGH)])])
    # Then its values drive the dates, the rest keep their defaults
    plan = plan_of(rep, sla)
    assert item(plan, "https.enable")["due"] == "2026-02-06"
    assert plan["sla"] == {"containment": 0, "critical": 3, "high": 7, "medium": 30,
                           "low": 90, "info": None}
