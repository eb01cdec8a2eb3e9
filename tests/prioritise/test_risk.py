"""Risk scores: ordering, explanation and determinism on constructed reports."""

from __future__ import annotations

import random

import pytest

from egov_audit.model import Confidence, Severity
from egov_audit.prioritise import prioritise
from egov_audit.prioritise.risk import volume_weight

from .factories import finding, outcome, report, single


def site(i: int) -> str:
    """The i-th made-up host of a test estate (never contacted)."""
    host = f"h{i}"
    return f"https://{host}.example.go.id/"

def risk_of(rep, fid):  # type: ignore[no-untyped-def]
    return prioritise(rep).extensions["risk"][fid]


def test_worst_context_scores_100_and_explains_every_factor() -> None:
    # Given a critical, certain finding on an Internet-facing vital service holding specific data
    f = finding(severity=Severity.CRITICAL, confidence=Confidence.CERTAIN)
    rep = single(f, criticality="vital", data_classification="specific", exposure="internet")
    # When it is prioritised
    risk = risk_of(rep, f.id)
    # Then it scores the maximum and the explanation names each factor
    assert risk["score"] == 100.0
    assert risk["rank"] == 1
    for words in ("Ranked 1 of 1", "critical-severity", "certain confidence", "Internet-facing",
                  "vital criticality", "specific data", "= 100.0"):
        assert words in risk["why"]
    assert risk["factors"]["exposure"] == {"value": "internet", "weight": 1.0}


def test_same_finding_ranks_by_service_context() -> None:
    # Given one HSTS finding on an exposed vital personal-data service and one on an internal,
    # low-criticality public service
    exposed = finding(target="https://exposed.example.go.id/")
    internal = finding(target="https://intranet.example.go.id/")
    rep = report([
        outcome(internal.target, [internal], criticality="low", data_classification="public",
                exposure="internal"),
        outcome(exposed.target, [exposed], criticality="vital",
                data_classification="personal", exposure="internet"),
    ])
    # When prioritised
    risk = prioritise(rep).extensions["risk"]
    # Then the exposed one is first, and the scores follow the documented formula
    assert risk[exposed.id]["rank"] == 1 and risk[internal.id]["rank"] == 2
    assert risk[exposed.id]["score"] == round(100 * 0.5 * 1.0 * 1.0 * (1.0 + 0.85) / 2, 1)
    assert risk[internal.id]["score"] == round(100 * 0.5 * 1.0 * 0.6 * (0.55 + 0.5) / 2, 1)
    assert "internal-only" in risk[internal.id]["why"]


def test_severity_outweighs_context_and_confidence_lowers_the_score() -> None:
    high = finding("tls.legacy_protocols", severity=Severity.HIGH)
    low = finding("https.hsts_short_max_age", severity=Severity.LOW)
    guess = finding("disclosure.server_banner", severity=Severity.HIGH,
                    confidence=Confidence.TENTATIVE)
    rep = report([outcome(high.target, [low, guess, high])])
    risk = prioritise(rep).extensions["risk"]
    assert [r["rank"] for r in (risk[high.id], risk[guess.id], risk[low.id])] == [1, 2, 3]
    assert "a person should confirm it" in risk[guess.id]["why"]


def test_personal_data_volume_raises_the_score() -> None:
    # Given two identical PII findings on a public-data service, one with 3 and one with 5,000 NIKs
    few = finding("pii.nik_exposed", target="https://a.example.go.id/", severity=Severity.HIGH,
                  details={"counts": {"nik": 3}})
    many = finding("pii.nik_exposed", target="https://b.example.go.id/", severity=Severity.HIGH,
                   details={"total": 5000})
    rep = report([outcome(few.target, [few], data_classification="public"),
                  outcome(many.target, [many], data_classification="public")])
    risk = prioritise(rep).extensions["risk"]
    # Then more records rank first, and the explanation says how many
    assert risk[many.id]["rank"] == 1
    assert risk[many.id]["score"] > risk[few.id]["score"]
    assert "5,000 personal-data value(s)" in risk[many.id]["why"]
    assert risk[few.id]["factors"]["personal_data"]["records"] == 3


@pytest.mark.parametrize("details", [{"counts": "lots"}, {"total": -4}, {"total": True},
                                     {"counts": {"nik": "x"}}, {}])
def test_malformed_pii_counts_read_as_unknown(details: dict[str, object]) -> None:
    f = finding("pii.nik_exposed", severity=Severity.HIGH, details=details)
    risk = risk_of(single(f), f.id)
    assert risk["factors"]["personal_data"] == {"involved": True, "records": None,
                                                "specific": False, "weight": 0.85}


def test_volume_weight_is_monotonic_and_capped() -> None:
    weights = [volume_weight(n) for n in (0, 1, 2, 10, 100, 999, 1000, 10**6)]
    assert weights == sorted(weights)
    assert weights[0] == 0.85 and weights[-1] == 1.0 and weights[-2] == 1.0


def test_ranking_is_deterministic_whatever_the_outcome_order() -> None:
    # Given twenty findings with many ties, in two different orders
    outcomes = [outcome(site(i),
                        [finding(c, site(i)) for c in
                         ("https.hsts_missing", "https.plain_http_served")])
                for i in range(10)]
    shuffled = outcomes[:]
    random.Random(7).shuffle(shuffled)
    # When both are prioritised
    a = prioritise(report(outcomes)).extensions
    b = prioritise(report(shuffled)).extensions
    # Then ranks, scores and the plan are identical
    assert a["risk"] == b["risk"]
    assert a["plan"] == b["plan"]
    assert sorted(r["rank"] for r in a["risk"].values()) == list(range(1, 21))


def test_unknown_service_values_fall_back_to_defaults() -> None:
    f = finding()
    rep = single(f, criticality="galactic", exposure="moon")
    risk = risk_of(rep, f.id)
    assert risk["factors"]["criticality"]["value"] == "medium"
    assert risk["factors"]["exposure"]["value"] == "internet"


def test_specific_personal_data_takes_the_top_data_weight() -> None:
    # Given a PII finding that saw health data (UU PDP Pasal 4(2)) on a public-data service
    f = finding("pii.identifiers_exposed", severity=Severity.HIGH,
                details={"total": 2, "specific_data": ["kesehatan"]})
    risk = risk_of(single(f, data_classification="public"), f.id)
    # Then the data weight is that of specific data, and the explanation says so
    assert risk["factors"]["personal_data"]["weight"] == 1.0
    assert "specific data (UU PDP Pasal 4(2))" in risk["why"]
