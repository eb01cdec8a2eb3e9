"""DH group checks on snapshots: composite moduli, small subgroups, known groups.

Live servers with the same groups are in test_scan.py; here the arithmetic is
exercised on groups no honest server would send (a generator of order 5).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from functools import lru_cache

import pytest
from cryptography.hazmat.primitives.asymmetric import dsa, rsa
from cryptography.hazmat.primitives.serialization import load_pem_parameters
from egov_audit.checks.tls import CHECKS
from egov_audit.checks.tls._dh import analyse, known_group
from egov_audit.checks.tls._grade import grade

from egov_audit.check import Skip

from .conftest import OAKLEY_1024
from .snapshots import GOOD_SUITES, good_scan, run, severities, suite

BY_ID = {c.id: c for c in CHECKS}
COMPOSITE, SUBGROUP, WEAK = (BY_ID["tls.dh_composite_group"], BY_ID["tls.dh_small_subgroup"],
                             BY_ID["tls.weak_dh"])


def dhe(prime: int, generator: int = 2) -> object:
    return suite("TLS 1.2", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", ephemeral_type="DH",
                 ephemeral_size=prime.bit_length(), dh_prime=prime, dh_generator=generator)


@lru_cache(maxsize=1)
def dsa_group() -> dsa.DSAParameterNumbers:
    """A prime whose p-1 has small factors (DSA-style, not a safe prime)."""
    return dsa.generate_parameters(2048).parameter_numbers()


def scan_with(*suites: object) -> object:
    return good_scan(suites=(*GOOD_SUITES, *suites))


def test_a_composite_modulus_is_high_and_fails_the_grade() -> None:
    key = rsa.generate_private_key(65537, 2048).private_numbers()
    scan = scan_with(dhe(key.p * key.q))
    (issue,) = run(COMPOSITE, scan)
    assert severities([issue], COMPOSITE) == ["high"]
    assert "composite" in issue.evidence and issue.details["dh_bits"] == 2048
    assert run(SUBGROUP, scan) == []
    assert grade(scan, scan.host)[0] == "F"


def test_a_prime_that_is_not_safe_has_small_subgroups() -> None:
    group = dsa_group()
    scan = scan_with(dhe(group.p, group.g))
    (issue,) = run(SUBGROUP, scan)
    assert severities([issue], SUBGROUP) == ["medium"]
    assert 2 in issue.details["small_factors"]
    assert run(COMPOSITE, scan) == []
    assert grade(scan, scan.host)[0] == "B"


def test_a_generator_of_small_order_is_high() -> None:
    group = dsa_group()
    verdict = analyse(group.p, group.g)
    r = max(verdict.small_factors)  # 2 at least; then the generator is p-1, of order 2
    generator = next(g for h in range(2, 50) if (g := pow(h, (group.p - 1) // r, group.p)) != 1)
    (issue,) = run(SUBGROUP, scan_with(dhe(group.p, generator)))
    assert severities([issue], SUBGROUP) == ["high"]
    assert "small primes" in issue.evidence


def test_well_known_groups_are_recognised_and_not_flagged() -> None:
    oakley = scan_with(dhe(OAKLEY_1024))
    assert run(COMPOSITE, oakley) == [] and run(SUBGROUP, oakley) == []
    (issue,) = run(WEAK, oakley)
    assert "RFC 2409 group 2" in issue.evidence
    # a well-known 1024-bit group is the Logjam precomputation target: high
    assert severities([issue], WEAK) == ["high"]
    custom_1024 = replace(dhe(OAKLEY_1024), dh_prime=None)
    assert severities(run(WEAK, scan_with(custom_1024)), WEAK) == ["medium"]


def test_a_dh_suite_whose_group_was_not_observed_is_skipped_with_a_reason() -> None:
    blind = replace(dhe(OAKLEY_1024), dh_prime=None, dh_generator=None)
    with pytest.raises(Skip, match="not observed"):
        run(COMPOSITE, scan_with(blind))
    assert run(COMPOSITE, good_scan()) == []  # no DH at all: nothing to judge, passes


def test_an_unknown_group_too_large_to_test_is_skipped() -> None:
    huge = (1 << 8191) + 1
    with pytest.raises(Skip, match="larger than"):
        run(COMPOSITE, scan_with(dhe(huge)))


GROUPS = {"ffdhe2048": "ffdhe2048", "ffdhe3072": "ffdhe3072", "ffdhe4096": "ffdhe4096",
          "ffdhe6144": "ffdhe6144", "ffdhe8192": "ffdhe8192", "modp_1536": "rfc3526_group5",
          "modp_2048": "rfc3526_group14", "modp_3072": "rfc3526_group15",
          "modp_4096": "rfc3526_group16", "modp_6144": "rfc3526_group17",
          "modp_8192": "rfc3526_group18", "dh_1024_160": "rfc5114_1024_160",
          "dh_2048_224": "rfc5114_2048_224", "dh_2048_256": "rfc5114_2048_256"}


@pytest.mark.parametrize("openssl_name, group_id", sorted(GROUPS.items()))
def test_fingerprints_match_openssls_named_groups(openssl_name: str, group_id: str) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    proc = subprocess.run(["openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt",
                           f"group:{openssl_name}"], capture_output=True, timeout=30, check=False)
    if proc.returncode != 0:
        pytest.skip(f"this OpenSSL does not know {openssl_name}")
    prime = load_pem_parameters(proc.stdout).parameter_numbers().p
    group = known_group(prime)
    assert group is not None and group.id == group_id and group.bits == prime.bit_length()
