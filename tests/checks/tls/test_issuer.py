"""An unknown issuer is told apart from a missing intermediate (offline snapshots).

The live counterparts (real servers with minted chains) are in test_scan.py.
"""

from __future__ import annotations

from egov_audit.checks.tls import CHECKS
from egov_audit.checks.tls._grade import grade
from egov_audit.checks.tls._issuer import _attribute_values, known_cas

from egov_audit.probes.tls_model import MISSING_ISSUER, SELF_SIGNED

from .snapshots import cert, deployment, good_scan, run, severities

BY_ID = {c.id: c for c in CHECKS}
UNTRUSTED, INCOMPLETE = BY_ID["tls.cert_untrusted"], BY_ID["tls.cert_chain_incomplete"]


def _missing(issuer: str, **leaf: object) -> object:
    served = cert(issuer=issuer, **leaf)
    return deployment(served, path=(served,), trust="none", trusted_by=(),
                      untrusted_reason=MISSING_ISSUER, missing_issuer=issuer)


def test_a_leaf_naming_its_issuer_url_misses_an_intermediate() -> None:
    scan = good_scan(deployments=(_missing("CN=Example Intermediate CA",
                                           aia_ca_issuers=("http://ca.example.invalid/i.crt",)),))
    (issue,) = run(INCOMPLETE, scan)
    assert severities([issue], INCOMPLETE) == ["medium"]
    assert "http://ca.example.invalid/i.crt" in issue.evidence
    assert run(UNTRUSTED, scan) == []
    assert grade(scan, scan.host)[0] == "B"


def test_a_leaf_from_an_unknown_issuer_without_aia_is_untrusted() -> None:
    scan = good_scan(deployments=(_missing("CN=Kantor Dev CA"),))
    assert run(INCOMPLETE, scan) == []
    (issue,) = run(UNTRUSTED, scan)
    assert severities([issue], UNTRUSTED) == ["high"]
    assert issue.details["reason"] == "unknown_issuer"
    assert "replace the certificate" in issue.evidence
    assert grade(scan, scan.host)[0] == "F"


def test_an_interception_ca_is_untrusted_even_when_the_leaf_has_an_aia_url() -> None:
    # Interception products copy whatever the original certificate carried.
    scan = good_scan(deployments=(_missing("CN=DSDTestProvider,O=DSDTestProvider",
                                           aia_ca_issuers=("http://ca.example.invalid/x",)),))
    assert run(INCOMPLETE, scan) == []
    (issue,) = run(UNTRUSTED, scan)
    assert issue.details["known_ca"] == "dsdtestprovider"
    assert "private key is public" in issue.evidence


def test_a_self_signed_development_certificate_is_named() -> None:
    leaf = cert(subject="CN=localhost,O=preact-cli", issuer="CN=localhost,O=preact-cli",
                self_issued=True, self_signed=True)
    dep = deployment(leaf, path=(leaf,), trust="none", trusted_by=(),
                     untrusted_reason=SELF_SIGNED)
    (issue,) = run(UNTRUSTED, good_scan(deployments=(dep,)))
    assert issue.details["known_ca"] == "preact_cli"
    assert "self-signed" in issue.evidence and "development" in issue.evidence


def test_names_match_whole_attribute_values_only() -> None:
    assert "superfish, inc." in _attribute_values("CN=Superfish\\, Inc.,O=Superfish\\, Inc.")
    # a public CA whose name merely contains a listed word is not matched
    scan = good_scan(deployments=(_missing("CN=Mitmproxy Detector Trust CA",
                                           aia_ca_issuers=("http://ca.example.invalid/y",)),))
    assert run(INCOMPLETE, scan)


def test_the_data_file_is_well_formed() -> None:
    cas = known_cas()
    assert {c.id for c in cas} >= {"superfish", "edellroot", "dsdtestprovider", "preact_cli",
                                   "webpack_dev_server", "mitmproxy"}
    assert all(c.kind in ("interception", "development") and c.reference.startswith("https://")
               and c.names for c in cas)
